namespace ScalableApi.Platform.Hosting;

/// <summary>Configuration section <c>Platform</c>: what every service shares.</summary>
public sealed class PlatformOptions
{
    public const string SectionName = "Platform";

    /// <summary>Name of the service, used for logs, traces, metrics and default file names.</summary>
    public string ServiceName { get; set; } = "service";

    /// <summary>Folder for SQLite databases and generated keys. Default <c>./data</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must name a folder")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Largest request body accepted, in bytes (413 beyond). Default 1 MiB.</summary>
    [Range(1L, 1L << 30, ErrorMessage = "must be from 1 byte to 1 GiB")]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// After a stop signal, how long to keep serving with readiness at 503 before the server stops, so load
    /// balancers notice first. Keep it below the orchestrator's grace period (Kubernetes: 30 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "must be from 0 to 10 minutes")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);
}
