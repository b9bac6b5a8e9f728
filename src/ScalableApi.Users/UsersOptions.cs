namespace ScalableApi.Users;

/// <summary>Configuration section <c>Users</c>: token lifetimes, signing keys and who is an admin.</summary>
internal sealed class UsersOptions
{
    public const string SectionName = "Users";

    /// <summary>How long an access token is valid. Default 1 hour.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a refresh token is valid; each refresh issues a new one with a fresh lifetime. Default 30 days.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Folder of the signing keys; default <c>{Platform:DataDirectory}/keys</c>.</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>Age after which the active signing key is replaced by a new one. Default 30 days.</summary>
    public int SigningKeyRotationDays { get; set; } = 30;

    /// <summary>
    /// How long before it starts signing a new key is published in the JWKS. At least the services' JWKS refresh
    /// (<c>Auth:JwksCacheDuration</c>, 10 min) plus the JWKS response's <c>max-age</c> (5 min), so every validator
    /// knows a key before any token it signs. Default 20 minutes.
    /// </summary>
    public TimeSpan SigningKeyPublishAhead { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How often each replica does its housekeeping: the next signing key, expired key files, the refresh-token sweep. Default 5 minutes.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most refresh-token rows one sweep statement deletes (expired or revoked ones), so a sweep never holds a long lock. Default 1000.</summary>
    public int RefreshTokenSweepBatchSize { get; set; } = 1000;

    /// <summary>E-mail addresses that are admins: given the role on registration and promoted at start-up.</summary>
    public List<string> AdminEmails { get; set; } = [];
}
