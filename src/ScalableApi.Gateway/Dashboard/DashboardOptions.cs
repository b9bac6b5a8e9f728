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
}
