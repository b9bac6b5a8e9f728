using ScalableApi.Contracts;

namespace ScalableApi.Platform.Data;

/// <summary>
/// One newest-first page on a single id: <c>WHERE … AND id &lt; @Before ORDER BY id DESC LIMIT @Take</c>, where
/// <see cref="Take"/> is one more than the page so the extra row tells whether another page exists (no COUNT, no
/// OFFSET). Made by <see cref="PageRequest.TryGetKeyset"/>.
/// </summary>
public readonly record struct Keyset(long Before, int Limit)
{
    /// <summary>The first page of <paramref name="limit"/> rows.</summary>
    public static Keyset First(int limit = PageRequest.DefaultLimit) => new(long.MaxValue, limit);

    /// <summary>Rows to fetch: the page plus the look-ahead row.</summary>
    public int Take => Limit + 1;

    /// <summary>The page's part of a cache key: two keysets share it only if they read the same rows.</summary>
    public string CacheKey => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"b{Before}:t{Take}");

    /// <summary>Cuts the look-ahead row off and names the next page after the last row returned.</summary>
    public Page<T> ToPage<T>(IReadOnlyList<T> rows, Func<T, long> id) => ToPage(rows, id, static row => row);

    /// <summary><see cref="ToPage{T}(IReadOnlyList{T}, Func{T, long})"/>, each row shown as <paramref name="map"/> makes it.</summary>
    public Page<TItem> ToPage<TRow, TItem>(IReadOnlyList<TRow> rows, Func<TRow, long> id, Func<TRow, TItem> map)
    {
        var count = Math.Min(rows.Count, Limit);
        var items = new TItem[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = map(rows[i]);
        }

        return new Page<TItem>(items, rows.Count > Limit ? KeysetCursor.Encode(id(rows[count - 1])) : null);
    }
}
