using System.Reflection;
using System.Text.Encodings.Web;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
using StackExchange.Redis;

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
        builder.Services.AddHostedService<MeterAdapterStart>();
        builder.Services.AddOptions<PlatformOptions>()
            .Bind(builder.Configuration.GetSection(PlatformOptions.SectionName))
            .PostConfigure(o => o.ServiceName = serviceName);
        var platform = builder.Configuration.GetSection(PlatformOptions.SectionName).Get<PlatformOptions>() ?? new PlatformOptions();

        builder.Services.AddOptions<OverloadOptions>().Bind(builder.Configuration.GetSection(OverloadOptions.SectionName));
        builder.Services.AddOptions<ResponseBufferingOptions>().Bind(builder.Configuration.GetSection(ResponseBufferingOptions.SectionName));
        builder.AddPlatformLogging(serviceName);
        builder.AddPlatformTelemetry(serviceName);
        builder.AddPlatformMetrics();

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = platform.MaxRequestBodyBytes;
        });

        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            // A JSON API returns strings as stored; HTML encoding is the renderer's job (nosniff + CSP keep it inert).
            o.SerializerOptions.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            // A number sent as a string ("age":"7") is a wrong type, answered 400 like any other.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });
        // Malformed bodies throw so the exception handler can answer with a precise problem+json.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsSetup.Customize);
        builder.Services.AddExceptionHandler<PlatformExceptionHandler>();

        builder.AddPlatformAuthentication();
        builder.AddPlatformCors();
        builder.Services.AddValidatorsFromAssembly(serviceAssembly, includeInternalTypes: true);
        builder.Services.AddOpenApi();

        builder.Services.AddSingleton<DrainState>();
        builder.Services.AddHostedService<GracefulDrainService>();
        var health = builder.Services.AddHealthChecks().AddCheck<DrainingHealthCheck>("drain", tags: [HealthTags.Ready]);
        var redis = builder.Configuration.GetRedisConnectionString();
        if (redis is not null)
        {
            var redisOptions = ConfigurationOptions.Parse(redis);
            redisOptions.AbortOnConnectFail = false;
            // While Redis is unreachable, commands fail at once instead of queueing until a timeout: every user of
            // this connection (cache, discovery) has a fallback, and a queued command would only make a request
            // wait the cache's hard timeout before it falls back anyway.
            redisOptions.BacklogPolicy = BacklogPolicy.FailFast;
            redisOptions.ClientName = serviceName;
            builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redisOptions));
            health.AddCheck<RedisHealthCheck>("redis", tags: [HealthTags.Ready]);
            builder.Services.AddSingleton<ServiceRegistry>();
        }

        // In the platform rather than in each service: every service gets the same L1/L2/backplane set-up and metrics,
        // and one that caches nothing pays nothing (the cache is created on first use).
        builder.AddPlatformCaching(serviceName);

        builder.Services.AddOptions<DiscoveryOptions>().Bind(builder.Configuration.GetSection(DiscoveryOptions.SectionName));
        if (redis is not null && builder.Configuration.GetValue<bool>($"{DiscoveryOptions.SectionName}:Enabled"))
        {
            builder.Services.AddHostedService<ServiceRegistrar>();
        }

        return builder;
    }

    /// <summary>The middleware pipeline, in the order that makes each layer see what it needs.</summary>
    public static WebApplication UsePlatform(this WebApplication app)
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

        app.UseMiddleware<RequestBodyRulesMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseIdempotency();
        return app;
    }

    /// <summary><c>/health/live</c>, <c>/health/ready</c>, <c>/metrics</c> and <c>/openapi/v1.json</c>, in every environment.</summary>
    public static WebApplication MapPlatformEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(HealthTags.Ready),
            ResponseWriter = HealthResponseWriter.WriteAsync,
            ResultStatusCodes =
            {
                [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy] = StatusCodes.Status200OK,
                [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded] = StatusCodes.Status200OK,
                [Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        app.MapPlatformMetrics();
        app.MapOpenApi();
        return app;
    }
}
