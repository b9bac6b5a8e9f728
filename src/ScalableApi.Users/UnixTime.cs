namespace ScalableApi.Users;

/// <summary>Times are stored as bigint unix milliseconds (both engines) and exposed as UTC <see cref="DateTime"/>s.</summary>
internal static class UnixTime
{
    public static DateTime ToDateTime(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime;

    public static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();
}
