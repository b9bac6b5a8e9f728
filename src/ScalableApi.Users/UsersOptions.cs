using ScalableApi.Users.Accounts;

namespace ScalableApi.Users;

/// <summary>Configuration section <c>Users</c>: token lifetimes, signing keys and who is an admin.</summary>
internal sealed class UsersOptions : IValidatableObject
{
    public const string SectionName = "Users";

    /// <summary>How long an access token is valid. Default 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00", ErrorMessage = "must be from 10 seconds to 1 day")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a refresh token is valid; each refresh issues a new one with a fresh lifetime. Default 30 days.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "366.00:00:00", ErrorMessage = "must be from 10 seconds to 366 days")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Folder of the signing keys; default <c>{Platform:DataDirectory}/keys</c>.</summary>
    public string? KeysDirectory { get; set; }

    /// <summary>Age after which the active signing key is replaced by a new one. Default 30 days.</summary>
    [Range(1, 3650, ErrorMessage = "must be from 1 to 3650 days")]
    public int SigningKeyRotationDays { get; set; } = 30;

    /// <summary>
    /// How long before it starts signing a new key is published in the JWKS. At least the services' JWKS refresh
    /// (<c>Auth:JwksCacheDuration</c>, 10 min) plus the JWKS response's <c>max-age</c> (5 min), so every validator
    /// knows a key before any token it signs. Default 20 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "must be from 0 to 30 days (and shorter than the rotation)")]
    public TimeSpan SigningKeyPublishAhead { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How often each replica does its housekeeping: the next signing key, expired key files, the refresh-token sweep. Default 5 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "must be from 1 second to 1 day")]
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most refresh-token rows one sweep statement deletes (expired or revoked ones), so a sweep never holds a long lock. Default 1000.</summary>
    [Range(1, 1_000_000, ErrorMessage = "must be from 1 to 1000000")]
    public int RefreshTokenSweepBatchSize { get; set; } = 1000;

    /// <summary>E-mail addresses that are admins: given the role on registration and promoted at start-up.</summary>
    public List<string> AdminEmails { get; set; } = [];

    /// <summary>An admin address that is not a valid e-mail would be ignored: nobody would be the admin it names.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // A successor must be published before its predecessor's rotation comes round again.
        if (SigningKeyPublishAhead >= TimeSpan.FromDays(SigningKeyRotationDays))
        {
            yield return new ValidationResult("must be shorter than Users:SigningKeyRotationDays", [nameof(SigningKeyPublishAhead)]);
        }

        for (var i = 0; i < AdminEmails.Count; i++)
        {
            if (!EmailAddress.TryNormalize(AdminEmails[i], out _))
            {
                yield return new ValidationResult(
                    "is not a valid e-mail address",
                    [string.Create(CultureInfo.InvariantCulture, $"{nameof(AdminEmails)}:{i}")]);
            }
        }
    }
}
