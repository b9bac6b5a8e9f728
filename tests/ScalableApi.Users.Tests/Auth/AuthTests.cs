using Microsoft.AspNetCore.Hosting;
using ScalableApi.Contracts;
using ScalableApi.Users.Accounts;
using ScalableApi.Users.Auth;

namespace ScalableApi.Users.Tests.Auth;

/// <summary>Register, login and refresh: happy paths, every error status, rotation and replay detection.</summary>
public abstract class AuthTests(UsersFactory factory)
{
    [SkippableFact]
    public async Task Register_returns_201_with_location_and_the_user_without_secrets()
    {
        using var client = factory.CreateClient();
        var email = UsersFactory.NewEmail();
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, name = "Ada", password = UsersFactory.Password, age = 36 });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetInt64();
        Assert.Equal($"/api/users/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(email, body.GetProperty("email").GetString());
        Assert.Equal("Ada", body.GetProperty("name").GetString());
        Assert.Equal(36, body.GetProperty("age").GetInt32());
        Assert.Equal(Roles.User, body.GetProperty("role").GetString());
        Assert.EndsWith("Z", body.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("password", out _));
        Assert.False(body.TryGetProperty("passwordHash", out _));
    }

    [SkippableFact]
    public async Task Register_normalises_email_domain_and_trims_name_but_keeps_the_local_part()
    {
        using var client = factory.CreateClient();
        var local = "Mixed.Case" + Guid.NewGuid().ToString("N")[..8];
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email = $"  {local}@EXAMPLE.Com ", name = "  Grace  ", password = UsersFactory.Password });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = (await response.Content.ReadFromJsonAsync<UserResponse>())!;
        Assert.Equal($"{local}@example.com", user.Email);
        Assert.Equal("Grace", user.Name);
        Assert.Null(user.Age);

        // The same address with another domain case is the same account.
        var again = await client.PostAsJsonAsync("/api/auth/register", new { email = $"{local}@example.COM", name = "G", password = UsersFactory.Password });
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict);
    }

    [SkippableFact]
    public async Task Register_with_a_taken_email_is_409()
    {
        var email = UsersFactory.NewEmail();
        await factory.RegisterAsync(email, "First");
        using var client = factory.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, name = "Second", password = UsersFactory.Password });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
    }

    public static TheoryData<string, string> InvalidRegistrations => new()
    {
        { """{"name":"A","password":"password123"}""", "email" },
        { """{"email":"not-an-email","name":"A","password":"password123"}""", "email" },
        { """{"email":"a@b","name":"A","password":"password123"}""", "email" },
        { """{"email":"Name <a@example.com>","name":"A","password":"password123"}""", "email" },
        { """{"email":"a@example.com","password":"password123"}""", "name" },
        { """{"email":"a@example.com","name":"   ","password":"password123"}""", "name" },
        { $$"""{"email":"a@example.com","name":"{{new string('n', 101)}}","password":"password123"}""", "name" },
        { """{"email":"a@example.com","name":"A"}""", "password" },
        { """{"email":"a@example.com","name":"A","password":"short"}""", "password" },
        { $$"""{"email":"a@example.com","name":"A","password":"{{new string('p', 129)}}"}""", "password" },
        { """{"email":"a@example.com","name":"A","password":"password123","age":-1}""", "age" },
        { """{"email":"a@example.com","name":"A","password":"password123","age":151}""", "age" },
        { """{"email":"a@example.com","name":"A","password":"password123","age":"abc"}""", "age" },
        { """{"email":"a@example.com","name":"A","password":"password123","age":12.5}""", "age" },
        { """{"email":42,"name":"A","password":"password123"}""", "email" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task Register_with_an_invalid_field_is_400_naming_the_field(string json, string field)
    {
        using var client = factory.CreateClient();
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/auth/register", content);
        await ProblemAssert.HasFieldErrorAsync(response, field);
    }

    [SkippableFact]
    public async Task Register_accepts_boundary_values_and_ignores_unknown_fields()
    {
        using var client = factory.CreateClient();
        var email = UsersFactory.NewEmail();
        var name = new string('n', 100);
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, name, password = new string('p', 128), age = 150, role = "admin", isAdmin = true });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var user = (await response.Content.ReadFromJsonAsync<UserResponse>())!;
        Assert.Equal(name, user.Name);
        Assert.Equal(150, user.Age);
        Assert.Equal(Roles.User, user.Role); // "role" in the body is an unknown field, not a privilege.
    }

    [SkippableFact]
    public async Task Register_with_a_configured_admin_email_gives_the_admin_role()
    {
        var admin = await factory.AdminAsync();
        using var client = factory.CreateClient(admin.AccessToken);
        var profile = await client.GetFromJsonAsync<UserResponse>("/api/profile");
        Assert.Equal(Roles.Admin, profile!.Role);
    }

    [SkippableFact]
    public async Task Configured_admin_emails_promote_existing_users_at_start_up()
    {
        var user = await factory.NewUserAsync();
        // A second replica on the same database, started with the user's address in Users:AdminEmails.
        using var restarted = factory.WithWebHostBuilder(b => b.UseSetting("Users:AdminEmails:1", user.Email.Replace("@example.com", "@Example.COM", StringComparison.Ordinal)));
        using var client = restarted.CreateClient();

        var login = await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = UsersFactory.Password });
        var tokens = (await login.Content.ReadFromJsonAsync<TokenResponse>())!;
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        Assert.Equal(Roles.Admin, (await client.GetFromJsonAsync<UserResponse>("/api/profile"))!.Role);
    }

    [SkippableFact]
    public async Task Login_returns_a_bearer_pair()
    {
        var email = UsersFactory.NewEmail();
        await factory.RegisterAsync(email, "Login");
        // Login normalises like registration: surrounding spaces and the domain's case do not matter.
        var tokens = await factory.LoginAsync($" {email.Replace("@example.com", "@EXAMPLE.COM", StringComparison.Ordinal)} ", UsersFactory.Password);

        Assert.Equal("Bearer", tokens.TokenType);
        Assert.Equal(3600, tokens.ExpiresIn);
        Assert.Equal(3, tokens.AccessToken.Split('.').Length);
        Assert.Equal(43, tokens.RefreshToken.Length); // 32 bytes, base64url without padding.
    }

    [SkippableFact]
    public async Task Login_fails_with_the_same_401_body_for_unknown_email_and_wrong_password()
    {
        var email = UsersFactory.NewEmail();
        await factory.RegisterAsync(email, "Someone");
        using var client = factory.CreateClient();

        var wrongPassword = await ProblemAssert.IsProblemAsync(
            await client.PostAsJsonAsync("/api/auth/login", new { email, password = "wrong password" }), HttpStatusCode.Unauthorized);
        var unknownEmail = await ProblemAssert.IsProblemAsync(
            await client.PostAsJsonAsync("/api/auth/login", new { email = UsersFactory.NewEmail(), password = "wrong password" }), HttpStatusCode.Unauthorized);

        Assert.Equal(wrongPassword.GetProperty("title").GetString(), unknownEmail.GetProperty("title").GetString());
        var keys = (JsonElement e) => string.Join(",", e.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(keys(wrongPassword), keys(unknownEmail));
    }

    [SkippableFact]
    public async Task Login_without_fields_is_400()
    {
        using var client = factory.CreateClient();
        await ProblemAssert.HasFieldErrorAsync(await client.PostAsJsonAsync("/api/auth/login", new { email = "a@example.com" }), "password");
        await ProblemAssert.HasFieldErrorAsync(await client.PostAsJsonAsync("/api/auth/login", new { password = "x" }), "email");
    }

    [SkippableFact]
    public async Task Refresh_rotates_the_token_and_a_spent_token_is_401()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var next = (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
        Assert.NotEqual(user.RefreshToken, next.RefreshToken);
        Assert.Equal("Bearer", next.TokenType);

        using var authed = factory.CreateClient(next.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await authed.GetAsync("/api/profile")).StatusCode);

        // And the next token works too: a chain of rotations.
        var third = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = next.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [SkippableFact]
    public async Task Reusing_a_spent_refresh_token_is_401_and_revokes_the_whole_family()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient();
        var next = (await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken }))
            .Content.ReadFromJsonAsync<TokenResponse>())!;

        var replay = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken });
        await ProblemAssert.IsProblemAsync(replay, HttpStatusCode.Unauthorized);

        // The legitimate-looking successor is revoked with its family.
        var successor = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = next.RefreshToken });
        await ProblemAssert.IsProblemAsync(successor, HttpStatusCode.Unauthorized);

        // Another session (another family) of the same user is untouched.
        var other = await factory.LoginAsync(user.Email, UsersFactory.Password);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = other.RefreshToken })).StatusCode);
    }

    [SkippableFact]
    public async Task Two_concurrent_refreshes_with_one_token_cannot_both_succeed()
    {
        var user = await factory.NewUserAsync();
        var attempts = Enumerable.Range(0, 8).Select(async _ =>
        {
            using var client = factory.CreateClient();
            return (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken })).StatusCode;
        });
        var statuses = await Task.WhenAll(attempts);

        Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
    }

    [SkippableTheory]
    [InlineData("not-a-token-we-issued")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("'; DROP TABLE refresh_tokens;--")]
    public async Task Refresh_with_an_unknown_token_is_401(string refreshToken)
    {
        using var client = factory.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken }), HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task Refresh_without_a_token_is_400()
    {
        using var client = factory.CreateClient();
        await ProblemAssert.HasFieldErrorAsync(await client.PostAsJsonAsync("/api/auth/refresh", new { }), "refreshToken");
    }

    [SkippableFact]
    public async Task Changing_the_password_ends_existing_refresh_tokens()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient(user.AccessToken);
        var patch = await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { password = "a brand new password" });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        await ProblemAssert.IsProblemAsync(
            await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken }), HttpStatusCode.Unauthorized);
        await factory.LoginAsync(user.Email, "a brand new password");
    }
}

public sealed class SqliteAuthTests(SqliteFixture factory) : AuthTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresAuthTests(PostgresFixture factory) : AuthTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
