namespace ScalableApi.Users.Keys;

/// <summary><c>GET /.well-known/jwks.json</c>: the keys other services verify access tokens with.</summary>
internal static class KeysApi
{
    /// <summary>Short enough that a rotated-in key reaches validators soon; they also refetch on an unknown kid.</summary>
    public const string CacheControl = "public, max-age=300";

    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/.well-known/jwks.json", GetJwks).AllowAnonymous().WithTags("Auth")
            .WithName("GetJwks").WithSummary("The public keys access tokens are signed with (JWKS).");
        return app;
    }

    public static Ok<JsonWebKeySetResponse> GetJwks(SigningKeyStore keys, HttpContext context)
    {
        context.Response.Headers.CacheControl = CacheControl;
        return TypedResults.Ok(new JsonWebKeySetResponse([.. keys.GetVerificationKeys().Select(k => JsonWebKeyResponse.From(k.File))]));
    }
}
