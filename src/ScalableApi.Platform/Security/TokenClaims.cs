namespace ScalableApi.Platform.Security;

/// <summary>Claim names in our access tokens; kept as issued (no inbound claim-type mapping).</summary>
public static class TokenClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Name = "name";
}
