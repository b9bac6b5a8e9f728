using ScalableApi.Contracts;
using ScalableApi.Users.Accounts;

namespace ScalableApi.Users.Tests.Accounts;

/// <summary>Who may do what to /api/users: every write and the admin list, for each kind of caller; roles change only by an admin.</summary>
public abstract class UsersAuthorizationTests(UsersFactory factory)
{
    public enum Caller
    {
        Anonymous,
        OtherUser,
        Self,
        Admin,
    }

    [SkippableTheory]
    [InlineData(Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Caller.OtherUser, HttpStatusCode.Forbidden)]
    [InlineData(Caller.Self, HttpStatusCode.OK)]
    [InlineData(Caller.Admin, HttpStatusCode.OK)]
    public async Task Patch_authorization_matrix(Caller caller, HttpStatusCode expected)
    {
        var target = await factory.NewUserAsync("Before");
        using var client = factory.CreateClient(await TokenForAsync(caller, target));
        var response = await client.PatchAsJsonAsync($"/api/users/{target.Id}", new { name = "After" });

        Assert.Equal(expected, response.StatusCode);
        var stored = await factory.PublicProfileAsync(target.Id);
        Assert.Equal(expected == HttpStatusCode.OK ? "After" : "Before", stored!.Name);
    }

    [SkippableTheory]
    [InlineData(Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Caller.OtherUser, HttpStatusCode.Forbidden)]
    [InlineData(Caller.Self, HttpStatusCode.NoContent)]
    [InlineData(Caller.Admin, HttpStatusCode.NoContent)]
    public async Task Delete_authorization_matrix(Caller caller, HttpStatusCode expected)
    {
        var target = await factory.NewUserAsync();
        using var client = factory.CreateClient(await TokenForAsync(caller, target));
        var response = await client.DeleteAsync($"/api/users/{target.Id}");

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(expected == HttpStatusCode.NoContent, await factory.PublicProfileAsync(target.Id) is null);
    }

    [SkippableTheory]
    [InlineData(Caller.Anonymous, HttpStatusCode.Unauthorized)]
    [InlineData(Caller.Self, HttpStatusCode.Forbidden)]
    [InlineData(Caller.Admin, HttpStatusCode.OK)]
    public async Task List_authorization_matrix(Caller caller, HttpStatusCode expected)
    {
        var someone = await factory.NewUserAsync();
        using var client = factory.CreateClient(await TokenForAsync(caller, someone));
        var response = await client.GetAsync("/api/users");
        Assert.Equal(expected, response.StatusCode);
    }

    [SkippableFact]
    public async Task Only_an_admin_changes_a_role()
    {
        var user = await factory.NewUserAsync();
        using var self = factory.CreateClient(user.AccessToken);
        await ProblemAssert.IsProblemAsync(await self.PatchAsJsonAsync($"/api/users/{user.Id}", new { role = Roles.Admin }), HttpStatusCode.Forbidden);
        Assert.Equal(Roles.User, (await self.GetFromJsonAsync<UserResponse>("/api/profile"))!.Role);

        using var admin = factory.CreateClient((await factory.AdminAsync()).AccessToken);
        await ProblemAssert.HasFieldErrorAsync(await admin.PatchAsJsonAsync($"/api/users/{user.Id}", new { role = "root" }), "role");
        var promoted = await admin.PatchAsJsonAsync($"/api/users/{user.Id}", new { role = Roles.Admin });
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal(Roles.Admin, (await promoted.Content.ReadFromJsonAsync<UserResponse>())!.Role);

        // The new role is in the next token the user gets.
        var tokens = await factory.LoginAsync(user.Email, UsersFactory.Password);
        using var asAdmin = factory.CreateClient(tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await asAdmin.GetAsync("/api/users")).StatusCode);
    }

    private async Task<string?> TokenForAsync(Caller caller, Session target) => caller switch
    {
        Caller.Anonymous => null,
        Caller.OtherUser => (await factory.NewUserAsync()).AccessToken,
        Caller.Self => target.AccessToken,
        Caller.Admin => (await factory.AdminAsync()).AccessToken,
        _ => throw new ArgumentOutOfRangeException(nameof(caller)),
    };
}

public sealed class SqliteUsersAuthorizationTests(SqliteFixture factory) : UsersAuthorizationTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresUsersAuthorizationTests(PostgresFixture factory) : UsersAuthorizationTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
