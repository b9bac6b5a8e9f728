namespace ScalableApi.Gateway.RateLimiting;

/// <summary>
/// Configuration section <c>Gateway:RateLimits</c>. Fixed windows counted in the Redis-protocol store, so every
/// gateway instance shares one count. Without <c>ConnectionStrings:redis</c> there is no shared store and the
/// limits are off.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "Gateway:RateLimits";

    private const string PerWindow = "must be at least 1 per window (to lift a limit, set Enabled to false or a large number)";

    public bool Enabled { get; set; } = true;

    /// <summary>When the store cannot be reached: true (default) lets requests through, false answers 503.</summary>
    public bool FailOpen { get; set; } = true;

    /// <summary>Length of every window. Default one minute.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "must be from 1 second to 1 day")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests per window from one client IP without a valid token. Default 600.</summary>
    [Range(1, int.MaxValue, ErrorMessage = PerWindow)]
    public int AnonymousPerIp { get; set; } = 600;

    /// <summary>Requests per window from one signed-in user (token <c>sub</c>), whatever their IP. Default 1,200.</summary>
    [Range(1, int.MaxValue, ErrorMessage = PerWindow)]
    public int SignedInPerUser { get; set; } = 1200;

    /// <summary>Failed logins (401 from <c>POST /api/auth/login</c>) per window from one IP. Default 10.</summary>
    [Range(1, int.MaxValue, ErrorMessage = PerWindow)]
    public int FailedLoginsPerIp { get; set; } = 10;

    /// <summary>Failed logins per window for one email, from any IP. Default 10.</summary>
    [Range(1, int.MaxValue, ErrorMessage = PerWindow)]
    public int FailedLoginsPerEmail { get; set; } = 10;

    /// <summary>Registrations (every <c>POST /api/auth/register</c>) per window from one IP. Default 20.</summary>
    [Range(1, int.MaxValue, ErrorMessage = PerWindow)]
    public int RegistrationsPerIp { get; set; } = 20;

    /// <summary>Longest a request waits for the store before it counts as unreachable. Default 250 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00", ErrorMessage = "must be from 1 ms to 1 minute")]
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Most requests of one client a gateway takes from the store at once and then allows without asking it
    /// (<see cref="RateLimitLeases"/>). A lease is also at most an eighth of what is left of the window, so near the
    /// limit every request asks the store. 1 asks the store on every request. Default 100.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "must be from 1 (ask the store on every request) to 1,000,000")]
    public int MaxLease { get; set; } = 100;

    /// <summary>Prefix of the counter keys.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must not be empty")]
    public string KeyPrefix { get; set; } = "ratelimit";
}
