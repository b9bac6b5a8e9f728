using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Strong ETags <c>"{id}-{version}"</c> from the row version, which every update increments. The id is in the tag
/// so a tag is never valid for another product, whatever a client or cache sends.
/// </summary>
internal static class ProductETag
{
    public static string Format(long id, long version) =>
        string.Create(CultureInfo.InvariantCulture, $"\"{id}-{version}\"");

    /// <summary>If-None-Match (weak comparison, RFC 9110 §13.1.2): true when any listed tag, or <c>*</c>, matches.</summary>
    public static bool NoneMatchHits(StringValues ifNoneMatch, string currentETag)
    {
        if (!EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags))
        {
            return false;
        }

        var current = EntityTagHeaderValue.Parse(currentETag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(current, useStrongComparison: false));
    }

    /// <summary>
    /// Reads If-Match (strong comparison) for product <paramref name="id"/>. <see cref="IfMatch.Any"/> for <c>*</c>;
    /// otherwise the versions the client claims; an empty set when no tag can match (malformed or other resource).
    /// </summary>
    public static IfMatch ParseIfMatch(StringValues ifMatch, long id)
    {
        if (!EntityTagHeaderValue.TryParseList(ifMatch, out var tags))
        {
            return new IfMatch(false, []);
        }

        if (tags.Any(t => t.Equals(EntityTagHeaderValue.Any)))
        {
            return IfMatch.Any;
        }

        var versions = new List<long>();
        foreach (var tag in tags)
        {
            if (tag.IsWeak)
            {
                continue; // If-Match uses strong comparison: a weak tag never matches.
            }

            var text = tag.Tag.AsSpan().Trim('"');
            var dash = text.IndexOf('-');
            if (dash > 0
                && long.TryParse(text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var tagId)
                && tagId == id
                && long.TryParse(text[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        return new IfMatch(false, versions);
    }

    /// <summary>A parsed If-Match: any current version, or one of <see cref="Versions"/>.</summary>
    internal sealed record IfMatch(bool MatchesAny, IReadOnlyList<long> Versions)
    {
        public static readonly IfMatch Any = new(true, []);
    }
}
