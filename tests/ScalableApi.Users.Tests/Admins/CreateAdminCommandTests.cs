using Dapper;
using Microsoft.Extensions.Configuration;
using ScalableApi.Contracts;
using ScalableApi.Platform;
using ScalableApi.Users.Accounts;
using ScalableApi.Users.Admins;

namespace ScalableApi.Users.Tests.Admins;

/// <summary><c>create-admin</c>, run through its entry point in-process the way Program.cs runs it.</summary>
public abstract class CreateAdminCommandTests(UsersFactory factory)
{
    [SkippableFact]
    public async Task On_a_fresh_database_it_migrates_and_creates_the_admin_without_starting_the_server()
    {
        await using var database = await TestDatabase.CreateAsync(factory.Engine);
        // Built exactly as Program.cs builds it, but never started: only the command touches the database.
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Database:Provider"] = factory.Engine == DatabaseEngine.Postgres ? "postgres" : "sqlite",
            ["Platform:DataDirectory"] = Path.Combine(Path.GetTempPath(), "scalableapi-tests", Guid.NewGuid().ToString("N")),
        });
        builder.AddPlatformService<UsersService>();
        await using var app = builder.Build();

        var email = UsersFactory.NewEmail();
        var (code, output, _) = await RunAsync(app.Services, "create-admin", "--email", email, "--password", "admin password 1");

        Assert.Equal(CreateAdminCommand.ExitOk, code);
        Assert.Contains("created admin", output, StringComparison.Ordinal);
        await using var connection = await app.Services.GetRequiredService<IDatabase>().OpenWriteAsync();
        Assert.Equal(Roles.Admin, await connection.ExecuteScalarAsync<string>("SELECT role FROM users WHERE email = @email", new { email }));
    }

    [SkippableFact]
    public async Task Creates_an_admin_who_can_sign_in_and_list_users()
    {
        var email = UsersFactory.NewEmail();
        var (code, _, _) = await RunAsync(factory.Services, "create-admin", "--email", email, "--password", "admin password 2", "--name", "Ops");
        Assert.Equal(CreateAdminCommand.ExitOk, code);

        var tokens = await factory.LoginAsync(email, "admin password 2");
        using var client = factory.CreateClient(tokens.AccessToken);
        var profile = await client.GetFromJsonAsync<UserResponse>("/api/profile");
        Assert.Equal(Roles.Admin, profile!.Role);
        Assert.Equal("Ops", profile.Name);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/users")).StatusCode);
    }

    [SkippableFact]
    public async Task Promotes_an_existing_user_and_sets_the_new_password()
    {
        var user = await factory.NewUserAsync("Existing");
        var (code, output, _) = await RunAsync(factory.Services, "create-admin", $"--email={user.Email}", "--password=promoted password");

        Assert.Equal(CreateAdminCommand.ExitOk, code);
        Assert.Contains("promoted", output, StringComparison.Ordinal);
        using var anonymous = factory.CreateClient();
        await ProblemAssert.IsProblemAsync(
            await anonymous.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = UsersFactory.Password }), HttpStatusCode.Unauthorized);
        var tokens = await factory.LoginAsync(user.Email, "promoted password");
        using var client = factory.CreateClient(tokens.AccessToken);
        var profile = await client.GetFromJsonAsync<UserResponse>("/api/profile");
        Assert.Equal(Roles.Admin, profile!.Role);
        Assert.Equal("Existing", profile.Name);
    }

    [SkippableTheory]
    [InlineData("create-admin")]
    [InlineData("create-admin", "--email", "ops@example.com")]
    [InlineData("create-admin", "--password", "long enough password")]
    [InlineData("create-admin", "--email", "not-an-email", "--password", "long enough password")]
    [InlineData("create-admin", "--email", "ops@example.com", "--password", "short")]
    [InlineData("create-admin", "--email", "ops@example.com", "--password")]
    [InlineData("create-admin", "--email", "ops@example.com", "--password", "long enough password", "--bogus", "x")]
    [InlineData("create-admin", "--email", "ops@example.com", "--password", "long enough password", "--name", "   ")]
    public async Task Bad_arguments_exit_non_zero_with_a_message_and_change_nothing(params string[] args)
    {
        await using var connection = await factory.Services.GetRequiredService<IDatabase>().OpenWriteAsync();
        var before = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");

        var (code, output, error) = await RunAsync(factory.Services, args);

        Assert.Equal(CreateAdminCommand.ExitUsage, code);
        Assert.Empty(output);
        Assert.StartsWith("create-admin: ", error, StringComparison.Ordinal);
        Assert.Contains("usage:", error, StringComparison.Ordinal);
        Assert.Equal(before, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users"));
    }

    [SkippableFact]
    public void Only_the_create_admin_verb_is_an_invocation()
    {
        Assert.True(CreateAdminCommand.IsInvocation(["create-admin", "--email", "a@b.c"]));
        Assert.False(CreateAdminCommand.IsInvocation([]));
        Assert.False(CreateAdminCommand.IsInvocation(["--urls", "http://localhost:5000"]));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(IServiceProvider services, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CreateAdminCommand.RunAsync(services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}

public sealed class SqliteCreateAdminCommandTests(SqliteFixture factory) : CreateAdminCommandTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresCreateAdminCommandTests(PostgresFixture factory) : CreateAdminCommandTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
