namespace ScalableApi.Platform.Security;

/// <summary>
/// Configuration section <c>Cors</c>: which browser origins may call the API cross-origin. Empty by default: no
/// CORS headers at all, so no other site's scripts can read a response. Set it on the gateway (services are
/// reached only through it).
/// </summary>
internal sealed class PlatformCorsOptions : IValidatableObject
{
    public const string SectionName = "Cors";

    /// <summary>Exact origins (<c>https://app.example.com</c>), or <c>*</c> for any (never with credentials).</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    // The three lists below start empty and fall back to their defaults when nothing is configured: the configuration
    // binder appends to a list that already holds items, so `Cors:AllowedMethods:0=GET` on a pre-filled list would
    // have allowed GET plus every default rather than GET alone.

    /// <summary>Methods a preflight allows; empty: <see cref="DefaultAllowedMethods"/>.</summary>
    public List<string> AllowedMethods { get; set; } = [];

    /// <summary>Request headers a preflight allows; empty: <see cref="DefaultAllowedHeaders"/>.</summary>
    public List<string> AllowedHeaders { get; set; } = [];

    /// <summary>Response headers a script may read besides the CORS-safelisted ones; empty: <see cref="DefaultExposedHeaders"/>.</summary>
    public List<string> ExposedHeaders { get; set; } = [];

    internal static readonly string[] DefaultAllowedMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    internal static readonly string[] DefaultAllowedHeaders =
        ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-Id", "Consistency-Token"];

    internal static readonly string[] DefaultExposedHeaders =
        ["ETag", "Location", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-Request-Id", "Consistency-Token", "Idempotent-Replayed"];

    internal IReadOnlyList<string> EffectiveAllowedMethods => AllowedMethods.Count > 0 ? AllowedMethods : DefaultAllowedMethods;

    internal IReadOnlyList<string> EffectiveAllowedHeaders => AllowedHeaders.Count > 0 ? AllowedHeaders : DefaultAllowedHeaders;

    internal IReadOnlyList<string> EffectiveExposedHeaders => ExposedHeaders.Count > 0 ? ExposedHeaders : DefaultExposedHeaders;

    /// <summary>How long a browser may reuse a preflight's answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00", ErrorMessage = "must be from 0 to 1 day")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Whether cookies and HTTP authentication may go with cross-origin requests (listed origins only).</summary>
    public bool AllowCredentials { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AllowCredentials && AllowedOrigins.Contains("*"))
        {
            yield return new("cannot be true when AllowedOrigins contains \"*\": a browser refuses credentials with a wildcard origin, and allowing every site's credentials would be unsafe", [nameof(AllowCredentials)]);
        }

        for (var i = 0; i < AllowedOrigins.Count; i++)
        {
            var origin = AllowedOrigins[i];
            if (origin != "*" && (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.GetLeftPart(UriPartial.Authority) != origin.TrimEnd('/')))
            {
                yield return new($"'{origin}' is not an origin (scheme://host[:port], no path)", [string.Create(CultureInfo.InvariantCulture, $"{nameof(AllowedOrigins)}:{i}")]);
            }
        }
    }
}
