using ScalableApi.Contracts;
using ScalableApi.Users.Accounts;

namespace ScalableApi.Users.Tests.Accounts;

/// <summary>
/// GET/PATCH/DELETE /api/users/{id}: what a read shows, how a patch merges and validates, what a delete removes, and
/// the cache and surrogate keys that follow them. Who may call them: <see cref="UsersAuthorizationTests"/>; the admin
/// list: <see cref="UsersListTests"/>.
/// </summary>
public abstract class UsersApiTests(UsersFactory factory)
{
    [SkippableFact]
    public async Task Get_user_is_public_and_hides_email_age_and_role()
    {
        var user = await factory.NewUserAsync("Public Name");
        using var client = factory.CreateClient();
        var response = await client.GetAsync($"/api/users/{user.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["createdAt", "id", "name"], body.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Public Name", body.GetProperty("name").GetString());
    }

    [SkippableFact]
    public async Task Get_unknown_user_is_404()
    {
        using var client = factory.CreateClient();
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/users/987654321"), HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Patch_merges_absent_is_unchanged_null_clears_age()
    {
        var user = await factory.NewUserAsync("Merge");
        using var client = factory.CreateClient(user.AccessToken);

        var withAge = await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { age = 40 });
        var afterAge = (await withAge.Content.ReadFromJsonAsync<UserResponse>())!;
        Assert.Equal(40, afterAge.Age);
        Assert.Equal("Merge", afterAge.Name);

        var nameOnly = (await (await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "  Renamed " })).Content.ReadFromJsonAsync<UserResponse>())!;
        Assert.Equal("Renamed", nameOnly.Name);
        Assert.Equal(40, nameOnly.Age);
        Assert.Equal(user.Email, nameOnly.Email);

        using var clear = new StringContent("""{"age":null}""", System.Text.Encoding.UTF8, "application/json");
        var cleared = (await (await client.PatchAsync($"/api/users/{user.Id}", clear)).Content.ReadFromJsonAsync<UserResponse>())!;
        Assert.Null(cleared.Age);
        Assert.Equal("Renamed", cleared.Name);

        var profile = await client.GetFromJsonAsync<UserResponse>("/api/profile");
        Assert.Equal(cleared, profile);
    }

    [SkippableFact]
    public async Task Patch_email_is_normalised_and_the_new_address_signs_in()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient(user.AccessToken);
        var local = "New" + Guid.NewGuid().ToString("N")[..8];
        var response = await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { email = $" {local}@Example.ORG " });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{local}@example.org", (await response.Content.ReadFromJsonAsync<UserResponse>())!.Email);
        await factory.LoginAsync($"{local}@example.org", UsersFactory.Password);
    }

    [SkippableFact]
    public async Task Patch_to_a_taken_email_is_409_and_changes_nothing()
    {
        var first = await factory.NewUserAsync();
        var second = await factory.NewUserAsync();
        using var client = factory.CreateClient(second.AccessToken);
        var response = await client.PatchAsJsonAsync($"/api/users/{second.Id}", new { email = first.Email, name = "Should not stick" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        var profile = await client.GetFromJsonAsync<UserResponse>("/api/profile");
        Assert.Equal(second.Email, profile!.Email);
        Assert.NotEqual("Should not stick", profile.Name);
    }

    public static TheoryData<string, string> InvalidPatches => new()
    {
        { """{"email":null}""", "email" },
        { """{"email":"nope"}""", "email" },
        { """{"name":null}""", "name" },
        { """{"name":""}""", "name" },
        { $$"""{"name":"{{new string('x', 101)}}"}""", "name" },
        { """{"password":"short"}""", "password" },
        { """{"password":null}""", "password" },
        { """{"age":151}""", "age" },
        { """{"age":"abc"}""", "age" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidPatches))]
    public async Task Patch_with_an_invalid_field_is_400_and_changes_nothing(string json, string field)
    {
        var user = await factory.NewUserAsync("Unchanged");
        using var client = factory.CreateClient(user.AccessToken);
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        await ProblemAssert.HasFieldErrorAsync(await client.PatchAsync($"/api/users/{user.Id}", content), field);

        var profile = await client.GetFromJsonAsync<UserResponse>("/api/profile");
        Assert.Equal("Unchanged", profile!.Name);
        Assert.Equal(user.Email, profile.Email);
    }

    [SkippableFact]
    public async Task Patch_and_delete_of_an_unknown_user_by_an_admin_are_404()
    {
        using var admin = factory.CreateClient((await factory.AdminAsync()).AccessToken);
        await ProblemAssert.IsProblemAsync(await admin.PatchAsJsonAsync("/api/users/987654321", new { name = "x" }), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await admin.DeleteAsync("/api/users/987654321"), HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task A_cached_public_profile_follows_patch_and_delete()
    {
        var user = await factory.NewUserAsync("Cached");
        Assert.Equal("Cached", (await factory.PublicProfileAsync(user.Id))!.Name); // now in the cache
        using var client = factory.CreateClient(user.AccessToken);

        Assert.Equal(HttpStatusCode.OK, (await client.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "Renamed" })).StatusCode);
        Assert.Equal("Renamed", (await factory.PublicProfileAsync(user.Id))!.Name);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/users/{user.Id}")).StatusCode);
        Assert.Null(await factory.PublicProfileAsync(user.Id));
    }

    [SkippableFact]
    public async Task Delete_removes_the_user_and_their_refresh_tokens()
    {
        var user = await factory.NewUserAsync();
        using var client = factory.CreateClient(user.AccessToken);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/users/{user.Id}")).StatusCode);

        await ProblemAssert.IsProblemAsync(await client.GetAsync($"/api/users/{user.Id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await client.GetAsync("/api/profile"), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(
            await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = user.RefreshToken }), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(
            await client.PostAsJsonAsync("/api/auth/login", new { email = user.Email, password = UsersFactory.Password }), HttpStatusCode.Unauthorized);
        await ProblemAssert.IsProblemAsync(await client.DeleteAsync($"/api/users/{user.Id}"), HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Reads_name_their_surrogate_keys_and_writes_purge_exactly_the_profile_they_changed()
    {
        using var anonymous = factory.CreateClient();
        using var register = await anonymous.PostAsJsonAsync("/api/auth/register", new { email = UsersFactory.NewEmail(), name = "Keyed", password = UsersFactory.Password });
        var registered = (await register.Content.ReadFromJsonAsync<UserResponse>())!;
        var user = await factory.NewUserAsync("Keyed");
        var other = await factory.NewUserAsync();
        using var self = factory.CreateClient(user.AccessToken);
        using var stranger = factory.CreateClient(other.AccessToken);
        using var admin = factory.CreateClient((await factory.AdminAsync()).AccessToken);

        using var profile = await anonymous.GetAsync($"/api/users/{user.Id}");
        using var padded = await anonymous.GetAsync($"/api/users/00{user.Id}");
        using var signedIn = await self.GetAsync($"/api/users/{user.Id}");
        using var missing = await anonymous.GetAsync("/api/users/987654321");
        using var forbidden = await stranger.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "Nope" });
        using var invalid = await self.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "" });
        using var patch = await self.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "Renamed" });
        using var promote = await admin.PatchAsJsonAsync($"/api/users/{user.Id}", new { role = Roles.Admin });
        using var unknown = await admin.DeleteAsync("/api/users/987654321");
        using var delete = await self.DeleteAsync($"/api/users/{user.Id}");
        using var again = await admin.DeleteAsync($"/api/users/{user.Id}");

        Assert.Equal(HttpStatusCode.Created, register.StatusCode);
        Assert.Equal($"user:{registered.Id}", register.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.Equal($"user:{user.Id}", profile.Headers.GetValues("Surrogate-Key").Single());
        Assert.Contains("public", profile.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal($"user:{user.Id}", padded.Headers.GetValues("Surrogate-Key").Single()); // /007 is user 7
        Assert.False(signedIn.Headers.Contains("Surrogate-Key")); // private: never cached at the edge
        Assert.True(signedIn.Headers.CacheControl!.Private);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.False(missing.Headers.Contains("Surrogate-Key")); // a 404 is not cached
        Assert.Null(missing.Headers.CacheControl);
        foreach (var unchanged in new[] { forbidden, invalid, unknown, again })
        {
            Assert.False(unchanged.Headers.Contains("Surrogate-Key-Purge"), $"{unchanged.StatusCode} changed nothing");
        }

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.Equal($"user:{user.Id}", patch.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
        Assert.Equal($"user:{user.Id}", promote.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal($"user:{user.Id}", delete.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }
}

public sealed class SqliteUsersApiTests(SqliteFixture factory) : UsersApiTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresUsersApiTests(PostgresFixture factory) : UsersApiTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
