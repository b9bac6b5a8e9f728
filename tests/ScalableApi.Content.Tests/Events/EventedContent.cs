using ScalableApi.Contracts.Events;
using ScalableApi.Platform.Messaging;

namespace ScalableApi.Content.Tests.Events;

/// <summary>
/// The content service with its event consumer on a real store (its own key prefix, so suites sharing a
/// redis-server keep apart) and quick retry, reaper and poll settings: 3 deliveries before the dead-letter list.
/// </summary>
public class EventedContent(DatabaseEngine engine, RedisStoreKind storeKind) : ServiceFactory<Program>(engine)
{
    private PrefixedStore? _events;

    private PrefixedStore Events => _events ??= Own(new PrefixedStore(storeKind));

    public string Prefix => Events.Prefix;

    public string QueueKey => Prefix + "events:content";

    public StackExchange.Redis.IDatabase Redis => Events.Redis;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
    [
        .. Events.Settings("content"),
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
}

public sealed class SqliteGarnetContent() : EventedContent(DatabaseEngine.Sqlite, RedisStoreKind.Garnet);

public sealed class PostgresRedisServerContent() : EventedContent(DatabaseEngine.Postgres, RedisStoreKind.RedisServer);
