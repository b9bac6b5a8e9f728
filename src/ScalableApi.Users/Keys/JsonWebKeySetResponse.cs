namespace ScalableApi.Users.Keys;

/// <summary>The public half of an ES256 key, as RFC 7517 names its members.</summary>
internal sealed record JsonWebKeyResponse(string Kty, string Crv, string X, string Y, string Kid, string Alg, string Use)
{
    public static JsonWebKeyResponse From(SigningKeyFile file) => new(file.Kty, file.Crv, file.X, file.Y, file.Kid, file.Alg, file.Use);
}

/// <summary><c>{"keys":[…]}</c>: never the private part <c>d</c>.</summary>
internal sealed record JsonWebKeySetResponse(IReadOnlyList<JsonWebKeyResponse> Keys);
