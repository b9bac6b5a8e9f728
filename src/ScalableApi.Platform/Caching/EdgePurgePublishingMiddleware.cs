using ScalableApi.Platform.Http;
using StackExchange.Redis;

namespace ScalableApi.Platform.Caching;

/// <summary>
/// A service's successful write publishes the keys it named in <c>Surrogate-Key-Purge</c> on the purge channel
/// itself, besides the gateway that carries it (which purges before the response leaves it): a write that reached a
/// replica any other way (an operator's script, a sidecar, a client inside the network) would otherwise reach the
/// gateways' edge caches only when their entries expire, after <see cref="CachingOptions.EdgeMaxAge"/> (5 min).
/// Innermost, so an idempotent replay, which changed nothing, publishes nothing. A store that is down is not an
/// error: the gateways cannot hear one another either, and cap their hits' age.
/// </summary>
internal sealed class EdgePurgePublishingMiddleware(RequestDelegate next, IHostEnvironment environment)
{
    private readonly string _source = environment.ApplicationName + ":write";

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        var response = context.Response;
        if (response.StatusCode is >= 200 and < 300
            && response.Headers.TryGetValue(PublicCaching.SurrogateKeyPurgeHeader, out var named)
            && named.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } keys)
        {
            await EdgePurges.PublishAsync(context.RequestServices, _source, keys);
        }
    }

    /// <summary>Services with a database and a shared store only: the gateway's own pipeline forwards these headers, and purges itself.</summary>
    public static bool Wanted(IServiceProvider services) =>
        services.GetService<Data.Consistency.ConsistencyClock>() is not null && services.GetService<IConnectionMultiplexer>() is not null;
}
