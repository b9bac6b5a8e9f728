using System.Diagnostics.Metrics;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Platform.Data;

/// <summary>
/// <c>db_reads_total{target,reason}</c> on the <see cref="PlatformMeters.Name"/> meter: which server answered each read
/// connection and why, so the share of reads the standbys take (and each fallback to the primary) is on <c>/metrics</c>.
/// </summary>
public sealed class DatabaseMetrics(IMeterFactory meterFactory)
{
    /// <summary>A read that must be latest: the primary, by rule.</summary>
    public const string Latest = "latest";

    /// <summary>A read that allows a standby and got one.</summary>
    public const string Standby = "standby";

    /// <summary>A read that allows a standby, none answered (down, or still starting): the primary served it.</summary>
    public const string StandbyUnavailable = "standby_unavailable";

    /// <summary>A read a standby failed (it went away, a recovery conflict), run again on the primary.</summary>
    public const string StandbyFailed = "standby_failed";

    /// <summary>A read carrying a consistency token the standby had not replayed yet: the primary served it.</summary>
    public const string TokenAhead = "token_ahead";

    /// <summary>A read that allows a standby whose replay lag exceeded <c>Database:MaxStandbyLagMilliseconds</c>: the primary served it.</summary>
    public const string StandbyLagging = "standby_lagging";

    /// <summary>A read that allows a standby, but the connection string names one host only.</summary>
    public const string NoStandby = "no_standby";

    private readonly Counter<long> _reads = meterFactory.Create(PlatformMeters.Name).CreateCounter<long>(
        "db_reads_total",
        "{connection}",
        "Read connections by the server that served them (target: primary, standby) and why (reason: latest, standby, standby_unavailable, standby_failed, standby_lagging, token_ahead, no_standby).")
        .WithLabels("reason", "target");

    public void Read(bool onStandby, string reason) =>
        _reads.Add(1, new("reason", reason), new("target", onStandby ? "standby" : "primary"));
}
