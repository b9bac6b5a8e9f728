using ScalableApi.Contracts.Events;
using ScalableApi.Platform.Messaging;
using StackExchange.Redis;

namespace ScalableApi.Content.Tests.Events;

/// <summary>
/// The content service with its event consumer on a real store (its own key prefix, so suites sharing a
/// redis-server keep apart) and quick retry, reaper and poll settings: 3 deliveries before the dead-letter list.
/// </summary>
public class EventedContent(DatabaseEngine engine, RedisStoreKind storeKind) : ServiceFactory<Program>(engine)
{
    private TestRedis? _store;
    private ConnectionMultiplexer? _client;

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..10] + ":";

    public string QueueKey => Prefix + "events:content";

    public TestRedis Store => _store ??= TestRedis.Start(storeKind);

    public StackExchange.Redis.IDatabase Redis => (_client ??= ConnectionMultiplexer.Connect(Store.ConnectionString)).GetDatabase();

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        new("ConnectionStrings:redis", Store.ConnectionString),
        new("Caching:Name", "content-" + Prefix),
        new("Messaging:KeyPrefix", Prefix),
        new("Auth:Revocation:KeyPrefix", Prefix),
        new("Messaging:PollInterval", "00:00:00.020"),
        new("Messaging:RetryBaseDelay", "00:00:00.050"),
        new("Messaging:RetryMaxDelay", "00:00:00.200"),
        new("Messaging:MaxAttempts", "3"),
        new("Messaging:ConsumerTtl", "00:00:01"),
        new("Messaging:ReaperInterval", "00:00:00.200"),
    ];

    /// <summary>What the users service's relay pushes for a deletion.</summary>
    public static EventEnvelope Deleted(long userId) => new(
        Guid.NewGuid().ToString("N"),
        nameof(UserDeleted),
        JsonSerializer.Serialize(new UserDeleted(userId, DateTime.UtcNow), JsonSerializerOptions.Web),
        null,
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public Task PublishAsync(EventEnvelope envelope) => Redis.ListLeftPushAsync(QueueKey, envelope.Serialize());

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _client?.Dispose();
        _store?.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteGarnetContent() : EventedContent(DatabaseEngine.Sqlite, RedisStoreKind.Garnet);

public sealed class PostgresRedisServerContent() : EventedContent(DatabaseEngine.Postgres, RedisStoreKind.RedisServer);
