namespace ScalableApi.Platform.Hosting;

/// <summary>Configuration section <c>Platform:Overload</c>: the per-process concurrency limit.</summary>
public sealed class OverloadOptions
{
    public const string SectionName = "Platform:Overload";

    /// <summary>Requests per core when <see cref="MaxConcurrentRequests"/> is 0.</summary>
    public const int RequestsPerCore = 128;

    /// <summary>Off only for benchmarks that want to see the collapse. Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Requests executing at once; 0 (default) means 128 × processor count. Our handlers mostly wait on the
    /// database, Redis or an upstream, so a core keeps ~10–20 requests busy at normal latency (Little's law:
    /// 1,000 req/s × 10 ms); 128 per core leaves room for a slow-database spike while capping the memory and the
    /// queueing delay a replica can accumulate before it says no.
    /// </summary>
    [Range(0, 1_000_000, ErrorMessage = "must be 0 (128 per core) or a positive count")]
    public int MaxConcurrentRequests { get; set; }

    /// <summary>Requests allowed to wait for a slot (oldest first); beyond it 503 at once. Default 100.</summary>
    [Range(0, 1_000_000, ErrorMessage = "must be 0 (no queue) or a positive count")]
    public int QueueLimit { get; set; } = 100;

    /// <summary>Longest a request waits in the queue before it gets 503 instead. Default 2 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00", ErrorMessage = "must be from 1 ms to 5 minutes")]
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    internal int EffectiveMaxConcurrentRequests =>
        MaxConcurrentRequests > 0 ? MaxConcurrentRequests : RequestsPerCore * Environment.ProcessorCount;
}
