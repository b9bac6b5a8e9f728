using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>SPEC §2, content service: each route once through the gateway, with its main error status.</summary>
public sealed class ContentThroughTheGatewayTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task A_post_is_created_with_a_location_read_by_anyone_and_an_unknown_id_is_not_found()
    {
        var author = await Client.NewUserAsync();

        var postId = await CreatePostAsync(author);

        using var post = await Client.SendAsync(HttpMethod.Get, Path($"/api/posts/{postId}"));
        await post.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Hello from the system test", (await post.JsonAsync()).GetProperty("title").GetString());

        using var missing = await Client.SendAsync(HttpMethod.Get, "/api/posts/987654321987");
        await missing.ExpectProblemAsync(HttpStatusCode.NotFound);

        using var anonymous = await Client.SendAsync(HttpMethod.Post, "/api/posts", body: new { title = "t", body = "b" });
        await anonymous.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Comments_are_created_and_listed_per_post_and_per_user()
    {
        var author = await Client.NewUserAsync();
        var reader = await Client.NewUserAsync();
        var postId = await CreatePostAsync(author);

        using var comment = await Client.SendAsync(HttpMethod.Post, Path($"/api/posts/{postId}/comments"), reader.AccessToken, new { body = "Nice post" });
        await comment.ExpectAsync(HttpStatusCode.Created);
        var commentId = (await comment.JsonAsync()).GetProperty("id").GetInt64();

        using var onPost = await Client.SendAsync(HttpMethod.Get, Path($"/api/posts/{postId}/comments?limit=10"));
        await onPost.ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(commentId, Ids(await onPost.JsonAsync()));

        using var byUser = await Client.SendAsync(HttpMethod.Get, Path($"/api/users/{reader.Id}/comments?limit=10"));
        await byUser.ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(commentId, Ids(await byUser.JsonAsync()));

        // The Location a new comment names is a route of the gateway, not only of the content service.
        using var one = await Client.SendAsync(HttpMethod.Get, comment.Headers.Location!.ToString());
        await one.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(commentId, (await one.JsonAsync()).GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_users_posts_are_a_page()
    {
        var author = await Client.NewUserAsync();
        var postId = await CreatePostAsync(author);

        using var page = await Client.SendAsync(HttpMethod.Get, Path($"/api/users/{author.Id}/posts?limit=10"));
        await page.ExpectAsync(HttpStatusCode.OK);
        var body = await page.JsonAsync();
        Assert.Contains(postId, Ids(body));
        Assert.True(body.TryGetProperty("nextCursor", out _));
    }

    [Fact]
    public async Task Only_the_author_may_delete_a_post()
    {
        var author = await Client.NewUserAsync();
        var other = await Client.NewUserAsync();
        var postId = await CreatePostAsync(author);

        using var foreign = await Client.SendAsync(HttpMethod.Delete, Path($"/api/posts/{postId}"), other.AccessToken);
        await foreign.ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var own = await Client.SendAsync(HttpMethod.Delete, Path($"/api/posts/{postId}"), author.AccessToken);
        await own.ExpectAsync(HttpStatusCode.NoContent);
    }

    private async Task<long> CreatePostAsync(SignedInUser author)
    {
        using var created = await Client.SendAsync(HttpMethod.Post, "/api/posts", author.AccessToken, new { title = "Hello from the system test", body = "Through the gateway" });
        await created.ExpectAsync(HttpStatusCode.Created);
        var id = (await created.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal(Path($"/api/posts/{id}"), created.Headers.Location?.OriginalString);
        return id;
    }

    private static IEnumerable<long> Ids(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(item => item.GetProperty("id").GetInt64());
}
