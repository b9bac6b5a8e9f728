using ScalableApi.Users.Accounts;
using ScalableApi.Users.Auth;

namespace ScalableApi.Users.Tests;

/// <summary>
/// The users service on a fresh database. Tokens come from the real login (no test keys), and one address is
/// configured in <c>Users:AdminEmails</c> so tests can get an admin the way operators do.
/// </summary>
public abstract class UsersFactory(DatabaseEngine engine) : ServiceFactory<Program>(engine)
{
    public const string AdminEmail = "root@admin.example";
    public const string Password = "correct horse battery";

    private readonly SemaphoreSlim _adminLock = new(1, 1);
    private Session? _admin;

    protected override bool UseTestTokens => false;

    protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings =>
        [new("Users:AdminEmails:0", AdminEmail), .. MoreSettings];

    protected virtual IEnumerable<KeyValuePair<string, string?>> MoreSettings => [];

    public static string NewEmail() => $"u{Guid.NewGuid():N}@example.com";

    /// <summary>Registers and signs in a new user (one hash + one verification: keep the count low).</summary>
    public async Task<Session> NewUserAsync(string? name = null)
    {
        var email = NewEmail();
        var user = await RegisterAsync(email, name ?? "Test User");
        var tokens = await LoginAsync(email, Password);
        return new Session(user.Id, email, tokens.AccessToken, tokens.RefreshToken);
    }

    /// <summary>The fixture's admin (registered once under the configured admin e-mail).</summary>
    public async Task<Session> AdminAsync()
    {
        await _adminLock.WaitAsync();
        try
        {
            if (_admin is null)
            {
                var user = await RegisterAsync(AdminEmail, "Admin");
                var tokens = await LoginAsync(AdminEmail, Password);
                _admin = new Session(user.Id, AdminEmail, tokens.AccessToken, tokens.RefreshToken);
            }

            return _admin;
        }
        finally
        {
            _adminLock.Release();
        }
    }

    internal async Task<UserResponse> RegisterAsync(string email, string name, string password = Password)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/register", new { email, name, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UserResponse>())!;
    }

    /// <summary>The public profile <c>GET /api/users/{id}</c> answers, or null on 404.</summary>
    internal async Task<PublicUserResponse?> PublicProfileAsync(long id)
    {
        using var client = CreateClient();
        var response = await client.GetAsync($"/api/users/{id}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<PublicUserResponse>();
    }

    internal async Task<TokenResponse> LoginAsync(string email, string password)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TokenResponse>())!;
    }
}

/// <summary>A signed-in test user.</summary>
public sealed record Session(long Id, string Email, string AccessToken, string RefreshToken);

public sealed class SqliteFixture() : UsersFactory(DatabaseEngine.Sqlite);

public sealed class PostgresFixture() : UsersFactory(DatabaseEngine.Postgres);
