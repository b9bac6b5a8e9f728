using System.Diagnostics;
using ScalableApi.Platform.Hosting;
using StackExchange.Redis;

namespace ScalableApi.Platform.Messaging;

/// <summary>
/// Consumes this service's event queue: one event at a time is moved (<c>LMOVE</c>) from the queue into this
/// replica's processing list, handled through the <see cref="Inbox"/>, then removed. A failure puts it in the delayed
/// set with exponential backoff; past <see cref="MessagingOptions.MaxAttempts"/> deliveries it goes to the dead-letter
/// list. A replica that dies stops renewing its alive key, and any replica's reaper moves its processing list back
/// to the queue (a redelivery, counted as an attempt). On SIGTERM the replica hands its list back itself.
/// </summary>
internal sealed partial class EventConsumer(
    IConnectionMultiplexer redis,
    Inbox inbox,
    IEnumerable<EventRegistration> registrations,
    IOptions<MessagingOptions> options,
    IOptions<PlatformOptions> platform,
    TimeProvider time,
    ILogger<EventConsumer> logger) : BackgroundService
{
    // Due retries back onto the queue, atomically (two replicas promoting at once move each event once).
    private const string PromoteScript = """
        local items = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, 100)
        for _, v in ipairs(items) do
          redis.call('ZREM', KEYS[1], v)
          redis.call('LPUSH', KEYS[2], v)
        end
        return #items
        """;

    // A dead consumer's whole processing list back onto the queue, atomically.
    private const string ReapScript = """
        local n = 0
        while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'RIGHT') do n = n + 1 end
        redis.call('SREM', KEYS[3], ARGV[1])
        return n
        """;

    private readonly Dictionary<string, EventRegistration> _registrations = registrations.ToDictionary(r => r.Type, StringComparer.Ordinal);
    private readonly string _consumer = Guid.NewGuid().ToString("N")[..16];
    private EventQueueKeys Keys => new(options.Value.KeyPrefix, platform.Value.ServiceName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var processing = Keys.Processing(_consumer);
        var housekeepingEvery = TimeSpan.FromTicks(Math.Min(settings.ReaperInterval.Ticks, settings.ConsumerTtl.Ticks / 3));
        var nextHousekeeping = DateTimeOffset.MinValue;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var store = redis.GetDatabase();
                if (time.GetUtcNow() >= nextHousekeeping)
                {
                    await HousekeepingAsync(store);
                    nextHousekeeping = time.GetUtcNow() + housekeepingEvery;
                }

                var payload = await store.ListMoveAsync(Keys.Queue, processing, ListSide.Right, ListSide.Left);
                failures = 0;
                if (payload.IsNull)
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                    continue;
                }

                await DeliverAsync(store, processing, payload.ToString(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The store (or database) is unreachable: events wait in the store, or in the outbox, until it is back.
                if (failures++ % 50 == 0)
                {
                    LogConsumeFailed(ex);
                }

                try
                {
                    await Task.Delay(settings.PollInterval * 10, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await HandBackAsync(processing);
    }

    private async Task DeliverAsync(IDatabase store, string processing, string payload, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var envelope = EventEnvelope.TryParse(payload);
        if (envelope is null || !_registrations.TryGetValue(envelope.Type, out var registration))
        {
            await DeadAsync(store, processing, payload, envelope?.Id);
            MessagingMetrics.Result(envelope?.Type ?? "unknown", "dead");
            LogUnusable(envelope?.Type ?? "(unreadable)");
            return;
        }

        ActivityContext.TryParse(envelope.TraceParent, null, out var parent);
        using var activity = MessagingMetrics.Activities.StartActivity($"consume {envelope.Type}", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.message.id", envelope.Id);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["EventId"] = envelope.Id, ["EventType"] = envelope.Type });
        var deliveries = await store.HashIncrementAsync(Keys.Deliveries, envelope.Id);
        if (deliveries > settings.MaxAttempts)
        {
            // Delivered that often without an ack: it crashed its consumers (or kept failing). Out of the way.
            await DeadAsync(store, processing, payload, envelope.Id);
            MessagingMetrics.Result(envelope.Type, "dead");
            LogDead(null, envelope.Type, envelope.Id, deliveries - 1);
            return;
        }

        try
        {
            var handled = await inbox.HandleAsync(envelope, registration, cancellationToken);
            var ack = store.CreateTransaction();
            _ = ack.ListRemoveAsync(processing, payload, 1);
            _ = ack.HashDeleteAsync(Keys.Deliveries, envelope.Id);
            await ack.ExecuteAsync();
            MessagingMetrics.Result(envelope.Type, handled ? "processed" : "duplicate");
            LogHandled(envelope.Type, envelope.Id, handled ? "processed" : "duplicate (already in the inbox)");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            if (deliveries >= settings.MaxAttempts)
            {
                await DeadAsync(store, processing, payload, envelope.Id);
                MessagingMetrics.Result(envelope.Type, "dead");
                LogDead(ex, envelope.Type, envelope.Id, deliveries);
                return;
            }

            var delay = settings.Backoff((int)deliveries);
            var retry = store.CreateTransaction();
            _ = retry.ListRemoveAsync(processing, payload, 1);
            _ = retry.SortedSetAddAsync(Keys.Delayed, payload, (time.GetUtcNow() + delay).ToUnixTimeMilliseconds());
            await retry.ExecuteAsync();
            MessagingMetrics.Result(envelope.Type, "retried");
            LogRetrying(ex, envelope.Type, envelope.Id, deliveries, delay.TotalSeconds);
        }
    }

    private async Task DeadAsync(IDatabase store, string processing, string payload, string? id)
    {
        var dead = store.CreateTransaction();
        _ = dead.ListRemoveAsync(processing, payload, 1);
        _ = dead.ListLeftPushAsync(Keys.Dead, payload);
        if (id is not null)
        {
            _ = dead.HashDeleteAsync(Keys.Deliveries, id);
        }

        await dead.ExecuteAsync();
    }

    /// <summary>Renews this consumer's key, moves due retries back, and returns the events of consumers that died.</summary>
    private async Task HousekeepingAsync(IDatabase store)
    {
        var settings = options.Value;
        var keys = Keys;
        await store.StringSetAsync(keys.Alive(_consumer), "1", settings.ConsumerTtl);
        await store.SetAddAsync(keys.Consumers, _consumer);
        await store.ScriptEvaluateAsync(PromoteScript, [keys.Delayed, keys.Queue], [time.GetUtcNow().ToUnixTimeMilliseconds()]);
        foreach (var member in await store.SetMembersAsync(keys.Consumers))
        {
            var consumer = member.ToString();
            if (consumer != _consumer && !await store.KeyExistsAsync(keys.Alive(consumer)))
            {
                var moved = (long)await store.ScriptEvaluateAsync(ReapScript, [keys.Processing(consumer), keys.Queue, keys.Consumers], [consumer]);
                if (moved > 0)
                {
                    LogReaped(moved, consumer);
                }
            }
        }

        MessagingMetrics.Dead(await store.ListLengthAsync(keys.Dead));
    }

    /// <summary>Stopping: the events this replica holds go back to the queue now, not after its key lapses.</summary>
    private async Task HandBackAsync(string processing)
    {
        try
        {
            var store = redis.GetDatabase();
            await store.ScriptEvaluateAsync(ReapScript, [processing, Keys.Queue, Keys.Consumers], [_consumer]);
            await store.KeyDeleteAsync(Keys.Alive(_consumer));
        }
        catch (Exception ex)
        {
            LogConsumeFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventType} {EventId}: {Outcome}")]
    private partial void LogHandled(string eventType, string eventId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventType} {EventId} failed on delivery {Delivery}; retrying in {Seconds:0.#} s")]
    private partial void LogRetrying(Exception ex, string eventType, string eventId, long delivery, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event {EventType} {EventId} dead-lettered after {Deliveries} deliveries")]
    private partial void LogDead(Exception? ex, string eventType, string eventId, long deliveries);

    [LoggerMessage(Level = LogLevel.Error, Message = "Event of type {EventType} cannot be handled here (unreadable or unknown): dead-lettered")]
    private partial void LogUnusable(string eventType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events: moved {Count} events of dead consumer {Consumer} back to the queue")]
    private partial void LogReaped(long count, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events: the store or the database is unavailable; consuming resumes when it is back")]
    private partial void LogConsumeFailed(Exception ex);
}
