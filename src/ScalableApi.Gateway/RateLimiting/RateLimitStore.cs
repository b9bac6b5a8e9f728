using StackExchange.Redis;

namespace ScalableApi.Gateway.RateLimiting;

/// <summary>A window's count and how long until it resets.</summary>
public readonly record struct WindowCount(long Count, TimeSpan ResetsIn);

/// <summary>The store could not answer in time; the caller fails open or closed.</summary>
public sealed class RateLimitStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Fixed-window counters in the Redis-protocol store. One Lua script does the increment, starts the window on the
/// first hit and reads what is left of it, atomically, so concurrent gateways never lose a count or leave a key
/// without expiry. Request limits take their counts in leases (<see cref="RateLimitLeases"/>), not one by one.
/// </summary>
public sealed class RateLimitStore(IConnectionMultiplexer redis, IOptions<RateLimitOptions> options)
{
    private const string IncrementScript = """
        local c = redis.call('INCRBY', KEYS[1], ARGV[2])
        local t = redis.call('PTTL', KEYS[1])
        if t < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          t = tonumber(ARGV[1])
        end
        return {c, t}
        """;

    private readonly RateLimitOptions _options = options.Value;

    /// <summary>Counts <paramref name="by"/> hits and returns the window's count including them.</summary>
    public Task<WindowCount> IncrementAsync(string key, long by = 1) => GuardAsync(IncrementCoreAsync(key, by));

    /// <summary>Reads a window without counting; an absent key is an empty window.</summary>
    public Task<WindowCount> PeekAsync(string key) => GuardAsync(PeekCoreAsync(key));

    private async Task<WindowCount> GuardAsync(Task<WindowCount> call)
    {
        try
        {
            return await call.WaitAsync(_options.StoreTimeout);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new RateLimitStoreException("The rate-limit store did not answer.", ex);
        }
    }

    private async Task<WindowCount> IncrementCoreAsync(string key, long by)
    {
        EnsureConnected();
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(IncrementScript, [key], [WindowMs, by]))!;
        return new WindowCount((long)result[0], TimeSpan.FromMilliseconds((long)result[1]));
    }

    private async Task<WindowCount> PeekCoreAsync(string key)
    {
        EnsureConnected();
        var db = redis.GetDatabase();
        var count = db.StringGetAsync(key);
        var ttl = db.KeyTimeToLiveAsync(key);
        var value = await count;
        var left = await ttl;
        return new WindowCount(value.IsNull ? 0 : (long)value, left ?? _options.Window);
    }

    private long WindowMs => (long)_options.Window.TotalMilliseconds;

    // A disconnected multiplexer would queue the command until its own 5 s timeout: fail at once instead.
    private void EnsureConnected()
    {
        if (!redis.IsConnected)
        {
            throw new RateLimitStoreException("The rate-limit store is not connected.");
        }
    }
}
