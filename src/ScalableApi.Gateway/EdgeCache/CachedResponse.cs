using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>One stored 200: the headers the upstream sent (never the ones this request's own middleware added), the body.</summary>
internal sealed class CachedResponse
{
    public required KeyValuePair<string, StringValues>[] Headers { get; init; }

    public required byte[] Body { get; init; }

    public required string? ETag { get; init; }

    public required DateTimeOffset Stored { get; init; }

    public required DateTimeOffset FreshUntil { get; init; }

    /// <summary>Last moment it may stand in for a failing upstream (stale-if-error).</summary>
    public required DateTimeOffset StaleUntil { get; init; }

    /// <summary>The store's purge sequence when the miss that filled it began: a purge of one of its keys since then makes it dead.</summary>
    public required long Generation { get; init; }

    /// <summary>The store's slots of its surrogate keys (<see cref="EdgeCacheStore.Slots"/>).</summary>
    public required int[] KeySlots { get; init; }

    /// <summary>Rough memory use, the unit of the store's size limit.</summary>
    public long Size => Body.Length + 256 + Headers.Sum(static h => h.Key.Length + h.Value.ToString().Length + 32);

    public int AgeSeconds(DateTimeOffset now) => (int)Math.Max(0, (now - Stored).TotalSeconds);
}

/// <summary>Stored under the bare key when the response varies: the request headers that pick the variant.</summary>
internal sealed record VaryMarker(string[] Headers);

/// <summary>The freshness rules of RFC 9111 a shared cache applies to a response, as far as the edge needs them.</summary>
internal static class Freshness
{
    /// <summary>
    /// How long a 200 may be served from a shared cache: only <c>public</c> ones with a positive
    /// <c>s-maxage</c>/<c>max-age</c>, never <c>private</c>, <c>no-store</c>, <c>no-cache</c>, nor with a cookie or <c>Vary: *</c>.
    /// </summary>
    public static TimeSpan? SharedLifetime(IHeaderDictionary headers)
    {
        if (headers.ContainsKey(HeaderNames.SetCookie)
            || headers.Vary.Any(static v => v?.Contains('*', StringComparison.Ordinal) == true)
            || !CacheControlHeaderValue.TryParse(headers.CacheControl.ToString(), out var control)
            || control is null
            || !control.Public || control.Private || control.NoStore || control.NoCache)
        {
            return null;
        }

        var lifetime = SurrogateMaxAge(headers) ?? control.SharedMaxAge ?? control.MaxAge;
        return lifetime > TimeSpan.Zero ? lifetime : null;
    }

    /// <summary>
    /// <c>Surrogate-Control: max-age=N</c> (Edge Architecture Specification 1.0): the service's lifetime for this
    /// cache, which hears its writes' purges, over the <c>Cache-Control</c> one meant for clients, which do not.
    /// <c>no-store</c> there: 0. Null when absent or unreadable.
    /// </summary>
    public static TimeSpan? SurrogateMaxAge(IHeaderDictionary headers)
    {
        var value = headers[Platform.Http.PublicCaching.SurrogateControlHeader].ToString();
        if (value.Length == 0)
        {
            return null;
        }

        TimeSpan? maxAge = null;
        foreach (var directive in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (directive.Equals("no-store", StringComparison.OrdinalIgnoreCase))
            {
                return TimeSpan.Zero;
            }

            if (directive.StartsWith("max-age=", StringComparison.OrdinalIgnoreCase)
                && long.TryParse(directive.AsSpan(8), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                maxAge = TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.FromDays(365).TotalSeconds));
            }
        }

        return maxAge;
    }

    /// <summary>Whether an <c>If-None-Match</c> list names <paramref name="etag"/> (weak comparison, as for GET).</summary>
    public static bool Matches(StringValues ifNoneMatch, string? etag)
    {
        if (etag is null || StringValues.IsNullOrEmpty(ifNoneMatch))
        {
            return false;
        }

        if (!EntityTagHeaderValue.TryParse(etag, out var stored))
        {
            return false;
        }

        return EntityTagHeaderValue.TryParseList(ifNoneMatch, out var listed)
            && listed.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(stored, useStrongComparison: false));
    }

    /// <summary>The variant key: the bare key and the values of the request headers the response varies by.</summary>
    public static string VariantKey(string key, string[] varyBy, IHeaderDictionary requestHeaders)
    {
        var builder = new System.Text.StringBuilder(key);
        foreach (var name in varyBy)
        {
            builder.Append('\n').Append(name).Append(':').Append(requestHeaders[name].ToString());
        }

        return builder.ToString();
    }

    public static string[] VaryHeaders(IHeaderDictionary responseHeaders) =>
        [.. responseHeaders.Vary
            .SelectMany(static v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(static v => v.ToLowerInvariant())
            .Distinct()
            .Order(StringComparer.Ordinal)];
}
