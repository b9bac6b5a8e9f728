using StackExchange.Redis;

namespace ScalableApi.Testing;

/// <summary>
/// A Redis-protocol store of one kind for one service fixture, under a key prefix of its own, so suites sharing a
/// redis-server keep their queues, revocations and cache apart. Started on first use.
/// </summary>
public sealed class PrefixedStore(RedisStoreKind kind) : IDisposable
{
    private TestRedis? _store;
    private ConnectionMultiplexer? _client;

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..10] + ":";

    public TestRedis Store => _store ??= TestRedis.Start(kind);

    /// <summary>A client of the store, for a test to read or push what the service reads or pushes.</summary>
    public StackExchange.Redis.IDatabase Redis => (_client ??= ConnectionMultiplexer.Connect(Store.ConnectionString)).GetDatabase();

    /// <summary>What points a service at the store under the prefix: its connection, cache name, messaging and revocation keys.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings(string service) =>
    [
        new("ConnectionStrings:redis", Store.ConnectionString),
        new("Caching:Name", service + "-" + Prefix),
        new("Messaging:KeyPrefix", Prefix),
        new("Auth:Revocation:KeyPrefix", Prefix),
    ];

    public void Dispose()
    {
        _client?.Dispose();
        _store?.Dispose();
    }
}
