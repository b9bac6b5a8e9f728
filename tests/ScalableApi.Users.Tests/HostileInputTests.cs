using Dapper;
using ScalableApi.Users.Accounts;

namespace ScalableApi.Users.Tests;

/// <summary>Malformed, oversized, mistyped and injection-laden input: a 4xx, never a 5xx, and no data changes.</summary>
public abstract class HostileInputTests(UsersFactory factory)
{
    public static TheoryData<string, string, string> MalformedBodies => new()
    {
        { "POST", "/api/auth/register", """{"email":"a@example.com","name":"A","password":"password123" """ },
        { "POST", "/api/auth/register", """{"email":"a@example.com",,}""" },
        { "POST", "/api/auth/register", "[1,2,3]" },
        { "POST", "/api/auth/register", "null" },
        { "POST", "/api/auth/register", """{"email":"a@example.com","name":123,"password":"password123"}""" },
        { "POST", "/api/auth/register", """{"email":["a@example.com"],"name":"A","password":"password123"}""" },
        { "POST", "/api/auth/register", """{"email":"a@example.com","name":"A","password":"password123","age":"abc"}""" },
        { "POST", "/api/auth/register", """{"email":"a@example.com","name":"A","password":"password123","age":1e400}""" },
        { "POST", "/api/auth/login", """{"email":"a@example.com","password":""" },
        { "POST", "/api/auth/login", """{"email":{"$ne":null},"password":{"$ne":null}}""" },
        { "POST", "/api/auth/refresh", """{"refreshToken":12345}""" },
        { "POST", "/api/auth/refresh", "not json at all" },
        { "PATCH", "/api/users/{self}", """{"name":"x" """ },
        { "PATCH", "/api/users/{self}", """{"age":"abc"}""" },
        { "PATCH", "/api/users/{self}", """{"age":true}""" },
        { "PATCH", "/api/users/{self}", "[]" },
        // Text no engine stores exactly: NUL (PostgreSQL refuses it) and a lone surrogate (no UTF-8 form).
        { "POST", "/api/auth/register", """{"email":"nul@example.com","name":"A\u0000B","password":"password123"}""" },
        { "POST", "/api/auth/register", """{"email":"a\u0000b@example.com","name":"A","password":"password123"}""" },
        { "PATCH", "/api/users/{self}", """{"name":"\ud800"}""" },
    };

    [SkippableTheory]
    [MemberData(nameof(MalformedBodies))]
    public Task Malformed_or_mistyped_json_is_400_and_changes_nothing(string method, string path, string json)
        => RefusedAndUnchangedAsync(method, path, json, HttpStatusCode.BadRequest);

    [SkippableTheory]
    [InlineData("POST", "/api/auth/register")]
    [InlineData("POST", "/api/auth/login")]
    [InlineData("PATCH", "/api/users/{self}")]
    public async Task Two_MiB_body_is_413_and_changes_nothing(string method, string path)
    {
        var huge = $$"""{"email":"{{UsersFactory.NewEmail()}}","password":"password123","name":"{{new string('a', 2 * 1024 * 1024)}}"}""";
        await RefusedAndUnchangedAsync(method, path, huge, HttpStatusCode.RequestEntityTooLarge);
    }

    [SkippableFact]
    public async Task Wrong_content_type_is_415_and_empty_body_is_400()
    {
        var before = await SnapshotAsync();
        using var client = factory.CreateClient();
        using var text = new StringContent("""{"email":"a@example.com","name":"A","password":"password123"}""", Encoding.UTF8, "text/plain");
        await ProblemAssert.IsProblemAsync(await client.PostAsync("/api/auth/register", text), HttpStatusCode.UnsupportedMediaType);
        using var empty = new StringContent("", Encoding.UTF8, "application/json");
        await ProblemAssert.IsProblemAsync(await client.PostAsync("/api/auth/register", empty), HttpStatusCode.BadRequest);
        Assert.Equal(before, await SnapshotAsync());
    }

    [SkippableTheory]
    [InlineData("'; DROP TABLE users;--")]
    [InlineData("Robert'); DELETE FROM refresh_tokens; --")]
    [InlineData("1 OR 1=1")]
    [InlineData("<script>alert('x')</script> & \"quotes\"")]
    [InlineData("Zoë Ånström 李小龙 مرحبا 😀👩‍👩‍👧")]
    [InlineData("e\u0301 combining, \u200Bzero-width, \u202Eright-to-left")]
    public async Task Injection_and_unicode_names_are_stored_and_returned_verbatim(string name)
    {
        var before = (await SnapshotAsync()).Users;
        var user = await factory.RegisterAsync(UsersFactory.NewEmail(), name);
        Assert.Equal(name, user.Name);

        using var client = factory.CreateClient();
        var raw = await client.GetStringAsync($"/api/users/{user.Id}");
        var stored = System.Text.Json.JsonSerializer.Deserialize<PublicUserResponse>(raw, System.Text.Json.JsonSerializerOptions.Web)!;
        Assert.Equal(name, stored.Name);
        Assert.DoesNotContain("\\u003C", raw, StringComparison.OrdinalIgnoreCase); // No HTML escaping in a JSON API.
        Assert.Equal(before + 1, (await SnapshotAsync()).Users);
    }

    [SkippableFact]
    public async Task Apostrophes_in_the_local_part_survive_and_sign_in()
    {
        var email = $"o'hara+{Guid.NewGuid():N}@example.com";
        var user = await factory.RegisterAsync(email, "O'Hara");
        Assert.Equal(email, user.Email);
        await factory.LoginAsync(email, UsersFactory.Password);
    }

    [SkippableTheory]
    [InlineData("/api/users/abc")]
    [InlineData("/api/users/99999999999999999999999")]
    [InlineData("/api/users/-1")]
    [InlineData("/api/users/1%27%20OR%201=1")]
    public async Task Odd_ids_are_404_not_5xx(string path)
    {
        using var client = factory.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.GetAsync(path), HttpStatusCode.NotFound);
    }

    /// <summary>
    /// <paramref name="json"/> sent by a signed-in user (<c>{self}</c> in <paramref name="path"/> is their id) is the
    /// problem <paramref name="status"/> and changes no row.
    /// </summary>
    private async Task RefusedAndUnchangedAsync(string method, string path, string json, HttpStatusCode status)
    {
        var self = await factory.NewUserAsync("Untouched");
        var before = await SnapshotAsync();
        using var client = factory.CreateClient(self.AccessToken);
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{self}", self.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, status);
        Assert.Equal(before, await SnapshotAsync());
    }

    private async Task<(long Users, long Tokens, string Names)> SnapshotAsync()
    {
        await using var connection = await factory.Services.GetRequiredService<IDatabase>().OpenWriteAsync();
        var users = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM users");
        var tokens = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM refresh_tokens");
        var names = string.Join("|", await connection.QueryAsync<string>("SELECT name || email || COALESCE(age, -1) FROM users ORDER BY id"));
        return (users, tokens, names);
    }
}

public sealed class SqliteHostileInputTests(SqliteFixture factory) : HostileInputTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresHostileInputTests(PostgresFixture factory) : HostileInputTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
