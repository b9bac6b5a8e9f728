using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts;

namespace ScalableApi.Content.Tests;

/// <summary>Typed calls to the content API for test set-up, asserting each step succeeded.</summary>
internal sealed class ContentApi(ServiceFactory<Program> factory)
{
    // Random base: ids never collide between tests or test runs sharing a database.
    private static long s_nextUserId = Random.Shared.NextInt64(1_000_000, 1_000_000_000_000);

    public const string PublicCacheControl = "public, max-age=30, stale-while-revalidate=60";

    /// <summary>A user id no other test uses, so each test owns its data.</summary>
    public static long NewUserId() => Interlocked.Increment(ref s_nextUserId);

    public HttpClient Anonymous() => factory.CreateClient(token: null);

    public HttpClient As(long userId) => factory.CreateClient(factory.Tokens.Create(userId));

    public HttpClient Admin() => factory.CreateClient(factory.Tokens.Admin(NewUserId()));

    public async Task<Post> CreatePostAsync(long authorId, string title = "A title", string body = "A body")
    {
        using var client = As(authorId);
        using var response = await client.PostAsJsonAsync("/api/posts", new { title, body });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Post>())!;
    }

    public async Task<Comment> CreateCommentAsync(long postId, long authorId, string body = "A comment")
    {
        using var client = As(authorId);
        using var response = await client.PostAsJsonAsync($"/api/posts/{postId}/comments", new { body });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Comment>())!;
    }

    public async Task<Page<T>> GetPageAsync<T>(string url)
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Page<T>>())!;
    }

    public async Task<HttpStatusCode> StatusOfAsync(string url)
    {
        using var client = Anonymous();
        using var response = await client.GetAsync(url);
        return response.StatusCode;
    }
}
