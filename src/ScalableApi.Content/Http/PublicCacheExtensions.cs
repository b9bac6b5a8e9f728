using Microsoft.AspNetCore.Http.HttpResults;

namespace ScalableApi.Content.Http;

/// <summary>Cache-Control for public reads, so a CDN in front of the gateway can absorb read traffic.</summary>
internal static class PublicCacheExtensions
{
    public const string PublicReadCacheControl = "public, max-age=30, stale-while-revalidate=60";

    /// <summary>
    /// Marks 200 responses of a public GET cacheable. Errors are not: a 404 for a post created a moment later,
    /// or a 400, must not be pinned in a CDN for 30 seconds.
    /// </summary>
    public static RouteHandlerBuilder CachePublicly(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK })
            {
                context.HttpContext.Response.Headers.CacheControl = PublicReadCacheControl;
            }

            return result;
        });
}
