using System.Security.Claims;
using ScalableApi.Contracts;

namespace ScalableApi.Platform.Security;

/// <summary>Reading the caller from a validated access token (<c>sub</c> = user id, <c>role</c>).</summary>
public static class ClaimsPrincipalExtensions
{
    public static long? GetUserId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(TokenClaims.Subject), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static bool IsAdmin(this ClaimsPrincipal user) => user.HasClaim(TokenClaims.Role, Roles.Admin);

    /// <summary>True when the caller is the user <paramref name="userId"/> or an admin.</summary>
    public static bool IsSelfOrAdmin(this ClaimsPrincipal user, long userId) => user.GetUserId() == userId || user.IsAdmin();
}
