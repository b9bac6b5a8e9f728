namespace ScalableApi.Platform.Jobs;

/// <summary>Configuration section <c>Jobs</c>: the durable job queue of a service (see docs/adr/0003).</summary>
public sealed class JobsOptions
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

    /// <summary>Runs of a job (the first included) before it is dead-lettered: <c>failed</c> with its last error.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Wait before the second run; each further retry doubles it (plus up to 50 % jitter), up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A draft (an upload cut off by a crash) older than this is deleted with its chunks.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan DraftTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether this replica runs jobs at all (an API-only replica can still queue and show them).</summary>
    public bool WorkerEnabled { get; set; } = true;
}
