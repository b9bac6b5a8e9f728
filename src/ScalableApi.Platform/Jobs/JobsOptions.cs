using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Jobs;

/// <summary>
/// Configuration section <c>Jobs</c>: the durable job queue of a service (see docs/adr/0003). A try is a run of a job:
/// past <see cref="RetryPolicyOptions.MaxAttempts"/> (default 5; retries from 2 s up to 5 min) it ends <c>failed</c>
/// with its last error.
/// </summary>
public sealed class JobsOptions() : RetryPolicyOptions(maxAttempts: 5, retryBaseDelay: TimeSpan.FromSeconds(2), retryMaxDelay: TimeSpan.FromMinutes(5))
{
    public const string SectionName = "Jobs";

    /// <summary>Jobs one replica runs at once; more wait in the table for any replica with a free slot.</summary>
    [Range(1, 256)]
    public int MaxConcurrency { get; set; } = 2;

    /// <summary>How often an idle replica looks for due jobs (a job queued on this replica starts at once).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claim lasts without a heartbeat; after it another replica takes the job over.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a running job's lease is renewed (well under <see cref="LeaseDuration"/>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:20:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A draft (an upload cut off by a crash) older than this is deleted with its chunks.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan DraftTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether this replica runs jobs at all (an API-only replica can still queue and show them).</summary>
    public bool WorkerEnabled { get; set; } = true;

    public override IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var result in base.Validate(validationContext))
        {
            yield return result;
        }

        if (HeartbeatInterval >= LeaseDuration)
        {
            // A lease renewed no sooner than it lapses is taken over while its job still runs.
            yield return new ValidationResult($"must be shorter than LeaseDuration ({LeaseDuration:c})", [nameof(HeartbeatInterval)]);
        }
    }
}
