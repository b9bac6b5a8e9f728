using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Users.Keys;

/// <summary>
/// A loaded signing key. <see cref="VerifiesUntil"/> is null while it is the newest key; once a successor
/// exists it is the successor's creation plus the longest time a token it signed can still be accepted.
/// </summary>
internal sealed record SigningKey(string Kid, long CreatedAt, long? VerifiesUntil, ECDsaSecurityKey SecurityKey, SigningKeyFile File)
{
    public bool Verifies(long nowMs) => VerifiesUntil is null || nowMs < VerifiesUntil;
}
