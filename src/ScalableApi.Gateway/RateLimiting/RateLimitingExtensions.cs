using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ScalableApi.Gateway.RateLimiting;

/// <summary>Rate limits shared by every gateway through the Redis-protocol store.</summary>
internal static class RateLimitingExtensions
{
    public static WebApplicationBuilder AddGatewayRateLimiting(this WebApplicationBuilder builder) =>
        builder.AddFeature<RateLimitOptions>(RateLimitOptions.SectionName, static services => services.AddSingleton<RateLimitStore>().AddSingleton<RateLimitLeases>());

    /// <summary>After authentication (the user bucket needs a validated token), before anything costs work.</summary>
    public static WebApplication UseGatewayRateLimiting(this WebApplication app)
    {
        // Limits shared by all gateways need the shared store; without one they are off rather than per-process.
        var shared = app.Configuration.GetRedisConnectionString() is not null;
        return app.UseMiddlewareWhen<RateLimitOptions, RateLimitMiddleware>(options => shared && options.Enabled);
    }
}
