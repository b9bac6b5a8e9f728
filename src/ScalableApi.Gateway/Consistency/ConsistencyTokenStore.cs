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

    // What a user's writes purged at the edge (slots of EdgeCacheStore, AllSlots for "everything"), for the window.
    private const string RememberWrittenScript = """
        for i = 2, #ARGV do
          redis.call('SADD', KEYS[1], ARGV[i])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 1
        """;

    // 1 when the user's recent writes purged everything or one of these slots; with no slots, when they wrote at all.
    private const string WroteAnyScript = """
        if #ARGV == 0 then
          return redis.call('EXISTS', KEYS[1])
        end
        if redis.call('SISMEMBER', KEYS[1], '-1') == 1 then
          return 1
        end
        for i = 1, #ARGV do
          if redis.call('SISMEMBER', KEYS[1], ARGV[i]) == 1 then
            return 1
          end
        end
        return 0
        """;

    /// <summary>The slot that stands for "everything": a write that named no keys.</summary>
    public const int AllSlots = -1;

    private readonly ConsistencyTokenOptions _options = options.Value;

    public static string Key(string userId, string cluster) => $"scalableapi:consistency:{cluster}:{userId}";

    public static string WrittenKey(string userId) => $"scalableapi:consistency-edge:{userId}";

    public async Task RememberAsync(string userId, string cluster, string token) =>
        await redis.GetDatabase().ScriptEvaluateAsync(RememberScript, [Key(userId, cluster)], [token, _options.WindowSeconds * 1000L])
            .WaitAsync(TimeSpan.FromMilliseconds(_options.StoreTimeoutMilliseconds));

    public async Task<string?> RecallAsync(string userId, string cluster) =>
        await redis.GetDatabase().StringGetAsync(Key(userId, cluster))
            .WaitAsync(TimeSpan.FromMilliseconds(_options.StoreTimeoutMilliseconds));

    /// <summary>Remembers, for the window, the edge-cache slots a write of the user purged (<see cref="AllSlots"/>: every one).</summary>
    public async Task RememberWrittenAsync(string userId, IReadOnlyCollection<int> slots) =>
        await redis.GetDatabase().ScriptEvaluateAsync(
                RememberWrittenScript,
                [WrittenKey(userId)],
                [_options.WindowSeconds * 1000L, .. slots.Select(static s => (RedisValue)s)])
            .WaitAsync(TimeSpan.FromMilliseconds(_options.StoreTimeoutMilliseconds));

    /// <summary>
    /// Whether a write of the user within the window purged one of <paramref name="slots"/> (or everything); with no
    /// slots, whether they wrote at all.
    /// </summary>
    public async Task<bool> WroteAnyAsync(string userId, IReadOnlyCollection<int> slots) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(
                WroteAnyScript, [WrittenKey(userId)], [.. slots.Select(static s => (RedisValue)s)])
            .WaitAsync(TimeSpan.FromMilliseconds(_options.StoreTimeoutMilliseconds)) == 1;
}
