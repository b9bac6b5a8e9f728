using System.Reflection;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ScalableApi.Gateway;
using ScalableApi.Platform;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Bench.Micro;

/// <summary>
/// What every request pays for its metrics. The baseline is a prometheus-net histogram with the request labels
/// recorded as the platform did until 2026-12-03 (a static <c>WithLabels(method, route, status).Observe(…)</c>).
/// Beside it, on the platform as a service builds it (<c>AddPlatform</c> + <c>UsePlatform</c>, Production): the
/// whole <see cref="RequestTelemetryMiddleware"/> around a request that does nothing (metric and request log line,
/// written to <see cref="Stream.Null"/>), the request metric alone (<c>RequestMetrics.Record</c>, a
/// <c>System.Diagnostics.Metrics</c> histogram bridged to this host's registry), the same with an OTLP endpoint
/// configured (OpenTelemetry's SDK aggregating it too; no export happens during the run), and the gateway's
/// per-attempt upstream metrics.
/// </summary>
[MemoryDiagnoser]
public class RequestMetricBenchmarks
{
    private static readonly string[] Routes = ["/api/products/{id:long}", "/api/posts/{id:long}", "/api/users/{id:long}", "/api/products"];

    private Prometheus.Histogram _static = null!;
    private RequestDelegate _middleware = null!;
    private GatewayMetrics _gateway = null!;
    private DefaultHttpContext[] _contexts = [];
    private WebApplication _app = null!;
    private WebApplication _otlpApp = null!;
    private RequestMetrics _metrics = null!;
    private RequestMetrics _otlpMetrics = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _static = Prometheus.Metrics.WithCustomRegistry(Prometheus.Metrics.NewCustomRegistry()).CreateHistogram(
            "http_request_duration_seconds",
            "Duration of HTTP requests handled by this process.",
            new Prometheus.HistogramConfiguration
            {
                LabelNames = ["method", "route", "status"],
                Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });

        _app = BuildApp(otlp: false);
        _metrics = _app.Services.GetRequiredService<RequestMetrics>();
        _otlpApp = BuildApp(otlp: true);
        _otlpMetrics = _otlpApp.Services.GetRequiredService<RequestMetrics>();
        _middleware = ((RequestTelemetryMiddleware)ActivatorUtilities.CreateInstance(
            _app.Services, typeof(RequestTelemetryMiddleware), (RequestDelegate)(_ => Task.CompletedTask))).InvokeAsync;
        _gateway = ActivatorUtilities.CreateInstance<GatewayMetrics>(_app.Services);
        _contexts = Routes.Select(route =>
        {
            var context = new DefaultHttpContext();
            context.Request.Method = HttpMethods.Get;
            context.Request.Path = route.Replace("{id:long}", "42", StringComparison.Ordinal);
            context.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse(route), 0, EndpointMetadataCollection.Empty, route));
            return context;
        }).ToArray();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _app.DisposeAsync();
        await _otlpApp.DisposeAsync();
    }

    /// <summary>The request metric as it was recorded until 2026-12-03.</summary>
    [Benchmark(Baseline = true)]
    public void PrometheusNetStatic() => _static.WithLabels("GET", Routes[Next()], "200").Observe(0.0042);

    /// <summary>The platform's request middleware around a request that does nothing: metric and log line.</summary>
    [Benchmark]
    public Task RequestTelemetryMiddlewareWhole() => _middleware(_contexts[Next()]);

    /// <summary>The request metric as the platform records it now, on /metrics only (no OTLP endpoint).</summary>
    [Benchmark]
    public void RequestMetricsRecord() => _metrics.Record("GET", Routes[Next()], "200", 0.0042);

    /// <summary>The same with OTLP configured: OpenTelemetry's SDK aggregates the measurement as well.</summary>
    [Benchmark]
    public void RequestMetricsRecordWithOtlp() => _otlpMetrics.Record("GET", Routes[Next()], "200", 0.0042);

    /// <summary>One proxied attempt's metrics in the gateway (request count by status class, upstream duration).</summary>
    [Benchmark]
    public void GatewayUpstreamRequest() => _gateway.UpstreamRequest("catalog", Next() % 2 == 0 ? "catalog-1" : "catalog-2", "2xx", 0.0042);

    private int Next() => _next = (_next + 1) & 3;

    private static WebApplication BuildApp(bool otlp)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = [] });
        builder.Services.AddSingleton(new LogOutput(Stream.Null));
        if (otlp)
        {
            // Nothing listens there and the first export is an hour away: the run measures recording only.
            builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
            builder.Configuration["OTEL_METRIC_EXPORT_INTERVAL"] = "3600000";
        }

        builder.AddPlatform("bench", Assembly.GetExecutingAssembly());
        builder.Services.AddReverseProxy().LoadFromMemory([], []);
        var app = builder.Build();
        app.UsePlatform();
        // The OpenTelemetry SDK's meter provider starts listening when it is first resolved (as the host's start does).
        _ = app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>();
        return app;
    }
}
