using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace ScalableApi.Gateway.Resilience;

/// <summary>
/// Retries an idempotent request once on another healthy destination when the first one failed before sending
/// any response byte (connection refused, reset, upstream crashed mid-request). Idempotent means GET, HEAD,
/// OPTIONS, PUT, DELETE, or a POST/PATCH carrying <c>Idempotency-Key</c>: repeating those cannot do a thing twice.
/// Sits in YARP's proxy pipeline before load balancing, so the retry is balanced like any request and passive
/// health checks see both attempts.
/// </summary>
public sealed partial class RetryOnAnotherDestinationMiddleware(RequestDelegate next, GatewayMetrics metrics, ILogger<RetryOnAnotherDestinationMiddleware> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsRetryable(context.Request))
        {
            await next(context);
            return;
        }

        // Bodies are at most the platform's 1 MiB limit: buffer so the second attempt can send it again.
        context.Request.EnableBuffering();
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;

        await next(context);

        var error = context.GetForwarderErrorFeature();
        if (error is null || context.Response.HasStarted || !IsBeforeResponse(error.Error) || proxy.ProxiedDestination is not { } failed)
        {
            return;
        }

        var others = Without(candidates, failed);
        if (others.Count == 0)
        {
            return;
        }

        LogRetry(context.Request.Method, failed.DestinationId, error.Error);
        metrics.Retry(proxy.Cluster.Config.ClusterId);
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Request.Body.Position = 0;
        proxy.AvailableDestinations = others;
        await next(context);
    }

    internal static bool IsRetryable(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
        || HttpMethods.IsPut(request.Method) || HttpMethods.IsDelete(request.Method)
        || ((HttpMethods.IsPost(request.Method) || HttpMethods.IsPatch(request.Method)) && request.Headers.ContainsKey(IdempotencyKeyHeader));

    /// <summary>Failures where the upstream cannot have produced a response the client saw.</summary>
    private static bool IsBeforeResponse(ForwarderError error) => error is ForwarderError.Request or ForwarderError.RequestTimedOut
        or ForwarderError.RequestBodyDestination or ForwarderError.NoAvailableDestinations;

    private static List<DestinationState> Without(IReadOnlyList<DestinationState> destinations, DestinationState failed)
    {
        var others = new List<DestinationState>(destinations.Count);
        foreach (var destination in destinations)
        {
            if (!ReferenceEquals(destination, failed))
            {
                others.Add(destination);
            }
        }

        return others;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} to {Destination} failed before a response ({Error}); retrying on another destination")]
    private partial void LogRetry(string method, string destination, ForwarderError error);
}
