namespace ScalableApi.Gateway.ApiReference;

/// <summary>Configuration section <c>Gateway:ApiReference</c>: the merged OpenAPI document behind <c>/docs</c>.</summary>
public sealed class ApiReferenceOptions
{
    public const string SectionName = "Gateway:ApiReference";

    /// <summary>How long a merged document is served before the services are asked again (a deploy shows up after at most this).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be from 0 to 1 hour")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest the gateway waits for one service's <c>/openapi/v1.json</c> (a just-started replica takes seconds to
    /// generate its first one); one that misses it is taken from its last good document, or left out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00", ErrorMessage = "must be from 50 ms to 1 minute")]
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
