using ScalableApi.Contracts;
using ScalableApi.Platform.Caching;
using ScalableApi.Users.Accounts;
using ScalableApi.Users.Auth;

namespace ScalableApi.Users.Admins;

/// <summary>
/// <c>ScalableApi.Users create-admin --email E --password P [--name N]</c>: applies migrations, then creates the
/// user as admin or promotes an existing one and sets that password, and exits without listening.
/// Exit codes: 0 done, 2 bad arguments, 1 failure.
/// </summary>
internal static class CreateAdminCommand
{
    public const string Verb = "create-admin";
    public const int ExitOk = 0;
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;

    private const string Usage = "usage: create-admin --email <address> --password <8-128 characters> [--name <display name>]";

    public static bool IsInvocation(string[] args) => args.Length > 0 && args[0] == Verb;

    public static Task<int> RunAsync(WebApplication app, string[] args) =>
        RunAsync(app.Services, args, Console.Out, Console.Error, app.Lifetime.ApplicationStopping);

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (!TryParse(args, out var options, out var problem))
        {
            await error.WriteLineAsync($"create-admin: {problem}\n{Usage}");
            return ExitUsage;
        }

        var (email, password, name) = options;
        try
        {
            var database = services.GetRequiredService<IDatabase>();
            await services.GetRequiredService<MigrationRunner>()
                .MigrateAsync(MigrationSource.Load(typeof(CreateAdminCommand).Assembly, database.Engine), cancellationToken);

            var users = services.GetRequiredService<UserStore>();
            // The running replicas' cache, through Redis (ConnectionStrings:redis): a write here must reach their
            // memory copies like any PATCH does. Without Redis the cache is this process's memory only, a no-op.
            var cache = services.GetRequiredService<UserCache>();
            var hash = services.GetRequiredService<PasswordService>().Hash(password);
            if (await users.FindByEmailAsync(email, cancellationToken) is { } existing)
            {
                var promoted = await users.UpdateAsync(existing.Id, new UserChanges(null, null, false, null, Roles.Admin, hash), cancellationToken);
                await cache.ChangedAsync(existing.Id, promoted, cancellationToken);
                await PurgeEdgeAsync(services, existing.Id);
                await output.WriteLineAsync($"create-admin: promoted user {existing.Id} <{email}> to admin and set the password.");
                return ExitOk;
            }

            var user = await users.InsertAsync(email, name, null, Roles.Admin, hash, cancellationToken);
            // SQLite reuses the id of a deleted last row, whose "not found" may be cached on the replicas.
            await cache.ChangedAsync(user.Id, user, cancellationToken);
            await PurgeEdgeAsync(services, user.Id);
            await output.WriteLineAsync($"create-admin: created admin user {user.Id} <{email}>.");
            return ExitOk;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An operator runs this by hand: the message helps more than a stack trace (which goes nowhere else).
            await error.WriteLineAsync($"create-admin: failed: {ex.GetType().Name}: {ex.Message}");
            return ExitFailed;
        }
    }

    /// <summary>
    /// No gateway carries this write, so none purges for it: the gateways are told on the purge channel (the
    /// store's, as the replicas' cache; without one there is nobody to tell).
    /// </summary>
    private static Task PurgeEdgeAsync(IServiceProvider services, long id) =>
        EdgePurges.PublishAsync(services, "users:create-admin", [UsersEdgeKeys.User(id)]);

    private static bool TryParse(string[] args, out (string Email, string Password, string Name) options, out string problem)
    {
        options = default;
        string? email = null, password = null, name = null;
        for (var i = 1; i < args.Length; i++)
        {
            var (key, value) = SplitOption(args, ref i);
            switch (key)
            {
                case "--email": email = value; break;
                case "--password": password = value; break;
                case "--name": name = value; break;
                default:
                    problem = $"unknown argument '{args[i]}'.";
                    return false;
            }

            if (value is null)
            {
                problem = $"{key} needs a value.";
                return false;
            }
        }

        if (email is null || password is null)
        {
            problem = "--email and --password are required.";
            return false;
        }

        if (!EmailAddress.TryNormalize(email, out var normalized))
        {
            problem = $"'{email}' is not a valid e-mail address.";
            return false;
        }

        if (password.Length is < UserRules.PasswordMinLength or > UserRules.PasswordMaxLength)
        {
            problem = $"the password must be {UserRules.PasswordMinLength} to {UserRules.PasswordMaxLength} characters long.";
            return false;
        }

        name = (name ?? "Admin").Trim();
        if (name.Length is 0 or > UserRules.NameMaxLength)
        {
            problem = $"the name must be 1 to {UserRules.NameMaxLength} characters long.";
            return false;
        }

        options = (normalized, password, name);
        problem = "";
        return true;
    }

    /// <summary>Accepts <c>--key value</c> and <c>--key=value</c>.</summary>
    private static (string Key, string? Value) SplitOption(string[] args, ref int i)
    {
        var arg = args[i];
        var eq = arg.IndexOf('=', StringComparison.Ordinal);
        if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
        {
            return (arg[..eq], arg[(eq + 1)..]);
        }

        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            return (arg, "");
        }

        return i + 1 < args.Length ? (arg, args[++i]) : (arg, null);
    }
}
