using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Caching;
using ScalableApi.Platform.Discovery;
using ScalableApi.Platform.Errors;
using ScalableApi.Platform.Health;
using ScalableApi.Platform.Hosting;
using ScalableApi.Platform.Http;
using ScalableApi.Platform.Idempotency;
using ScalableApi.Platform.Observability;
using ScalableApi.Platform.Security;
using ScalableApi.Platform.Validation;

namespace ScalableApi.Platform;

/// <summary>
/// The cross-cutting concerns every service gets from three calls:
/// <c>builder.AddPlatform("name")</c>, <c>app.UsePlatform()</c> and <c>app.MapPlatformEndpoints()</c>.
/// </summary>
public static class PlatformExtensions
{
    /// <summary>
    /// Logging, telemetry, problem details, JSON, body limits, JWT validation, health checks, OpenAPI,
    /// validators from <paramref name="serviceAssembly"/>, and the Redis-protocol connection when
    /// <c>ConnectionStrings:redis</c> is set.
    /// </summary>
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder, string serviceName, Assembly serviceAssembly)
    {
        // One clock for everything time-dependent (tokens, caches, leases), so tests replace it once.
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder
            .AddPlatformHosting(serviceName)
            .AddPlatformLogging(serviceName)
            .AddPlatformTelemetry(serviceName)
            .AddPlatformMetrics()
            .AddPlatformHttp()
            .AddPlatformProblemDetails()
            .AddPlatformAuthentication()
            .AddPlatformCors()
            .AddPlatformValidation(serviceAssembly)
            .AddPlatformHealth()
            .AddPlatformStore(serviceName)
            // In the platform rather than in each service: every service gets the same L1/L2/backplane set-up and
            // metrics, and one that caches nothing pays nothing (the cache is created on first use).
            .AddPlatformCaching(serviceName)
            .AddPlatformDiscovery();
    }

    /// <summary>The middleware pipeline, in the order that makes each layer see what it needs.</summary>
    /// <param name="app">The application.</param>
    /// <param name="beforeAuthentication">
    /// Middleware of the host's own between routing (and the concurrency limit) and the request rules and
    /// authentication: the gateway answers its edge-cache hits there, which need neither.
    /// </param>
    public static WebApplication UsePlatform(this WebApplication app, Action<IApplicationBuilder>? beforeAuthentication = null)
    {
        // Outermost: the request id and the security headers are set in OnStarting callbacks, which survive
        // the exception handler clearing the response, so error responses carry them too.
        app.UseMiddleware<RequestIdMiddleware>();
        app.UsePlatformSecurityHeaders();
        app.UseMiddleware<RequestTelemetryMiddleware>();
        // Outside the exception handler and status-code pages, so their problem+json answers get a length too.
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ResponseBufferingOptions>>().Value is { Enabled: true, MaxBufferedBytes: > 0 })
        {
            app.UseMiddleware<BufferedResponseMiddleware>();
        }

        app.UseExceptionHandler();
        app.UsePlatformCors();
        app.UseStatusCodePages();
        app.UsePlatformMetrics();
        app.UseRouting();
        // Inside the request telemetry, so rejected requests show as 503s; before anything that does real work.
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<OverloadOptions>>().Value.Enabled)
        {
            app.UseMiddleware<ConcurrencyLimitMiddleware>();
        }

        beforeAuthentication?.Invoke(app);
        app.UseMiddleware<RequestBodyRulesMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        // Services with a database: a request's consistency token sets its reads' freshness, a write returns one.
        if (app.Services.GetService<Data.Consistency.ConsistencyClock>() is not null)
        {
            app.UseMiddleware<Data.Consistency.ConsistencyTokenMiddleware>();
        }

        app.UseIdempotency();
        if (Caching.EdgePurgePublishingMiddleware.Wanted(app.Services))
        {
            app.UseMiddleware<Caching.EdgePurgePublishingMiddleware>();
        }

        return app;
    }

    /// <summary>
    /// <c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c> and, unless <paramref name="openApiDocument"/> is false,
    /// <c>/openapi/v1.json</c>, in every environment. The gateway serves no document of its own over HTTP: its one
    /// inventory is the merged <c>/openapi/gateway.json</c> (OWASP API9).
    /// </summary>
    public static WebApplication MapPlatformEndpoints(this WebApplication app, bool openApiDocument = true)
    {
        app.MapPlatformHealth();
        app.MapPlatformMetrics();
        if (openApiDocument)
        {
            app.MapOpenApi();
        }

        return app;
    }
}
