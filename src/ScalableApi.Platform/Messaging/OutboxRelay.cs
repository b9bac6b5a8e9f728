using Dapper;
using ScalableApi.Platform.Data;
using StackExchange.Redis;

namespace ScalableApi.Platform.Messaging;

/// <summary>
/// Moves outbox rows to each subscriber's queue in the store, oldest first, then deletes them, all inside one
/// database transaction that holds the rows (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so replicas relay different
/// rows; SQLite: the write lock). A crash after the push and before the commit pushes those rows again on the next
/// pass: delivery is at least once, and consumers drop duplicates by event id (their inbox).
/// While the store is down rows wait in the table (<c>outbox_pending</c> grows) and go out when it is back.
/// </summary>
internal sealed partial class OutboxRelay(
    Data.IDatabase database,
    IConnectionMultiplexer redis,
    OutboxSignal signal,
    IOptions<MessagingOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    internal static string TakeSql(DatabaseEngine engine) =>
        "SELECT id AS Id, message_id AS MessageId, type AS Type, payload AS Payload, trace_parent AS TraceParent, created_at AS CreatedAt "
        + "FROM outbox ORDER BY id LIMIT @Take" + (engine == DatabaseEngine.Postgres ? " FOR UPDATE SKIP LOCKED" : "");

    internal static string DeleteSql(DatabaseEngine engine) =>
        "DELETE FROM outbox WHERE id " + (engine == DatabaseEngine.Postgres ? "= ANY(@Ids)" : "IN @Ids");

    internal const string CountSql = "SELECT COUNT(*) FROM outbox";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            int moved;
            try
            {
                moved = await RelayOnceAsync(stoppingToken);
                failures = 0;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                moved = 0;
                if (failures++ % 50 == 0)
                {
                    LogRelayFailed(ex);
                }

                await CountPendingAsync(stoppingToken);
            }

            try
            {
                if (moved == 0)
                {
                    await signal.WaitAsync(options.Value.RelayInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass: relays up to a batch and returns how many rows went out.</summary>
    internal async Task<int> RelayOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            TakeSql(database.Engine), new { Take = settings.RelayBatchSize }, transaction, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            MessagingMetrics.Pending(0);
            return 0;
        }

        var store = redis.GetDatabase();
        var push = store.CreateTransaction();
        var pushes = new List<Task>();
        foreach (var row in rows)
        {
            var envelope = new EventEnvelope(row.MessageId, row.Type, row.Payload, row.TraceParent, row.CreatedAt).Serialize();
            foreach (var subscriber in settings.Subscribers.GetValueOrDefault(row.Type) ?? [])
            {
                pushes.Add(push.ListLeftPushAsync(new EventQueueKeys(settings.KeyPrefix, subscriber).Queue, envelope));
            }
        }

        if (!await push.ExecuteAsync())
        {
            throw new InvalidOperationException("The store refused the outbox push.");
        }

        await Task.WhenAll(pushes);
        await connection.ExecuteAsync(new CommandDefinition(
            DeleteSql(database.Engine), new { Ids = rows.Select(r => r.Id).ToArray() }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        LogRelayed(rows.Count);

        var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, cancellationToken: cancellationToken));
        MessagingMetrics.Pending(pending);
        return rows.Count;
    }

    private async Task CountPendingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenReadAsync(cancellationToken);
            MessagingMetrics.Pending(await connection.ExecuteScalarAsync<long>(new CommandDefinition(CountSql, cancellationToken: cancellationToken)));
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The database is down too: the gauge keeps its last value.
        }
    }

    private sealed class OutboxRow
    {
        public long Id { get; set; }

        public string MessageId { get; set; } = "";

        public string Type { get; set; } = "";

        public string Payload { get; set; } = "";

        public string? TraceParent { get; set; }

        public long CreatedAt { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: relayed {Count} events")]
    private partial void LogRelayed(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: relay failed (store or database unavailable); the rows wait in the table")]
    private partial void LogRelayFailed(Exception ex);
}
