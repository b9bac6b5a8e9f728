using ScalableApi.Platform.Data.Consistency;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace ScalableApi.Gateway.Consistency;

/// <summary>
/// Read-your-writes for signed-in users through the gateway (issue 14.3): a proxied response's
/// <c>Consistency-Token</c> is remembered for its user and cluster, and that user's later requests to the cluster carry
/// it (the newer of it and one the client sent), so the service serves them from a standby or a cache only when those
/// have the write. Anonymous callers keep whatever token they send themselves. The store failing costs only the token.
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
            if (UserId(transform.HttpContext) is not { } user)
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
            if (transform.ProxyResponse?.Headers.TryGetValues(ConsistencyToken.HeaderName, out var values) == true
                && values.FirstOrDefault() is { Length: > 0 and <= 64 } token
                && UserId(transform.HttpContext) is { } user)
            {
                await GuardAsync(async () =>
                {
                    await store.RememberAsync(user, cluster, token);
                    return token;
                });
            }
        });
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
