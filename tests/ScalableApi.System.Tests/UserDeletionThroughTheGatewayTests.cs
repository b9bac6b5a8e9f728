using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>
/// Issue 12, acceptance 3 and 4 through the gateway: a deleted user's token is refused for writes at once, and their
/// posts, their comments and the comments on their posts disappear from every page, the overview included.
/// </summary>
public sealed class UserDeletionThroughTheGatewayTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task After_a_delete_the_old_token_cannot_post_and_the_users_content_leaves_every_page()
    {
        var client = Topology.GatewayClient;
        var gone = await client.NewUserAsync("gone");
        var other = await client.NewUserAsync("other");
        var ownPost = await CreateAsync(client, gone, "/api/posts", new { title = "mine", body = "b" });
        var otherPost = await CreateAsync(client, other, "/api/posts", new { title = "theirs", body = "b" });
        await CreateAsync(client, other, Path($"/api/posts/{ownPost}/comments"), new { body = "other on gone's post" });
        await CreateAsync(client, gone, Path($"/api/posts/{otherPost}/comments"), new { body = "gone on other's post" });
        Assert.Equal(1, await ItemsAsync(client, Path($"/api/users/{gone.Id}/posts")));

        using (var deleted = await client.SendAsync(HttpMethod.Delete, Path($"/api/users/{gone.Id}"), gone.AccessToken))
        {
            await deleted.ExpectAsync(HttpStatusCode.NoContent);
        }

        using (var post = await client.SendAsync(HttpMethod.Post, "/api/posts", gone.AccessToken, new { title = "after", body = "b" }))
        {
            await post.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        }

        Assert.True(
            await Poll.UntilAsync(async () => await ItemsAsync(client, Path($"/api/users/{gone.Id}/posts")) == 0
                && await ItemsAsync(client, Path($"/api/users/{other.Id}/comments")) == 0
                && await ItemsAsync(client, Path($"/api/posts/{otherPost}/comments")) == 0, TimeSpan.FromSeconds(10)),
            $"content of the deleted user still shows{Environment.NewLine}{Topology.Tails()}");
        using var overview = await client.SendAsync(HttpMethod.Get, Path($"/api/users/{gone.Id}/overview"));
        await overview.ExpectProblemAsync(HttpStatusCode.NotFound);
        using var ownPostNow = await client.SendAsync(HttpMethod.Get, Path($"/api/posts/{ownPost}"));
        await ownPostNow.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    private static async Task<long> CreateAsync(HttpClient client, SignedInUser user, string path, object body)
    {
        using var response = await client.SendAsync(HttpMethod.Post, path, user.AccessToken, body);
        await response.ExpectAsync(HttpStatusCode.Created);
        return (await response.JsonAsync()).GetProperty("id").GetInt64();
    }

    private static async Task<int> ItemsAsync(HttpClient client, string path)
    {
        using var response = await client.SendAsync(HttpMethod.Get, path);
        await response.ExpectAsync(HttpStatusCode.OK);
        return (await response.JsonAsync()).GetProperty("items").GetArrayLength();
    }
}
