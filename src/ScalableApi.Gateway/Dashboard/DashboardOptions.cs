namespace ScalableApi.Gateway.Dashboard;

/// <summary>Configuration section <c>Gateway:Dashboard</c>: the operator's live page at <c>/dashboard</c>.</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Gateway:Dashboard";

    /// <summary>How long the session cookie from <c>POST /dashboard/session</c> lets the page and its stream in.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "12:00:00", ErrorMessage = "must be from 1 minute to 12 hours")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Time between two snapshots on the stream.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00", ErrorMessage = "must be from 100 ms to 1 minute")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Port of the services' <c>/metrics</c> the gateway scrapes (their <c>Platform:Metrics:Port</c>); 0 = the destination's own address.</summary>
    [Range(0, 65535, ErrorMessage = "must be 0 (the destination's address) or a port")]
    public int ServiceMetricsPort { get; set; }

    /// <summary>Time between two scrapes of the services' <c>/metrics</c> for the dashboard.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00", ErrorMessage = "must be from 1 second to 5 minutes")]
    public TimeSpan ScrapeInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one scrape of one destination may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30", ErrorMessage = "must be from 100 ms to 30 seconds")]
    public TimeSpan ScrapeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Largest <c>/metrics</c> response read; a larger one counts as failed (bounds the gateway's memory).</summary>
    [Range(4096, 16 * 1024 * 1024, ErrorMessage = "must be from 4 KiB to 16 MiB")]
    public int MaxMetricsBytes { get; set; } = 1024 * 1024;
}
