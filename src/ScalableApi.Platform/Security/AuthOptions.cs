namespace ScalableApi.Platform.Security;

/// <summary>Configuration section <c>Auth</c>: how access tokens are issued (users service) and checked (everyone).</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>The <c>iss</c> claim tokens carry and services require.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must not be empty")]
    public string Issuer { get; set; } = "scalableapi";

    /// <summary>The <c>aud</c> claim tokens carry and services require.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "must not be empty")]
    public string Audience { get; set; } = "scalableapi";

    /// <summary>Where services fetch the users service's public keys, e.g. <c>http://users/.well-known/jwks.json</c>.</summary>
    [Url(ErrorMessage = "must be an absolute http(s) URL")]
    public string? JwksUrl { get; set; }

    /// <summary>Minimum time between two JWKS fetches triggered by unknown key ids (a flood of forged kids costs one fetch).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be from 0 to 1 hour")]
    public TimeSpan JwksRefreshMinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long fetched keys are trusted before a background refetch.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "must be from 1 second to 7 days")]
    public TimeSpan JwksCacheDuration { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Tolerated clock difference between issuer and validator.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "must be from 0 to 10 minutes")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Validated tokens remembered per process (by SHA-256), so a signed-in request skips the ES256 check after the
    /// first; 0 turns the cache off. Each entry is about 2 KB. Default 10,000.
    /// </summary>
    [Range(0, 10_000_000, ErrorMessage = "must be from 0 (off) to 10000000")]
    public int ValidatedTokenCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Longest a validated token is remembered (never past its expiry): also how long a signing key withdrawn
    /// from the JWKS can keep one alive in a process that has not refetched. Default 5 min.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "must be from 0 (off) to 1 hour")]
    public TimeSpan ValidatedTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
