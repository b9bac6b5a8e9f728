using System.Diagnostics.Metrics;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// The meters of the job queue and the event pipeline. prometheus-net's meter adapter exports an instrument as
/// <c>{meter name}_{instrument name}</c>, lower-cased, every other character an underscore, and adds nothing for the
/// unit or the instrument kind (a .NET counter becomes a Prometheus gauge of the same name). A meter named under
/// <see cref="PlatformMeters.Name"/> would therefore export <c>scalableapi_jobs_queued</c>; the names dashboards and
/// SPEC use (<c>jobs_queued</c>, <c>job_duration_seconds</c>, <c>outbox_pending</c>, <c>events_consumed_total</c>) come
/// out exactly when the meter is the name's first word and the instrument the rest, units and <c>_total</c> included.
/// OpenTelemetry exports these meters too (see ObservabilityExtensions).
/// </summary>
internal static class QueueMeters
{
    public static readonly string[] Names = ["jobs", "job", "outbox", "events"];

    /// <summary>jobs_queued, jobs_running, jobs_dead.</summary>
    public static readonly Meter Jobs = new("jobs");

    /// <summary>job_duration_seconds, job_attempts_total.</summary>
    public static readonly Meter Job = new("job");

    /// <summary>outbox_pending.</summary>
    public static readonly Meter Outbox = new("outbox");

    /// <summary>events_consumed_total, events_dead.</summary>
    public static readonly Meter Events = new("events");
}
