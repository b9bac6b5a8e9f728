using Microsoft.Extensions.DependencyInjection.Extensions;
using ScalableApi.Platform.Messaging;
using ScalableApi.Users.Accounts;
using ScalableApi.Users.Admins;
using ScalableApi.Users.Auth;
using ScalableApi.Users.Keys;

namespace ScalableApi.Users;

/// <summary>The users service: accounts, sign-in and the keys that sign its tokens; <c>create-admin</c> as a command.</summary>
internal sealed class UsersService : IPlatformService
{
    public static string Name => "users";

    public static void AddServices(WebApplicationBuilder builder)
    {
        // UserDeleted goes to the content service, which removes the user's posts and comments.
        builder.AddOutbox(new Dictionary<string, string[]> { [nameof(Contracts.Events.UserDeleted)] = ["content"] });
        builder.Services.AddValidatedOptions<UsersOptions>(builder.Configuration, UsersOptions.SectionName);
        builder.Services.AddSingleton<SigningKeyStore>();
        // The users service validates tokens with the keys it signs with, not with its own JWKS over HTTP.
        builder.Services.RemoveAll<ISigningKeySource>();
        builder.Services.AddSingleton<ISigningKeySource>(sp => sp.GetRequiredService<SigningKeyStore>());
        builder.Services.AddSingleton<PasswordService>();
        builder.Services.AddSingleton<AdminEmails>();
        builder.AddFeature<UserStore, UserCache>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddSingleton<RefreshTokenSweeper>();
        builder.Services.AddHostedService<UsersStartup>();
        builder.Services.AddSingleton<UsersMaintenance>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsersMaintenance>());
    }

    public static void MapEndpoints(WebApplication app) => app
        .MapKeysApi()
        .MapAuthApi()
        .MapUsersApi();

    /// <summary><c>create-admin</c> runs on the built app and exits; the server does not start.</summary>
    public static Task<int>? RunCommandAsync(WebApplication app, string[] args) =>
        CreateAdminCommand.IsInvocation(args) ? CreateAdminCommand.RunAsync(app, args) : null;
}
