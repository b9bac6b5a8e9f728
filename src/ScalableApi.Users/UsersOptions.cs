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

    /// <summary>E-mail addresses that are admins: given the role on registration and promoted at start-up.</summary>
    public List<string> AdminEmails { get; set; } = [];
}
