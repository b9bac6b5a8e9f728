using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Observability;

/// <summary>
/// <c>/metrics</c>: the process-wide prometheus-net registry (runtime, Kestrel and HttpClient connections, Npgsql)
/// followed by this host's own series (<see cref="PrometheusBridge"/>), served where <see cref="MetricsOptions"/> says.
/// </summary>
internal static class MetricsExtensions
{
    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static WebApplicationBuilder AddPlatformMetrics(this WebApplicationBuilder builder)
    {
        // Other libraries' meters through prometheus-net's adapter; not per-request duplicates of our own.
        Prometheus.Metrics.ConfigureMeterAdapter(o => o.InstrumentFilterPredicate = PrometheusExport.Includes);
        Prometheus.Metrics.ConfigureEventCounterAdapter(o => o.EventSourceFilterPredicate = PrometheusExport.IncludesEventSource);
        var section = builder.Configuration.GetSection(MetricsOptions.SectionName);
        builder.Services.AddValidatedOptions<MetricsOptions>(builder.Configuration, MetricsOptions.SectionName);
        builder.Services.TryAddSingleton<MetricsAccess>();
        builder.Services.TryAddSingleton<PrometheusBridge>();
        builder.Services.TryAddSingleton<RequestMetrics>();
        builder.Services.AddHostedService<MeterAdapterStart>();

        // A non-number fails here, naming the key; an out-of-range one fails validation at start-up.
        var port = section.GetValue<int>(nameof(MetricsOptions.Port));
        if (port is > 0 and <= 65535)
        {
            AddManagementListener(builder, port);
        }

        return builder;
    }

    /// <summary>Starts the bridge before anything records; on the management port, 404 for everything but metrics and health.</summary>
    public static WebApplication UsePlatformMetrics(this WebApplication app)
    {
        _ = app.Services.GetRequiredService<PrometheusBridge>();
        var access = app.Services.GetRequiredService<MetricsAccess>();
        if (access.ManagementPort > 0)
        {
            app.Use((context, next) =>
            {
                if (access.IsOutOfPlaceOnManagementPort(context))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                return next(context);
            });
        }

        return app;
    }

    public static WebApplication MapPlatformMetrics(this WebApplication app)
    {
        app.MapGet("/metrics", ServeAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task ServeAsync(HttpContext context)
    {
        var services = context.RequestServices;
        if (!services.GetRequiredService<MetricsAccess>().Allows(context))
        {
            // The same problem+json as any unknown path (status-code pages write it): nothing tells /metrics exists.
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        context.Response.ContentType = ContentType;
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        await services.GetRequiredService<PrometheusBridge>().Registry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
    }

    /// <summary>
    /// Adds <c>http://{host}:{port}</c> for each host the main listener binds (from <c>urls</c>, <c>http_ports</c> /
    /// <c>https_ports</c>, or Kestrel's default). Through the URL list rather than <c>Listen()</c>, which would make
    /// Kestrel ignore the URLs it was given. After the main URLs, so the first address stays the API's (discovery).
    /// </summary>
    private static void AddManagementListener(WebApplicationBuilder builder, int port)
    {
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls))
        {
            var fromPorts = Ports(builder.WebHost.GetSetting("http_ports"), "http")
                .Concat(Ports(builder.WebHost.GetSetting("https_ports"), "https"))
                .ToList();
            urls = fromPorts.Count > 0 ? string.Join(';', fromPorts) : "http://localhost:5000";
        }

        var main = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var management = main.Select(url => BindingAddress.Parse(url).Host)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(host => $"http://{host}:{port}");
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, string.Join(';', main.Concat(management)));
    }

    private static IEnumerable<string> Ports(string? ports, string scheme) =>
        (ports ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}");
}
