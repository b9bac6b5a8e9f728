namespace ScalableApi.Platform.Security;

/// <summary>Named policies endpoints require with <c>RequireAuthorization(...)</c>.</summary>
public static class AuthorizationPolicies
{
    /// <summary>Signed in with the <c>admin</c> role.</summary>
    public const string Admin = "admin";
}
