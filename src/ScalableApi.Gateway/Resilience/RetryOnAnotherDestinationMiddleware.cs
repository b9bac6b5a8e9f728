using Microsoft.AspNetCore.Http.Features;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace ScalableApi.Gateway.Resilience;

/// <summary>
/// Retries an idempotent request once on another healthy destination when the first one failed before sending
/// any response byte (connection refused, reset, upstream crashed mid-request, no answer in time). The first attempt
/// may then have committed, so only requests whose repeat cannot do a thing twice qualify: GET, HEAD, OPTIONS, PUT,
/// DELETE (a service answers its caller's repeated delete 204 from a tombstone), a merge-patch PATCH, and a POST
/// carrying <c>Idempotency-Key</c>, which the services run at most once per caller and key (Platform/Idempotency:
/// the repeat replays the stored answer, or is 409 while the first still runs; a route that takes no key answers 400).
/// Also retried: a 503 marked <see cref="OverloadProtection.MarkerHeader"/> (the replica refused before doing any
/// work). YARP would stream that 503 to the client, so <see cref="SuppressOverloadedBody"/> (a response transform)
/// drops its body while a retry is possible, which leaves the response unstarted and replaceable.
/// Sits in YARP's proxy pipeline before load balancing, so the retry is balanced like any request and passive
/// health checks see both attempts.
/// </summary>
public sealed partial class RetryOnAnotherDestinationMiddleware(RequestDelegate next, GatewayMetrics metrics, ILogger<RetryOnAnotherDestinationMiddleware> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    private static readonly object RetryPossibleKey = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsRetryable(context.Request))
        {
            await next(context);
            return;
        }

        // Bodies are at most the platform's 1 MiB limit: buffer so the second attempt can send it again. A request
        // that cannot have one (every anonymous GET) skips the buffering stream, allocated per request otherwise.
        var buffered = CanHaveBody(context);
        if (buffered)
        {
            context.Request.EnableBuffering();
        }

        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        if (candidates.Count > 1)
        {
            context.Items[RetryPossibleKey] = true;
        }

        await next(context);
        context.Items.Remove(RetryPossibleKey);

        var error = context.GetForwarderErrorFeature();
        var overloaded = error is null && IsOverloaded(context.Response);
        if (context.Response.HasStarted || proxy.ProxiedDestination is not { } failed
            || !(overloaded || (error is not null && IsBeforeResponse(error.Error))))
        {
            return;
        }

        var others = Without(candidates, failed);
        if (others.Count == 0)
        {
            return;
        }

        if (overloaded)
        {
            LogOverloadedRetry(context.Request.Method, failed.DestinationId);
            // The copied 503 status and headers go; its body was never read.
            context.Response.Clear();
        }
        else
        {
            LogRetry(context.Request.Method, failed.DestinationId, error!.Error);
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        metrics.Retry(proxy.Cluster.Config.ClusterId);
        if (buffered)
        {
            context.Request.Body.Position = 0;
        }

        proxy.AvailableDestinations = others;
        await next(context);
    }

    /// <summary>
    /// YARP response transform: an overloaded 503 is not copied while this middleware can still retry the request
    /// elsewhere (with no other destination, or on the retry itself, the client gets the replica's 503 as sent).
    /// </summary>
    public static ValueTask SuppressOverloadedBody(ResponseTransformContext context)
    {
        if (context.HttpContext.Items.ContainsKey(RetryPossibleKey)
            && context.ProxyResponse is { StatusCode: System.Net.HttpStatusCode.ServiceUnavailable } response
            && response.Headers.Contains(OverloadProtection.MarkerHeader))
        {
            context.SuppressResponseBody = true;
        }

        return ValueTask.CompletedTask;
    }

    private static bool CanHaveBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false };

    private static bool IsOverloaded(HttpResponse response) =>
        response.StatusCode == StatusCodes.Status503ServiceUnavailable && response.Headers.ContainsKey(OverloadProtection.MarkerHeader);

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

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} to {Destination} got 503 overloaded; retrying on another destination")]
    private partial void LogOverloadedRetry(string method, string destination);
}
