using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;

namespace ScalableApi.Gateway.Dashboard;

/// <summary>
/// The dashboard's session: a browser cannot put a bearer token on an <c>EventSource</c>, so an admin's token is
/// exchanged once (<c>POST /dashboard/session</c>) for a short-lived cookie, HttpOnly (no script reads it),
/// SameSite=Strict (no other site sends it) and scoped to <c>/dashboard</c>. Its value is the admin's id and expiry,
/// encrypted and signed with ASP.NET Core data protection; expiry is checked on the platform's clock.
/// </summary>
internal sealed class DashboardSession(IDataProtectionProvider dataProtection, TimeProvider time, IOptions<DashboardOptions> options)
{
    public const string CookieName = "scalableapi_dashboard";
    public const string CookiePath = "/dashboard";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("ScalableApi.Gateway.Dashboard.Session.v1");

    public DateTimeOffset Issue(HttpContext context, ClaimsPrincipal admin)
    {
        var expires = time.GetUtcNow() + options.Value.SessionLifetime;
        var subject = admin.FindFirstValue(TokenClaims.Subject) ?? "";
        var value = _protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{expires.ToUnixTimeMilliseconds()}|{subject}"));
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = CookiePath,
            Expires = expires,
            IsEssential = true,
        });
        return expires;
    }

    public static void End(HttpContext context) =>
        context.Response.Cookies.Delete(CookieName, new CookieOptions { Path = CookiePath, HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps });

    /// <summary>The session's expiry when the request carries a valid, unexpired cookie; otherwise null.</summary>
    public DateTimeOffset? Validate(HttpContext context)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }

        string payload;
        try
        {
            payload = _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // forged, damaged, or from a key this gateway does not have
        }

        var separator = payload.IndexOf('|', StringComparison.Ordinal);
        if (separator <= 0 || !long.TryParse(payload.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return null;
        }

        var expires = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return expires > time.GetUtcNow() ? expires : null;
    }
}
