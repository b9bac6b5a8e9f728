using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace ScalableApi.Platform.Http;

/// <summary>
/// Cache-Control for public reads, so a CDN in front of the gateway can absorb read traffic: 30 s fresh, then
/// served stale for up to 60 s while it revalidates (cheap with ETags).
/// </summary>
public static class PublicCaching
{
    public const string CacheControl = "public, max-age=30, stale-while-revalidate=60";

    public static void Apply(HttpResponse response) => response.Headers[HeaderNames.CacheControl] = CacheControl;

    /// <summary>
    /// Marks 200 responses of a public GET cacheable. Errors are not: a 404 for an item created a moment later,
    /// or a 400, must not be pinned in a CDN for 30 seconds.
    /// </summary>
    public static RouteHandlerBuilder CachePublicly(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })
            {
                Apply(context.HttpContext.Response);
            }

            return result;
        });
}
