namespace ScalableApi.Catalog.Common;

/// <summary>Times are stored as unix milliseconds (UTC) on both engines; the API shows UTC <see cref="DateTime"/>s.</summary>
public static class UnixTime
{
    public static DateTime ToDateTime(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime;

    public static long Now(TimeProvider time) => time.GetUtcNow().ToUnixTimeMilliseconds();
}
