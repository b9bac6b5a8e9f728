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

    public List<string> AllowedMethods { get; set; } = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

    public List<string> AllowedHeaders { get; set; } =
        ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-Id", "Consistency-Token"];

    /// <summary>Response headers a script may read besides the CORS-safelisted ones.</summary>
    public List<string> ExposedHeaders { get; set; } =
        ["ETag", "Location", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "X-Request-Id", "Consistency-Token", "Idempotent-Replayed"];

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
