using ScalableApi.Gateway.EdgeCache;
using ScalableApi.Platform.Data.Consistency;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace ScalableApi.Gateway.Consistency;

/// <summary>
/// Read-your-writes for signed-in users through the gateway (issue 14.3): a proxied response's
/// <c>Consistency-Token</c> is remembered for its user and cluster, and that user's later requests to the cluster carry
/// it (the newer of it and one the client sent), so the service serves them from a standby or a cache only when those
/// have the write. Anonymous callers keep whatever token they send themselves. The store failing costs only the token.
/// A signed-in write also leaves the edge-cache slots it purged (<see cref="ConsistencyTokenStore.RememberWrittenAsync"/>),
/// so the edge cache answers that user's reads of everything else from memory (<see cref="EdgeCacheMiddleware"/>).
/// </summary>
internal sealed partial class ConsistencyTokenTransforms(
    ConsistencyTokenStore store, IOptions<ConsistencyTokenOptions> options, ILogger<ConsistencyTokenTransforms> logger) : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        if (!options.Value.Enabled || context.Route.ClusterId is not { } cluster)
        {
            return;
        }

        context.AddRequestTransform(async transform =>
        {
            // An edge-cache fill for a signed-in reader goes up as the anonymous read it is, to be stored for everyone.
            if (UserId(transform.HttpContext) is not { } user || transform.HttpContext.Items.ContainsKey(EdgeCacheMiddleware.AnonymousFill))
            {
                return;
            }

            var remembered = await GuardAsync(() => store.RecallAsync(user, cluster));
            if (remembered is null)
            {
                return;
            }

            var headers = transform.ProxyRequest.Headers;
            var sent = headers.TryGetValues(ConsistencyToken.HeaderName, out var values) ? values.FirstOrDefault() : null;
            if (sent is null || (sent.Length == remembered.Length && string.CompareOrdinal(remembered, sent) > 0))
            {
                headers.Remove(ConsistencyToken.HeaderName);
                headers.TryAddWithoutValidation(ConsistencyToken.HeaderName, remembered);
            }
        });
        context.AddResponseTransform(async transform =>
        {
            if (transform.ProxyResponse is not { } response || UserId(transform.HttpContext) is not { } user)
            {
                return;
            }

            var token = response.Headers.TryGetValues(ConsistencyToken.HeaderName, out var values)
                && values.FirstOrDefault() is { Length: > 0 and <= 64 } sent ? sent : null;
            var written = Written(transform.HttpContext.Request.Method, response);
            if (token is null && written is null)
            {
                return;
            }

            // Both before the response leaves: the user's next request, on any gateway, finds them.
            await Task.WhenAll(
                token is null ? Task.CompletedTask : GuardAsync(async () =>
                {
                    await store.RememberAsync(user, cluster, token);
                    return token;
                }),
                written is null ? Task.CompletedTask : GuardAsync(async () =>
                {
                    await store.RememberWrittenAsync(user, written);
                    return user;
                }));
        });
    }

    /// <summary>
    /// The edge-cache slots a write's response says it changed (the gateway purges the same), or
    /// <see cref="ConsistencyTokenStore.AllSlots"/> when it named none; null for a read or a 4xx, which change nothing.
    /// </summary>
    private static int[]? Written(string method, HttpResponseMessage response)
    {
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || (int)response.StatusCode is >= 400 and < 500)
        {
            return null;
        }

        var keys = response.Headers.TryGetValues(EdgeCacheMiddleware.SurrogateKeyPurgeHeader, out var named) ? string.Join(' ', named) : "";
        // Slots of no key is the slot of the responses that declared none, which every purge reaches too.
        return string.IsNullOrWhiteSpace(keys) ? [ConsistencyTokenStore.AllSlots] : [.. EdgeCacheStore.Slots(keys), .. EdgeCacheStore.Slots(null)];
    }

    private static string? UserId(HttpContext context) =>
        context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(TokenClaims.Subject)?.Value : null;

    private async Task<string?> GuardAsync(Func<Task<string?>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            LogStoreFailed(logger, e);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consistency tokens: the store did not answer; the request goes on without one")]
    private static partial void LogStoreFailed(ILogger logger, Exception exception);
}
