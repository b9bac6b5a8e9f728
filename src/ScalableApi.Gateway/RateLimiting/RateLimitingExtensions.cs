using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScalableApi.Gateway.RateLimiting;

/// <summary>Rate limits shared by every gateway through the Redis-protocol store.</summary>
internal static class RateLimitingExtensions
{
    public static WebApplicationBuilder AddGatewayRateLimiting(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<RateLimitOptions>(builder.Configuration, RateLimitOptions.SectionName);
        builder.Services.AddSingleton<RateLimitStore>();
        builder.Services.AddSingleton<RateLimitLeases>();
        return builder;
    }

    /// <summary>After authentication (the user bucket needs a validated token), before anything costs work.</summary>
    public static WebApplication UseGatewayRateLimiting(this WebApplication app)
    {
        // Limits shared by all gateways need the shared store; without one they are off rather than per-process.
        if (app.Configuration.GetRedisConnectionString() is not null
            && app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            app.UseMiddleware<RateLimitMiddleware>();
        }

        return app;
    }
}
