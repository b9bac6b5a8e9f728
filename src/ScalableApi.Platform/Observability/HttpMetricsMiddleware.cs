using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// <c>http_request_duration_seconds{method,route,status}</c>. The route label is the endpoint's template
/// (<c>/api/products/{id}</c>), never the raw path, so label cardinality stays bounded whatever clients send.
/// </summary>
public sealed class HttpMetricsMiddleware(RequestDelegate next)
{
    private static readonly Histogram Duration = Metrics.CreateHistogram(
        "http_request_duration_seconds",
        "Duration of HTTP requests handled by this process.",
        new HistogramConfiguration
        {
            LabelNames = ["method", "route", "status"],
            Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        });

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            Duration.WithLabels(NormalizeMethod(context.Request.Method), route, StatusLabel(context.Response.StatusCode))
                .Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    // Bounded label values: an unknown method would otherwise mint a new series per request.
    private static string NormalizeMethod(string method) => method switch
    {
        "GET" or "POST" or "PUT" or "PATCH" or "DELETE" or "HEAD" or "OPTIONS" => method,
        _ => "OTHER",
    };

    private static string StatusLabel(int status) => status switch
    {
        200 => "200",
        201 => "201",
        202 => "202",
        204 => "204",
        304 => "304",
        400 => "400",
        401 => "401",
        403 => "403",
        404 => "404",
        409 => "409",
        500 => "500",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
