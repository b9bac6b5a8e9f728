using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using ScalableApi.Platform.Caching;
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

    /// <summary>A cacheable response's surrogate keys, space-separated (read and stripped by the gateway).</summary>
    public const string SurrogateKeyHeader = "Surrogate-Key";

    /// <summary>The surrogate keys a write changed, space-separated (read and stripped by the gateway).</summary>
    public const string SurrogateKeyPurgeHeader = "Surrogate-Key-Purge";

    /// <summary>
    /// How long the gateway's edge cache may keep a public read (<see cref="CachingOptions.EdgeMaxAge"/>), longer than
    /// <c>Cache-Control</c> lets clients: the edge hears every write's purge, clients do not (Edge Architecture
    /// Specification 1.0; read and stripped by the gateway).
    /// </summary>
    public const string SurrogateControlHeader = "Surrogate-Control";

    /// <summary>
    /// Public or private by whether the request is signed in, and <c>Vary: Authorization</c> because that makes
    /// the response depend on the header: a CDN must not answer a signed-in request with a public copy.
    /// </summary>
    public static void Apply(HttpContext context)
    {
        var response = context.Response;
        var personal = Personal(context);
        response.Headers[HeaderNames.CacheControl] = personal ? PrivateCacheControl : CacheControl;
        response.Headers.Append(HeaderNames.Vary, HeaderNames.Authorization);
        if (!personal && context.RequestServices.GetService<IOptions<CachingOptions>>()?.Value.SurrogateControl() is { Length: > 0 } surrogate)
        {
            response.Headers[SurrogateControlHeader] = surrogate;
        }
    }

    /// <summary>
    /// Marks 200 responses of a public GET cacheable, and the 304s that stand for them. Errors are not: a 404 for an
    /// item created a moment later, or a 400, must not be pinned in a CDN for 30 seconds.
    /// </summary>
    public static RouteHandlerBuilder CachePublicly(this RouteHandlerBuilder builder) => builder.CachePublicly((Func<HttpContext, object?, string>?)null);

    /// <summary>
    /// As <see cref="CachePublicly(RouteHandlerBuilder)"/>, naming the response's surrogate keys (space-separated, e.g.
    /// <c>product:42</c>) in <c>Surrogate-Key</c>: the gateway's edge cache then drops it when a write purges one of
    /// them, and only then. The gateway strips the header. A response without keys is dropped by every purge. Only a
    /// public response names them: a private one is never cached at the edge.
    /// </summary>
    public static RouteHandlerBuilder CachePublicly(this RouteHandlerBuilder builder, Func<HttpContext, string> surrogateKeys) =>
        builder.CachePublicly((context, _) => surrogateKeys(context));

    /// <summary>
    /// As <see cref="CachePublicly(RouteHandlerBuilder, Func{HttpContext, string})"/>, with keys that depend on the
    /// result (a page names the items it shows, see <see cref="ValueOf{T}"/>).
    /// </summary>
    public static RouteHandlerBuilder CachePublicly(this RouteHandlerBuilder builder, Func<HttpContext, object?, string>? surrogateKeys) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if (Status(result) is StatusCodes.Status200OK or StatusCodes.Status304NotModified)
            {
                Apply(context.HttpContext);
                if (surrogateKeys is not null && !Personal(context.HttpContext))
                {
                    context.HttpContext.Response.Headers[SurrogateKeyHeader] = surrogateKeys(context.HttpContext, result);
                }
            }

            return result;
        });

    /// <summary>
    /// Names, on a successful write, the surrogate keys it changed in <c>Surrogate-Key-Purge</c>: the gateway that
    /// carries it purges them before the response leaves and tells the other gateways. A write without the header
    /// (an error, a handler that does not use this, no keys or more than <see cref="EdgePurges.MaxKeys"/>) makes the
    /// gateways purge everything. <paramref name="keys"/> sees the result, for keys only it knows (a created item's
    /// author, see <see cref="ValueOf{T}"/>).
    /// </summary>
    public static RouteHandlerBuilder PurgesEdgeKeys(this RouteHandlerBuilder builder, Func<HttpContext, object?, string> keys) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if (Status(result) is >= 200 and < 300)
            {
                context.HttpContext.Response.SetEdgePurgeKeys(keys(context.HttpContext, result));
            }

            return result;
        });

    /// <summary>As <see cref="PurgesEdgeKeys(RouteHandlerBuilder, Func{HttpContext, object?, string})"/>, for keys the request names.</summary>
    public static RouteHandlerBuilder PurgesEdgeKeys(this RouteHandlerBuilder builder, Func<HttpContext, string> keys) =>
        builder.PurgesEdgeKeys((context, _) => keys(context));

    /// <summary>
    /// For a handler whose changed keys only it knows (what a delete took with it): call once the write committed
    /// and the response will be a success. Space-separated keys; none, or more than <see cref="EdgePurges.MaxKeys"/>
    /// (the header stays far below a proxy's header limit), sends nothing, so the gateways purge everything.
    /// </summary>
    public static void SetEdgePurgeKeys(this HttpResponse response, string keys)
    {
        var count = keys.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (count is > 0 and <= EdgePurges.MaxKeys)
        {
            response.Headers[SurrogateKeyPurgeHeader] = keys;
        }
        else
        {
            response.Headers.Remove(SurrogateKeyPurgeHeader);
        }
    }

    /// <summary>The value of a typed result (<c>Ok&lt;T&gt;</c>, <c>Created&lt;T&gt;</c>, inside a <c>Results&lt;…&gt;</c>), or null.</summary>
    public static T? ValueOf<T>(object? result)
        where T : class =>
        (result is INestedHttpResult nested ? nested.Result : result) is IValueHttpResult<T> { Value: { } value } ? value : null;

    /// <summary>
    /// A <c>{name:long}</c> route value as a number: <c>/api/posts/007</c> is post 7, and must carry the key its
    /// writes purge.
    /// </summary>
    public static long RouteId(this HttpContext context, string name) =>
        long.Parse(context.RouteValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture);

    /// <summary>A route value as a key part (<c>product:{id}</c>).</summary>
    public static string RouteValue(this HttpContext context, string name) =>
        Convert.ToString(context.Request.RouteValues[name], CultureInfo.InvariantCulture) ?? string.Empty;

    private static bool Personal(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true || context.ReadConsistency().MinPosition > 0;

    private static int? Status(object? result) =>
        (result is INestedHttpResult nested ? nested.Result : result) is IStatusCodeHttpResult { StatusCode: { } status } ? status : null;
}
