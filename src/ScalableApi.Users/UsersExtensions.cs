using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Hosting;
using ScalableApi.Platform.Security;
using ScalableApi.Users.Admins;
using ScalableApi.Users.Auth;
using ScalableApi.Users.Keys;
using ScalableApi.Users.Users;

namespace ScalableApi.Users;

/// <summary>Everything the users service registers and maps beyond the platform.</summary>
public static class UsersExtensions
{
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(UsersExtensions).Assembly);
        builder.Services.AddValidatedOptions<UsersOptions>(builder.Configuration, UsersOptions.SectionName);
        builder.Services.AddSingleton<SigningKeyStore>();
        // The users service validates tokens with the keys it signs with, not with its own JWKS over HTTP.
        builder.Services.RemoveAll<ISigningKeySource>();
        builder.Services.AddSingleton<ISigningKeySource>(sp => sp.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<PasswordService>();
        builder.Services.AddSingleton<AdminEmails>();
        builder.Services.AddSingleton<UserRepository>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddHostedService<UsersStartup>();
        return builder;
    }

    public static WebApplication MapUsersApi(this WebApplication app)
    {
        app.MapJwksApi();
        app.MapAuthApi();
        app.MapUsersEndpoints();
        return app;
    }
}
