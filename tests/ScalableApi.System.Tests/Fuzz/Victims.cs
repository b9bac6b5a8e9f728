using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests.Fuzz;

/// <summary>Who and what the fuzz aims at: a user with a post and a comment, and an admin's product.</summary>
internal sealed record Victims(SignedInUser Admin, SignedInUser Owner, long Product, long Post, long Comment)
{
    /// <summary>A user with a post and a comment, and an admin's product: what the fuzzing callers must not change.</summary>
    public static async Task<Victims> CreateAsync(HttpClient client)
    {
        var admin = await client.AdminAsync();
        var owner = await client.NewUserAsync("victim");
        var product = await client.CreateProductAsync(admin, "Fuzz victim product");
        using var post = await client.SendAsync(HttpMethod.Post, "/api/posts", owner.AccessToken, new { title = "Fuzz victim", body = "must not change" });
        await post.ExpectAsync(HttpStatusCode.Created);
        var postId = (await post.JsonAsync()).GetProperty("id").GetInt64();
        using var comment = await client.SendAsync(HttpMethod.Post, Path($"/api/posts/{postId}/comments"), owner.AccessToken, new { body = "victim comment" });
        await comment.ExpectAsync(HttpStatusCode.Created);
        var commentId = (await comment.JsonAsync()).GetProperty("id").GetInt64();
        return new Victims(admin, owner, product, postId, commentId);
    }

    /// <summary>The victims as the API shows them, read fresh by their owners (no cache in between).</summary>
    public async Task<string> SnapshotAsync(HttpClient client)
    {
        var parts = new List<string>();
        foreach (var (path, token) in new[]
        {
            (Path($"/api/products/{Product}"), Admin.AccessToken),
            (Path($"/api/posts/{Post}"), Owner.AccessToken),
            (Path($"/api/comments/{Comment}"), Owner.AccessToken),
            (Path($"/api/users/{Owner.Id}"), Owner.AccessToken),
            ("/api/profile", Owner.AccessToken),
            ("/api/profile", Admin.AccessToken),
        })
        {
            using var response = await client.SendAsync(HttpMethod.Get, path, token);
            await response.ExpectAsync(HttpStatusCode.OK);
            parts.Add(path + " " + await response.Content.ReadAsStringAsync());
        }

        return string.Join(Environment.NewLine, parts);
    }
}
