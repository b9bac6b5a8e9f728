using ScalableApi.Contracts;
using ScalableApi.Platform.Data;

namespace ScalableApi.Content.Data;

/// <summary>
/// Newest-first keyset paging on a single id: a page is <c>WHERE … AND id &lt; @Before ORDER BY id DESC LIMIT @Take</c>,
/// where Take is one more than the page so the extra row tells whether another page exists (no COUNT, no OFFSET).
/// </summary>
internal static class Keyset
{
    /// <summary>The exclusive upper bound for ids on this page: the cursor's id, or "everything" on the first page.</summary>
    public static long Before(PageRequest page, ReadOnlySpan<long> cursorKeys) =>
        page.Cursor is null ? long.MaxValue : cursorKeys[0];

    /// <summary>Rows to fetch: the page plus one look-ahead row.</summary>
    public static int Take(PageRequest page) => page.EffectiveLimit + 1;

    /// <summary>Cuts the look-ahead row off and turns it into the next cursor (the last returned id).</summary>
    public static Page<T> ToPage<T>(IReadOnlyList<T> rows, PageRequest page, Func<T, long> id)
    {
        var limit = page.EffectiveLimit;
        if (rows.Count <= limit)
        {
            return new Page<T>(rows, null);
        }

        var items = rows.Take(limit).ToArray();
        return new Page<T>(items, KeysetCursor.Encode(id(items[^1])));
    }
}
