using Microsoft.Net.Http.Headers;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Security;

/// <summary>Cross-origin access from configuration (<see cref="PlatformCorsOptions"/>): ASP.NET Core's CORS middleware with one default policy.</summary>
internal static class CorsExtensions
{
    public static WebApplicationBuilder AddPlatformCors(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<PlatformCorsOptions>(builder.Configuration, PlatformCorsOptions.SectionName);
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<PlatformCorsOptions>>((cors, configured) =>
            {
                var options = configured.Value;
                cors.AddDefaultPolicy(policy =>
                {
                    if (options.AllowedOrigins.Contains("*"))
                    {
                        policy.AllowAnyOrigin();
                    }
                    else
                    {
                        policy.WithOrigins([.. options.AllowedOrigins.Select(o => o.TrimEnd('/'))]);
                    }

                    policy.WithMethods([.. options.EffectiveAllowedMethods])
                        .WithHeaders([.. options.EffectiveAllowedHeaders])
                        .WithExposedHeaders([.. options.EffectiveExposedHeaders])
                        .SetPreflightMaxAge(options.MaxAge);
                    if (options.AllowCredentials)
                    {
                        policy.AllowCredentials();
                    }
                });
            });
        return builder;
    }

    /// <summary>
    /// Before routing and everything that costs work: a preflight is answered here (it carries no token and must
    /// not count against a rate limit), and an actual request gets its headers. Nothing at all without origins.
    /// </summary>
    public static WebApplication UsePlatformCors(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<PlatformCorsOptions>>().Value.AllowedOrigins.Count > 0)
        {
            // Every response depends on Origin once CORS is on (it has the headers for some origins and not for
            // others), so any shared cache, the edge cache included, must key on it; the middleware says so only when
            // several origins are listed. At the last moment, after the proxy has copied the service's own Vary.
            app.Use(static (context, next) =>
            {
                context.Response.OnStarting(static state =>
                {
                    var response = ((HttpContext)state).Response;
                    if (!response.Headers.Vary.Any(v => v is not null && v.Contains(HeaderNames.Origin, StringComparison.OrdinalIgnoreCase)))
                    {
                        response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);
                    }

                    return Task.CompletedTask;
                }, context);
                return next(context);
            });
            app.UseCors();
        }

        return app;
    }
}
