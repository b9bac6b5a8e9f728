using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.Json;
using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Messaging;

/// <summary>
/// Writes integration events into the service's outbox table inside the caller's transaction: the event exists
/// iff the change it announces committed. <see cref="OutboxRelay"/> carries it to the subscribers' queues.
/// </summary>
public sealed class Outbox(IOptions<JsonOptions> json, TimeProvider time, OutboxSignal signal)
{
    internal const string InsertSql = """
        INSERT INTO outbox (message_id, type, payload, trace_parent, created_at)
        VALUES (@MessageId, @Type, @Payload, @TraceParent, @Now)
        """;

    /// <summary>Adds <paramref name="event"/> (type name = the record's name, e.g. <c>UserDeleted</c>) to the transaction.</summary>
    public async Task AddAsync<TEvent>(DbTransaction transaction, TEvent @event, CancellationToken cancellationToken)
        where TEvent : class
    {
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            InsertSql,
            new
            {
                MessageId = Guid.CreateVersion7().ToString("N"),
                Type = typeof(TEvent).Name,
                Payload = JsonSerializer.Serialize(@event, json.Value.SerializerOptions),
                TraceParent = Activity.Current?.Id,
                Now = UnixTime.Now(time),
            },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>After the commit: the relay on this replica need not wait for its next poll.</summary>
    public void Committed() => signal.Wake();
}

/// <summary>Wakes this replica's relay when its own code committed an event.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Wake()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
