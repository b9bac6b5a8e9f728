using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Platform.Messaging;

/// <summary>
/// <c>outbox_pending</c> (rows not yet relayed), <c>events_consumed_total{event,result}</c> (result: processed,
/// duplicate, retried, dead) and <c>events_dead</c> (the dead-letter list's length), named for prometheus-net's
/// adapter (see <see cref="QueueMeters"/>).
/// </summary>
internal static class MessagingMetrics
{
    public static readonly ActivitySource Activities = new(PlatformMeters.Name + ".Messaging");

    private static readonly Counter<long> Consumed = QueueMeters.Events.CreateCounter<long>(
        "consumed_total", description: "Events taken from the queue, by event type and result (processed, duplicate, retried, dead).");

    private static long _pending;
    private static long _dead;

    static MessagingMetrics()
    {
        QueueMeters.Outbox.CreateObservableGauge("pending", () => Interlocked.Read(ref _pending), description: "Outbox rows written and not yet relayed to the queue.");
        QueueMeters.Events.CreateObservableGauge("dead", () => Interlocked.Read(ref _dead), description: "Events in the dead-letter list of this service's queue.");
    }

    public static void Pending(long count) => Interlocked.Exchange(ref _pending, count);

    public static void Dead(long count) => Interlocked.Exchange(ref _dead, count);

    public static void Result(string type, string result) =>
        Consumed.Add(1, new KeyValuePair<string, object?>("event", type), new KeyValuePair<string, object?>("result", result));
}
