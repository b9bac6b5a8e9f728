namespace ScalableApi.Platform.Data;

/// <summary>
/// Times are stored as bigint unix milliseconds UTC on both engines (one type, one sort order, no driver-specific
/// DateTime kinds; see docs/adr/0001) and exposed as UTC <see cref="DateTime"/>s, so JSON ends in <c>Z</c>.
/// </summary>
public static class UnixTime
{
    public static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();

    public static DateTime ToDateTime(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime;
}
