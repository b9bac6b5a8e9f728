using StackExchange.Redis;

namespace ScalableApi.Gateway.Consistency;

/// <summary>
/// Each signed-in user's latest consistency token per cluster (service), in the Redis-protocol store for
/// <see cref="ConsistencyTokenOptions.WindowSeconds"/>. Tokens of one service have one fixed-width form, so the script
/// keeps the greater of the stored and the new one as strings: two writes answered out of order never leave the older.
/// </summary>
public sealed class ConsistencyTokenStore(IConnectionMultiplexer redis, IOptions<ConsistencyTokenOptions> options)
{
    private const string RememberScript = """
        local current = redis.call('GET', KEYS[1])
        if current and string.len(current) == string.len(ARGV[1]) and current > ARGV[1] then
          redis.call('PEXPIRE', KEYS[1], ARGV[2])
          return 0
        end
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
        return 1
        """;

    private readonly ConsistencyTokenOptions _options = options.Value;

    public static string Key(string userId, string cluster) => $"scalableapi:consistency:{cluster}:{userId}";

    public async Task RememberAsync(string userId, string cluster, string token) =>
        await redis.GetDatabase().ScriptEvaluateAsync(RememberScript, [Key(userId, cluster)], [token, _options.WindowSeconds * 1000L])
            .WaitAsync(TimeSpan.FromMilliseconds(_options.StoreTimeoutMilliseconds));

    public async Task<string?> RecallAsync(string userId, string cluster) =>
        await redis.GetDatabase().StringGetAsync(Key(userId, cluster))
            .WaitAsync(TimeSpan.FromMilliseconds(_options.StoreTimeoutMilliseconds));
}
