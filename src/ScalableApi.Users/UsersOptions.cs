using System.ComponentModel.DataAnnotations;
using System.Globalization;
using ScalableApi.Users.Users;

namespace ScalableApi.Users;

/// <summary>Configuration section <c>Users</c>: token lifetimes, signing keys and who is an admin.</summary>
public sealed class UsersOptions : IValidatableObject
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

    /// <summary>E-mail addresses that are admins: given the role on registration and promoted at start-up.</summary>
    public List<string> AdminEmails { get; set; } = [];

    /// <summary>An admin address that is not a valid e-mail would be ignored: nobody would be the admin it names.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
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
