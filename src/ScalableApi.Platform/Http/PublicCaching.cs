using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Http;

/// <summary>
/// Cache-Control for public reads, so a CDN in front of the gateway can absorb read traffic: 30 s fresh, then
/// served stale for up to 60 s while it revalidates (cheap with ETags). A signed-in caller's read, or one carrying a
/// consistency token, gets <c>private, no-store</c> instead: a shared cache keyed by the caller (Vary: Authorization)
/// would answer their next read with this copy for 30 s, past their own writes, which only the database routing (by
/// token, see <see cref="ReadConsistency"/>) keeps read-your-writes.
/// </summary>
public static class PublicCaching
{
    public const string CacheControl = "public, max-age=30, stale-while-revalidate=60";

    public const string PrivateCacheControl = "private, no-store";

    /// <summary>
    /// Public or private by whether the request is signed in, and <c>Vary: Authorization</c> because that makes
    /// the response depend on the header: a CDN must not answer a signed-in request with a public copy.
    /// </summary>
    public static void Apply(HttpContext context)
    {
        var response = context.Response;
        var personal = context.User.Identity?.IsAuthenticated == true || context.ReadConsistency().MinPosition > 0;
        response.Headers[HeaderNames.CacheControl] = personal ? PrivateCacheControl : CacheControl;
        response.Headers.Append(HeaderNames.Vary, HeaderNames.Authorization);
    }

    /// <summary>
    /// Marks 200 responses of a public GET cacheable, and the 304s that stand for them. Errors are not: a 404 for an
    /// item created a moment later, or a 400, must not be pinned in a CDN for 30 seconds.
    /// </summary>
    public static RouteHandlerBuilder CachePublicly(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK or StatusCodes.Status304NotModified })
            {
                Apply(context.HttpContext);
            }

            return result;
        });
}
