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
        UseGatewayRateLimiting((IApplicationBuilder)app);
        return app;
    }

    /// <summary>The same limits in a branch (the edge cache's hit path); a request is counted once whichever counts it first.</summary>
    public static void UseGatewayRateLimiting(IApplicationBuilder app)
    {
        // Limits shared by all gateways need the shared store; without one they are off rather than per-process.
        var shared = app.ApplicationServices.GetRequiredService<IConfiguration>().GetRedisConnectionString() is not null;
        if (shared && app.ApplicationServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.Enabled)
        {
            app.UseMiddleware<RateLimitMiddleware>();
        }
    }
}
