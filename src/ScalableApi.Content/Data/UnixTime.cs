namespace ScalableApi.Content.Data;

/// <summary>
/// Times are stored as bigint unix milliseconds UTC on both engines (one type, one sort order, no time-zone
/// surprises); DTOs expose <see cref="DateTime"/> of kind UTC so JSON ends in <c>Z</c>.
/// </summary>
internal static class UnixTime
{
    public static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    public static DateTime ToDateTime(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime;
}
