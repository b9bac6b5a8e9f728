using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Contracts;
using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Security;

internal static class SecurityExtensions
{
    /// <summary>
    /// JwtBearer that accepts only ES256 tokens of our issuer and audience, with keys from
    /// <see cref="ISigningKeySource"/>. <c>alg: none</c> and HMAC tokens fail because no algorithm but ES256 is valid.
    /// </summary>
    public static WebApplicationBuilder AddPlatformAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<AuthOptions>(builder.Configuration, AuthOptions.SectionName);
        // A redirect from the JWKS URL is not followed: the keys come from the configured issuer or not at all.
        builder.Services.AddHttpClient(JwksSigningKeySource.HttpClientName, c =>
            {
                c.Timeout = JwksSigningKeySource.FetchTimeout;
                c.MaxResponseContentBufferSize = JwksSigningKeySource.MaxResponseBytes;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        builder.Services.TryAddSingleton<ISigningKeySource>(CreateJwksSource);

        builder.Services.AddValidatedOptions<RevocationOptions>(builder.Configuration, RevocationOptions.SectionName);
        if (builder.Configuration.GetRedisConnectionString() is not null)
        {
            builder.Services.AddSingleton<TokenRevocations>();
            builder.Services.AddHostedService(sp => sp.GetRequiredService<TokenRevocations>());
        }

        builder.Services.TryAddSingleton(sp => new ValidatedTokenCache(
            sp.GetRequiredService<ISigningKeySource>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<AuthOptions>>().Value));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, ISigningKeySource, TimeProvider, ValidatedTokenCache>((jwt, auth, keys, time, cache) =>
            {
                jwt.MapInboundClaims = false;
                jwt.RequireHttpsMetadata = false;
                // One handler: it fetches unknown key ids before validating and remembers tokens that validated.
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(cache);
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = auth.Value.Issuer,
                    ValidAudience = auth.Value.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                    ValidateIssuerSigningKey = true,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = auth.Value.ClockSkew,
                    // On the platform's one clock, as the cache of validated tokens is, so both agree on expiry.
                    LifetimeValidator = (notBefore, expires, _, parameters) => IsWithinLifetime(notBefore, expires, time.GetUtcNow().UtcDateTime, parameters.ClockSkew),
                    NameClaimType = TokenClaims.Subject,
                    RoleClaimType = TokenClaims.Role,
                    IssuerSigningKeyResolver = (_, _, _, _) => keys.GetKeys(),
                };
                jwt.Events = new JwtBearerEvents
                {
                    // Deleted users' tokens are refused at once (present when the process has a store).
                    OnTokenValidated = context =>
                        context.HttpContext.RequestServices.GetService<TokenRevocations>() is { } revocations
                            ? revocations.CheckAsync(context)
                            : Task.CompletedTask,
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthorizationPolicies.Admin, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Admin));
        return builder;
    }

    /// <summary>The services' key source on the named <c>jwks</c> client (tests put it back where they stubbed keys).</summary>
    internal static JwksSigningKeySource CreateJwksSource(IServiceProvider services) => new(
        services.GetRequiredService<IHttpClientFactory>().CreateClient(JwksSigningKeySource.HttpClientName),
        services.GetRequiredService<IOptions<AuthOptions>>(),
        services.GetRequiredService<TimeProvider>(),
        services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<JwksSigningKeySource>>());

    private static bool IsWithinLifetime(DateTime? notBefore, DateTime? expires, DateTime now, TimeSpan skew) =>
        expires is { } expiry && expiry.ToUniversalTime() > now - skew
        && (notBefore is not { } start || start.ToUniversalTime() <= now + skew);

    /// <summary>Headers for a JSON API: nothing may render, frame or sniff our responses.</summary>
    public static void UsePlatformSecurityHeaders(this WebApplication app)
    {
        app.UseSecurityHeaders(policies => policies
            .AddDefaultApiSecurityHeaders()
            .AddFrameOptionsDeny()
            .AddContentTypeOptionsNoSniff()
            .AddReferrerPolicyNoReferrer()
            .AddStrictTransportSecurityMaxAgeIncludeSubDomains()
            .RemoveServerHeader());
    }
}
