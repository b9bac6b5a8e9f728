using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ScalableApi.Gateway.Pages;

/// <summary>
/// Security headers of the gateway's HTML pages (<c>/dashboard</c>, <c>/docs</c>). The platform's default policy is
/// for a JSON API (<c>default-src 'none'</c>: nothing renders); a page must load its own scripts and styles, and only
/// those: every other header of the platform stays. Applied per endpoint with NetEscapades' named policies
/// (<c>WithSecurityHeadersPolicy</c>): its middleware picks the endpoint's policy when the response starts.
/// </summary>
internal static partial class PageSecurityHeaders
{
    /// <summary>The dashboard: scripts, styles, images and the event stream from its own origin; nothing inline.</summary>
    public const string SelfOnly = "page-self-only";

    /// <summary>
    /// Scalar's page starts itself with one inline module script: allowed by its SHA-256, computed from the very
    /// response (see <see cref="WithPageContentSecurityPolicy{TBuilder}"/>), so no other inline script runs.
    /// </summary>
    public const string InlineScriptsByHash = "page-inline-scripts-by-hash";

    private const string Directives =
        "default-src 'none'; connect-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'";

    public static WebApplicationBuilder AddGatewayPageSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddSecurityHeaderPolicies()
            .AddPolicy(SelfOnly, policy => WithoutCsp(policy).AddCustomHeader("Content-Security-Policy", $"{Directives}; script-src 'self'; style-src 'self'"))
            .AddPolicy(InlineScriptsByHash, policy => WithoutCsp(policy));
        return builder;
    }

    /// <summary>
    /// For an endpoint answering a whole HTML page as <see cref="ContentHttpResult"/>: a CSP allowing the page's own
    /// inline scripts by hash and scripts from its origin. Styles may be inline: Scalar injects its stylesheet at run time.
    /// </summary>
    public static TBuilder WithPageContentSecurityPolicy<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.WithSecurityHeadersPolicy(InlineScriptsByHash);
        builder.AddEndpointFilter(static async (context, next) =>
        {
            var result = await next(context);
            if (result is ContentHttpResult { ResponseContent: { } html })
            {
                var hashes = string.Concat(InlineScripts().Matches(html).Select(m => $" 'sha256-{Hash(m.Groups["body"].Value)}'"));
                context.HttpContext.Response.Headers.ContentSecurityPolicy = $"{Directives}; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'";
            }
            else
            {
                // Anything else the endpoint answers (the redirect to its trailing-slash URL, its assets) renders
                // nothing, so it keeps a CSP that allows nothing rather than none at all.
                context.HttpContext.Response.Headers.ContentSecurityPolicy = Directives;
            }

            return result;
        });
        return builder;
    }

    private static HeaderPolicyCollection WithoutCsp(HeaderPolicyCollection policy) => policy
        .AddFrameOptionsDeny()
        .AddContentTypeOptionsNoSniff()
        .AddReferrerPolicyNoReferrer()
        .AddStrictTransportSecurityMaxAgeIncludeSubDomains()
        .AddCrossOriginOpenerPolicy(b => b.SameOrigin())
        .RemoveServerHeader();

    private static string Hash(string script) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(script)));

    /// <summary>A <c>&lt;script&gt;</c> without <c>src</c> and its body, exactly as the browser hashes it.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>(?<body>.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScripts();
}
