namespace ScalableApi.Contracts;

/// <summary>The roles an access token can carry in its <c>role</c> claim.</summary>
public static class Roles
{
    public const string User = "user";
    public const string Admin = "admin";
}
