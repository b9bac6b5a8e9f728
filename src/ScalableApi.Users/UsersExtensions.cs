using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Messaging;
using ScalableApi.Users.Accounts;
using ScalableApi.Users.Admins;
using ScalableApi.Users.Auth;
using ScalableApi.Users.Keys;

namespace ScalableApi.Users;

/// <summary>Everything the users service registers and maps beyond the platform.</summary>
internal static class UsersExtensions
{
    public static WebApplicationBuilder AddUsers(this WebApplicationBuilder builder)
    {
        builder.AddDatabase(typeof(UsersExtensions).Assembly);
        // No route here takes a key (register, login and refresh are anonymous): a keyed POST is 400, not silently run.
        builder.AddIdempotency();
        // UserDeleted goes to the content service, which removes the user's posts and comments.
        builder.AddOutbox(new Dictionary<string, string[]> { [nameof(Contracts.Events.UserDeleted)] = ["content"] });
        builder.Services.AddValidatedOptions<UsersOptions>(builder.Configuration, UsersOptions.SectionName);
        builder.Services.AddSingleton<SigningKeyStore>();
        // The users service validates tokens with the keys it signs with, not with its own JWKS over HTTP.
        builder.Services.RemoveAll<ISigningKeySource>();
        builder.Services.AddSingleton<ISigningKeySource>(sp => sp.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<PasswordService>();
        builder.Services.AddSingleton<AdminEmails>();
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<UserCache>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<RefreshTokenSweeper>();
        builder.Services.AddHostedService<UsersStartup>();
        builder.Services.AddSingleton<UsersMaintenance>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsersMaintenance>());
        return builder;
    }

    public static WebApplication MapUsers(this WebApplication app)
    {
        app.MapKeysApi();
        app.MapAuthApi();
        app.MapUsersApi();
        return app;
    }
}
