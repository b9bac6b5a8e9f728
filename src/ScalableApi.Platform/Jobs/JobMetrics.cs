using System.Diagnostics;
using System.Diagnostics.Metrics;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Platform.Jobs;

/// <summary>
/// The job queue's instruments, named so prometheus-net exports exactly <c>jobs_queued</c>, <c>jobs_running</c>,
/// <c>jobs_dead</c>, <c>job_duration_seconds{type,status}</c> and <c>job_attempts_total{type}</c> (see
/// <see cref="QueueMeters"/>). The gauges are the database's view (every replica of a service reports the same
/// table), refreshed by each idle worker loop.
/// </summary>
internal static class JobMetrics
{
    public const string ActivitySourceName = PlatformMeters.Name + ".Jobs";

    public static readonly ActivitySource Activities = new(ActivitySourceName);

    private static readonly Histogram<double> Duration = QueueMeters.Job.CreateHistogram<double>(
        "duration_seconds", description: "One run of a job, by type and how it ended (completed, retrying, failed, released, lease_lost).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900] });

    private static readonly Counter<long> Attempts = QueueMeters.Job.CreateCounter<long>(
        "attempts_total", description: "Runs of jobs started (first runs, retries and resumptions after a crash), by type.");

    private static long _queued;
    private static long _running;
    private static long _dead;

    static JobMetrics()
    {
        QueueMeters.Jobs.CreateObservableGauge("queued", () => Interlocked.Read(ref _queued), description: "Jobs waiting for a replica (the service's table).");
        QueueMeters.Jobs.CreateObservableGauge("running", () => Interlocked.Read(ref _running), description: "Jobs claimed by a replica (the service's table).");
        QueueMeters.Jobs.CreateObservableGauge("dead", () => Interlocked.Read(ref _dead), description: "Dead-lettered jobs (status failed) waiting for an operator's retry.");
    }

    /// <summary>A job was queued here: the gauge moves before the next refresh.</summary>
    public static void Queued(string type) => Interlocked.Increment(ref _queued);

    public static void Started(string type) => Attempts.Add(1, new KeyValuePair<string, object?>("type", type));

    public static void Ended(string type, string status, TimeSpan elapsed) =>
        Duration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("status", status));

    public static void Counts(long queued, long running, long dead)
    {
        Interlocked.Exchange(ref _queued, queued);
        Interlocked.Exchange(ref _running, running);
        Interlocked.Exchange(ref _dead, dead);
    }
}
