using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests.Owasp;

/// <summary>
/// OWASP API Security Top 10 (2023), API1:2023 Broken Object Level Authorization: through the gateway, every route
/// that changes or reveals one user's object checks that the caller may touch that object: anonymous 401, another
/// user 403 (and the object unchanged), the owner and an admin allowed. The same matrices per service, without
/// the gateway: <c>UsersAuthorizationTests.Patch_authorization_matrix</c> / <c>Delete_authorization_matrix</c> (users),
/// <c>ContentThroughTheGatewayTests.Only_the_author_may_delete_a_post</c> (content).
/// </summary>
public sealed class Api1BrokenObjectLevelAuthorizationTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Theory]
    [InlineData("PATCH", "/api/users/{user}")]
    [InlineData("DELETE", "/api/users/{user}")]
    [InlineData("DELETE", "/api/posts/{post}")]
    public async Task Another_users_object_is_401_anonymous_403_to_others_and_left_unchanged(string method, string template)
    {
        var objects = await OwaspObjects.CreateAsync(Client);
        var path = objects.Fill(template);
        var body = OwaspObjects.BodyFor(method, template);

        using var anonymous = await Client.SendAsync(new HttpMethod(method), path, body: body);
        await anonymous.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        using var other = await Client.SendAsync(new HttpMethod(method), path, objects.Other.AccessToken, body);
        await other.ExpectProblemAsync(HttpStatusCode.Forbidden);

        // Nothing happened to the object: it reads as before.
        var read = template.StartsWith("/api/users", StringComparison.Ordinal) ? Path($"/api/users/{objects.Owner.Id}") : Path($"/api/posts/{objects.Post}");
        using var after = await Client.SendAsync(HttpMethod.Get, read, objects.Owner.AccessToken);
        await after.ExpectAsync(HttpStatusCode.OK);
        if (method == "PATCH")
        {
            Assert.Equal("Ada Lovelace", (await after.JsonAsync()).GetProperty("name").GetString());
        }

        using var owner = await Client.SendAsync(new HttpMethod(method), path, objects.Owner.AccessToken, body);
        Assert.True(owner.IsSuccessStatusCode, $"{method} {path} by its owner: {(int)owner.StatusCode}");
    }

    [Theory]
    [InlineData("PATCH", "/api/users/{user}")]
    [InlineData("DELETE", "/api/users/{user}")]
    [InlineData("DELETE", "/api/posts/{post}")]
    public async Task An_admin_may_act_on_any_users_object(string method, string template)
    {
        var objects = await OwaspObjects.CreateAsync(Client);

        using var admin = await Client.SendAsync(new HttpMethod(method), objects.Fill(template), objects.Admin.AccessToken, OwaspObjects.BodyFor(method, template));

        Assert.True(admin.IsSuccessStatusCode, $"{method} {template} by an admin: {(int)admin.StatusCode}");
    }

    [Fact]
    public async Task Guessing_ids_reveals_no_private_field_and_a_token_for_one_user_reads_only_their_profile()
    {
        var objects = await OwaspObjects.CreateAsync(Client);

        // /api/profile takes no id: the token says whose it is.
        using var profile = await Client.SendAsync(HttpMethod.Get, "/api/profile?id=" + objects.Owner.Id, objects.Other.AccessToken);
        await profile.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(objects.Other.Id, (await profile.JsonAsync()).GetProperty("id").GetInt64());

        foreach (var path in new[] { Path($"/api/users/{objects.Owner.Id}"), Path($"/api/users/{objects.Owner.Id}/overview") })
        {
            using var read = await Client.SendAsync(HttpMethod.Get, path, objects.Other.AccessToken);
            await read.ExpectAsync(HttpStatusCode.OK);
            var text = await read.Content.ReadAsStringAsync();
            Assert.DoesNotContain(objects.Owner.Email, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("\"role\"", text, StringComparison.Ordinal);
        }
    }
}
