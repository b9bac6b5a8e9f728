using System.Data.Common;

namespace ScalableApi.Platform.Messaging;

/// <summary>
/// Handles one event type inside the consumer's database transaction, which also records the event's id in the
/// inbox: the effect happens once however often the event is delivered. Throwing rolls both back and the event is
/// retried with backoff, then dead-lettered.
/// </summary>
public interface IEventHandler<in TEvent>
    where TEvent : class
{
    Task HandleAsync(TEvent @event, EventContext context, CancellationToken cancellationToken);
}

/// <summary>The delivery being handled: its transaction, its id, and work to do once it has committed (cache changes).</summary>
public sealed class EventContext(DbTransaction transaction, string eventId)
{
    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];

    public DbTransaction Transaction { get; } = transaction;

    public DbConnection Connection => Transaction.Connection!;

    public string EventId { get; } = eventId;

    /// <summary>Runs after the commit (e.g. retiring cached pages), so no reader refills a cache from the old rows.</summary>
    public void AfterCommit(Func<CancellationToken, Task> action) => _afterCommit.Add(action);

    internal IReadOnlyList<Func<CancellationToken, Task>> AfterCommitActions => _afterCommit;
}
