using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Serilog;
using Serilog.Configuration;
using Serilog.Events;

namespace ScalableApi.Platform.Observability;

internal static class ObservabilityExtensions
{
    /// <summary>
    /// Serilog writes compact JSON to stdout (one object per line, with trace and span ids); the same events
    /// also reach OpenTelemetry's logger, which exports them by OTLP when an endpoint is configured.
    /// </summary>
    public static WebApplicationBuilder AddPlatformLogging(this WebApplicationBuilder builder, string serviceName)
    {
        // Serilog owns stdout; without this the default console logger would print every line a second time.
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(
            (services, logger) => logger
                // Defaults first, then configuration (`Serilog:MinimumLevel:…`), so an operator's setting wins.
                .MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
                // FusionCache logs every cache operation at Information: four lines per cached read, ~27 KB and a
                // tenth of a millisecond on the hot path (bench/results/2026-11-27/micro.md). Its warnings stay.
                .MinimumLevel.Override("ZiggyCreatures.Caching.Fusion", LogEventLevel.Warning)
                // YARP's forwarder logs two Information lines per proxied request ("Proxying to…", "Received…");
                // the request log line already says where a request went and how it ended. Its errors stay.
                .MinimumLevel.Override("Yarp.ReverseProxy.Forwarder", LogEventLevel.Warning)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", serviceName)
                // Formatting and the write to stdout happen on a background thread, a batch per write (at most
                // 100 ms late): a request never waits for the console. Past 10,000 queued events (stdout blocked)
                // new ones are dropped rather than stall requests.
                .WriteTo.Sink(
                    new StdoutJsonSink(services.GetService<LogOutput>()?.Stream ?? Console.OpenStandardOutput(), new CompactJsonLineFormatter()),
                    new BatchingOptions
                    {
                        BatchSizeLimit = 1000,
                        BufferingTimeLimit = TimeSpan.FromMilliseconds(100),
                        QueueLimit = 10_000,
                        RetryTimeLimit = TimeSpan.FromSeconds(1),
                    }),
            // Each host owns its logger: the static Log.Logger is left alone, so a host stopping (several run in
            // one test process) closes its own logger, not whichever host registered last.
            preserveStaticLogger: true,
            writeToProviders: true);
        return builder;
    }

    /// <summary>
    /// Traces, metrics and logs through OpenTelemetry when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the AppHost
    /// sets it for the dashboard). Without an endpoint nothing would leave the process, so the SDK is not added:
    /// recording spans, log records and a second copy of every metric would be work on every request for nobody.
    /// Trace context still flows without it: ASP.NET Core starts an activity per request (its ids are in every log
    /// line) and HttpClient sends it on as <c>traceparent</c>.
    /// </summary>
    public static WebApplicationBuilder AddPlatformTelemetry(this WebApplicationBuilder builder, string serviceName)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !RequestTelemetryMiddleware.IsInfrastructurePath(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddSource("Npgsql")
                .AddSource(PlatformMeters.Name + ".*"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("Npgsql")
                .AddMeter(PlatformMeters.Name + "*")
                .AddMeter(QueueMeters.Names))
            .UseOtlpExporter();
        return builder;
    }
}
