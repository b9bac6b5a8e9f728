namespace ScalableApi.Catalog.Common;

/// <summary>
/// Prices are stored as integer cents so sums and comparisons are exact on both engines (SQLite has no decimal type).
/// </summary>
internal static class Money
{
    /// <summary>The highest price the catalog accepts (SPEC: ≤ 1,000,000,000).</summary>
    public const decimal MaxPrice = 1_000_000_000m;

    public static decimal FromCents(long cents) => cents / 100m;

    /// <summary>Cents for a price already checked by <see cref="IsValidPrice"/> (0 ≤ price ≤ max, ≤ 2 decimals).</summary>
    public static long ToCents(decimal price) => decimal.ToInt64(price * 100m);

    public static bool IsValidPrice(decimal price) => price is >= 0 and <= MaxPrice && HasAtMostTwoDecimals(price);

    public static bool HasAtMostTwoDecimals(decimal price) => decimal.Round(price, 2) == price;
}
