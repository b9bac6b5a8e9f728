using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Platform.Security;

/// <summary>
/// Where token validation finds public keys. Services use <see cref="JwksSigningKeySource"/> (the users
/// service's JWKS over HTTP); the users service uses its own key store.
/// </summary>
public interface ISigningKeySource
{
    /// <summary>Makes sure the key <paramref name="keyId"/> is known if it exists, fetching at most once per refresh interval.</summary>
    ValueTask EnsureKeyAsync(string? keyId, CancellationToken cancellationToken);

    /// <summary>The verification keys known now; called synchronously by the token handler.</summary>
    IReadOnlyList<SecurityKey> GetKeys();
}
