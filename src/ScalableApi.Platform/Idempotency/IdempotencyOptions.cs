namespace ScalableApi.Platform.Idempotency;

/// <summary>Configuration section <c>Idempotency</c>: keyed POSTs (SPEC §2) and delete tombstones.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a keyed POST's answer (and a delete's tombstone) is kept: a repeat within it is replayed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Life of the "running" marker of a keyed POST in flight, renewed while it runs; a repeat meanwhile is 409.
    /// After a crash, a repeat waits at most this long (409 with <c>Retry-After</c>) before it runs again.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:05:00")]
    public TimeSpan InFlightTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often each replica deletes expired records.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Records deleted per statement of a sweep (a sweep runs statements until fewer remain).</summary>
    [Range(1, 100_000)]
    public int SweepBatchSize { get; set; } = 1000;
}
