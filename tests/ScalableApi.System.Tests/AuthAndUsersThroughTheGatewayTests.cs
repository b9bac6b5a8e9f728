using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>SPEC §2, users service: each route once through the gateway, with its main error status.</summary>
public sealed class AuthAndUsersThroughTheGatewayTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task Register_creates_a_user_with_a_location_and_rejects_a_taken_email_and_invalid_input()
    {
        var email = UniqueEmail();

        using var created = await Client.RegisterAsync(email);
        await created.ExpectAsync(HttpStatusCode.Created);
        var user = await created.JsonAsync();
        Assert.Equal(Path($"/api/users/{user.GetProperty("id").GetInt64()}"), created.Headers.Location?.OriginalString);

        using var taken = await Client.RegisterAsync(email);
        await taken.ExpectProblemAsync(HttpStatusCode.Conflict);

        using var invalid = await Client.SendAsync(HttpMethod.Post, "/api/auth/register", body: new { email = "not-an-email", name = "", password = "short" });
        await invalid.ExpectProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await invalid.JsonAsync()).TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Login_returns_a_bearer_token_pair_and_a_wrong_password_is_unauthorized()
    {
        var email = UniqueEmail();
        (await Client.RegisterAsync(email)).Dispose();

        using var login = await Client.LoginAsync(email);
        await login.ExpectAsync(HttpStatusCode.OK);
        var tokens = await login.JsonAsync();
        Assert.Equal("Bearer", tokens.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("accessToken").GetString()));
        Assert.False(string.IsNullOrEmpty(tokens.GetProperty("refreshToken").GetString()));

        using var wrong = await Client.LoginAsync(email, "not the password");
        await wrong.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_returns_a_new_pair_and_reusing_the_spent_token_is_unauthorized()
    {
        var user = await Client.NewUserAsync();

        using var refreshed = await Client.SendAsync(HttpMethod.Post, "/api/auth/refresh", body: new { refreshToken = user.RefreshToken });
        await refreshed.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(user.RefreshToken, (await refreshed.JsonAsync()).GetProperty("refreshToken").GetString());

        using var reused = await Client.SendAsync(HttpMethod.Post, "/api/auth/refresh", body: new { refreshToken = user.RefreshToken });
        await reused.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Profile_is_the_signed_in_user_and_anonymous_is_unauthorized()
    {
        var user = await Client.NewUserAsync();

        using var profile = await Client.SendAsync(HttpMethod.Get, "/api/profile", user.AccessToken);
        await profile.ExpectAsync(HttpStatusCode.OK);
        var body = await profile.JsonAsync();
        Assert.Equal(user.Id, body.GetProperty("id").GetInt64());
        Assert.Equal(user.Email, body.GetProperty("email").GetString());

        using var anonymous = await Client.SendAsync(HttpMethod.Get, "/api/profile");
        await anonymous.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_user_is_public_without_email_and_an_unknown_id_is_not_found()
    {
        var user = await Client.NewUserAsync();

        using var found = await Client.SendAsync(HttpMethod.Get, Path($"/api/users/{user.Id}"));
        await found.ExpectAsync(HttpStatusCode.OK);
        var body = await found.JsonAsync();
        Assert.Equal(user.Id, body.GetProperty("id").GetInt64());
        Assert.False(body.TryGetProperty("email", out _));

        using var missing = await Client.SendAsync(HttpMethod.Get, "/api/users/987654321987");
        await missing.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_user_may_patch_themselves_but_not_another_user()
    {
        var user = await Client.NewUserAsync();
        var other = await Client.NewUserAsync();

        using var own = await Client.SendAsync(HttpMethod.Patch, Path($"/api/users/{user.Id}"), user.AccessToken, new { name = "Grace Hopper" });
        await own.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Grace Hopper", (await own.JsonAsync()).GetProperty("name").GetString());

        using var foreign = await Client.SendAsync(HttpMethod.Patch, Path($"/api/users/{other.Id}"), user.AccessToken, new { name = "Mallory" });
        await foreign.ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Listing_users_is_forbidden_to_a_user_and_a_page_for_an_admin()
    {
        var user = await Client.NewUserAsync();
        var admin = await Client.AdminAsync();

        using var forbidden = await Client.SendAsync(HttpMethod.Get, "/api/users?limit=5", user.AccessToken);
        await forbidden.ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var page = await Client.SendAsync(HttpMethod.Get, "/api/users?limit=5", admin.AccessToken);
        await page.ExpectAsync(HttpStatusCode.OK);
        var body = await page.JsonAsync();
        Assert.NotEmpty(body.GetProperty("items").EnumerateArray());
        Assert.True(body.TryGetProperty("nextCursor", out _));
    }

    [Fact]
    public async Task The_signing_keys_are_published_through_the_gateway()
    {
        using var jwks = await Client.SendAsync(HttpMethod.Get, "/.well-known/jwks.json");
        await jwks.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEmpty((await jwks.JsonAsync()).GetProperty("keys").EnumerateArray());
    }
}
