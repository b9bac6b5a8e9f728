using System.Diagnostics;
using Yarp.ReverseProxy.Forwarder;

namespace ScalableApi.Gateway.Observability;

/// <summary>
/// Records every attempt to reach a destination (a retried request counts twice, once per destination):
/// outcome by status class, latency, and a passive-health ejection the first time an attempt finds the
/// destination ejected.
/// </summary>
public sealed class UpstreamMetricsMiddleware(RequestDelegate next, GatewayMetrics metrics)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var proxy = context.GetReverseProxyFeature();
        await next(context);

        if (proxy.ProxiedDestination is not { } destination)
        {
            return;
        }

        var cluster = proxy.Cluster.Config.ClusterId;
        var statusClass = context.GetForwarderErrorFeature() is not null ? "error" : StatusClass(context.Response.StatusCode);
        metrics.UpstreamRequest(cluster, destination.DestinationId, statusClass, Stopwatch.GetElapsedTime(started).TotalSeconds);
        metrics.PassiveHealthSeen(cluster, destination);
    }

    private static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };
}
