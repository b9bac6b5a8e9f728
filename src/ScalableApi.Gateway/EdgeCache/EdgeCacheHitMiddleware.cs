using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.EdgeCache;

/// <summary>
/// The hit path (#13.4): a read the edge cache can answer from memory is answered right after routing, before the
/// request rules, authentication, authorization, compression and route timeouts, which a hit needs none of. Only
/// requests for which skipping them changes nothing a client sees are candidates (<see cref="Candidate"/>); the
/// rest, and every candidate that is not a hit, go on through the whole pipeline to <see cref="EdgeCacheMiddleware"/>.
/// </summary>
/// <remarks>
/// The layers outside routing still run for a hit: request id, security headers, the access log line and request
/// metric, the exception handler, CORS. The rate limit counts a hit as before, in the branch this middleware runs in
/// (<see cref="Gateway.GatewayExtensions.UseHitPath"/>): a client's budget does not depend on what happens to be cached.
/// </remarks>
internal sealed class EdgeCacheHitMiddleware(
    RequestDelegate next,
    EdgeCacheStore store,
    EdgeCachePurgeChannel channel,
    EdgeCacheMetrics metrics,
    IOptions<EdgeCacheOptions> options,
    TimeProvider time)
{
    private readonly EdgeCacheOptions _options = options.Value;

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var entry = store.Find(request.Path.Value + request.QueryString.Value, request.Headers);
        if (entry is null)
        {
            return next(context);
        }

        var now = time.GetUtcNow();
        if (!EdgeCacheMiddleware.Servable(entry, now, channel, _options))
        {
            return next(context);
        }

        metrics.Request(context.GetEndpoint()!.Metadata.GetMetadata<RouteModel>()!.Config.RouteId, "hit");
        return EdgeCacheMiddleware.ServeAsync(context, entry, now);
    }

    /// <summary>
    /// An anonymous GET/HEAD without a body on a cached route that needs no authorization, from a client that does not
    /// ask for compression: for it the layers the hit path skips would have done nothing (authentication finds no
    /// credentials, the body rules no body, compression is not asked for). Everything else takes the whole pipeline.
    /// </summary>
    public static bool Candidate(HttpContext context, EdgeCacheOptions options, IResponseCompressionProvider compression)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return false;
        }

        var headers = request.Headers;
        if (headers.ContainsKey(HeaderNames.Authorization) || headers.ContainsKey(HeaderNames.Cookie) || headers.ContainsKey(Platform.Data.Consistency.ConsistencyToken.HeaderName)
            || request.ContentLength is > 0 || headers.ContainsKey(HeaderNames.TransferEncoding) || headers.ContainsKey(HeaderNames.ContentType))
        {
            return false;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config is not { } route
            || !EdgeCacheMiddleware.Caches(options, route.RouteId, request.Path)
            || (route.AuthorizationPolicy is { Length: > 0 } policy && !string.Equals(policy, "anonymous", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return !compression.CheckRequestAcceptsCompression(context);
    }
}
