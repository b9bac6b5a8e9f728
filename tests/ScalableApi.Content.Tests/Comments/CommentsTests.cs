using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts;

namespace ScalableApi.Content.Tests.Comments;

/// <summary>POST/GET /api/posts/{id}/comments, GET /api/comments/{id}, GET /api/users/{id}/comments.</summary>
public abstract class CommentsTests(ServiceFactory<Program> factory)
{
    private readonly ContentApi _api = new(factory);

    [SkippableFact]
    public async Task Create_returns_201_with_location_and_counts_on_the_post()
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        var commenterId = ContentApi.NewUserId();
        var before = DateTime.UtcNow.AddSeconds(-5);
        using var client = _api.As(commenterId);

        using var response = await client.PostAsJsonAsync($"/api/posts/{post.Id}/comments", new { body = "  Nice post!\n" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var comment = (await response.Content.ReadFromJsonAsync<Comment>())!;
        Assert.Equal($"/api/comments/{comment.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(post.Id, comment.PostId);
        Assert.Equal(commenterId, comment.AuthorId);
        Assert.Equal("  Nice post!\n", comment.Body);
        Assert.InRange(comment.CreatedAt, before, DateTime.UtcNow.AddSeconds(5));
        Assert.Contains("Z\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var anonymous = _api.Anonymous();
        using var read = await anonymous.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(ContentApi.PublicCacheControl, read.Headers.CacheControl?.ToString());
        Assert.Equal(comment, await read.Content.ReadFromJsonAsync<Comment>());
        var updated = await anonymous.GetFromJsonAsync<Post>($"/api/posts/{post.Id}");
        Assert.Equal(1, updated!.CommentCount);
    }

    /// <summary>Anyone signed in may comment on anyone's post; only the anonymous are refused.</summary>
    [SkippableTheory]
    [InlineData("anonymous", HttpStatusCode.Unauthorized)]
    [InlineData("author", HttpStatusCode.Created)]
    [InlineData("other user", HttpStatusCode.Created)]
    [InlineData("admin", HttpStatusCode.Created)]
    public async Task Create_authorization_matrix(string caller, HttpStatusCode expected)
    {
        var authorId = ContentApi.NewUserId();
        var post = await _api.CreatePostAsync(authorId);
        using var client = caller switch
        {
            "anonymous" => _api.Anonymous(),
            "author" => _api.As(authorId),
            "other user" => _api.As(ContentApi.NewUserId()),
            _ => _api.Admin(),
        };

        using var response = await client.PostAsJsonAsync($"/api/posts/{post.Id}/comments", new { body = "hi" });

        Assert.Equal(expected, response.StatusCode);
        var comments = await _api.GetPageAsync<Comment>($"/api/posts/{post.Id}/comments");
        Assert.Equal(expected == HttpStatusCode.Created ? 1 : 0, comments.Items.Count);
        if (expected != HttpStatusCode.Created)
        {
            await ProblemAssert.IsProblemAsync(response, expected);
        }
    }

    [SkippableFact]
    public async Task Create_on_a_missing_post_is_404_and_stores_nothing()
    {
        var commenterId = ContentApi.NewUserId();
        using var client = _api.As(commenterId);

        using var response = await client.PostAsJsonAsync("/api/posts/987654321987/comments", new { body = "into the void" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Empty((await _api.GetPageAsync<Comment>($"/api/users/{commenterId}/comments")).Items);
    }

    [SkippableTheory]
    [InlineData("{}")]
    [InlineData("""{"body":null}""")]
    [InlineData("""{"body":""}""")]
    [InlineData("""{"body":" \n\t "}""")]
    [InlineData("""{"body":"nul \u0000 inside"}""")]
    public async Task Create_with_invalid_body_is_400_naming_body_and_stores_nothing(string json)
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        using var client = _api.As(ContentApi.NewUserId());

        using var response = await client.PostAsync($"/api/posts/{post.Id}/comments", new StringContent(json, Encoding.UTF8, "application/json"));

        await ProblemAssert.HasFieldErrorAsync(response, "body");
        Assert.Empty((await _api.GetPageAsync<Comment>($"/api/posts/{post.Id}/comments")).Items);
    }

    [SkippableFact]
    public async Task Create_accepts_5000_characters_and_refuses_5001()
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        using var client = _api.As(ContentApi.NewUserId());
        var longest = new string('c', CreateCommentRequest.MaxBodyLength);

        using var ok = await client.PostAsJsonAsync($"/api/posts/{post.Id}/comments", new { body = longest });
        using var tooLong = await client.PostAsJsonAsync($"/api/posts/{post.Id}/comments", new { body = longest + "c" });

        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(longest, (await ok.Content.ReadFromJsonAsync<Comment>())!.Body);
        await ProblemAssert.HasFieldErrorAsync(tooLong, "body");
        Assert.Single((await _api.GetPageAsync<Comment>($"/api/posts/{post.Id}/comments")).Items);
    }

    [SkippableFact]
    public async Task Post_comments_are_that_posts_only_newest_first_with_public_caching()
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        var other = await _api.CreatePostAsync(ContentApi.NewUserId());
        var first = await _api.CreateCommentAsync(post.Id, ContentApi.NewUserId(), "first");
        await _api.CreateCommentAsync(other.Id, ContentApi.NewUserId(), "elsewhere");
        var second = await _api.CreateCommentAsync(post.Id, ContentApi.NewUserId(), "second");
        using var client = _api.Anonymous();

        using var response = await client.GetAsync($"/api/posts/{post.Id}/comments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContentApi.PublicCacheControl, response.Headers.CacheControl?.ToString());
        var page = (await response.Content.ReadFromJsonAsync<Page<Comment>>())!;
        Assert.Equal([second, first], page.Items);
        Assert.Null(page.NextCursor);
    }

    [SkippableFact]
    public async Task A_post_without_comments_has_an_empty_page()
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        var page = await _api.GetPageAsync<Comment>($"/api/posts/{post.Id}/comments");
        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [SkippableFact]
    public async Task Comments_of_a_missing_post_are_404()
    {
        using var client = _api.Anonymous();
        using var response = await client.GetAsync("/api/posts/987654321987/comments");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Get_unknown_comment_is_404()
    {
        using var client = _api.Anonymous();
        using var response = await client.GetAsync("/api/comments/987654321987");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task User_comments_span_posts_newest_first()
    {
        var commenterId = ContentApi.NewUserId();
        var postA = await _api.CreatePostAsync(ContentApi.NewUserId());
        var postB = await _api.CreatePostAsync(ContentApi.NewUserId());
        var onA = await _api.CreateCommentAsync(postA.Id, commenterId, "on A");
        await _api.CreateCommentAsync(postA.Id, ContentApi.NewUserId(), "someone else");
        var onB = await _api.CreateCommentAsync(postB.Id, commenterId, "on B");
        using var client = _api.Anonymous();

        using var response = await client.GetAsync($"/api/users/{commenterId}/comments");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContentApi.PublicCacheControl, response.Headers.CacheControl?.ToString());
        var page = (await response.Content.ReadFromJsonAsync<Page<Comment>>())!;
        Assert.Equal([onB, onA], page.Items);
    }

    [SkippableFact]
    public async Task Unknown_user_has_an_empty_page_of_comments()
    {
        var page = await _api.GetPageAsync<Comment>($"/api/users/{ContentApi.NewUserId()}/comments");
        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [SkippableFact]
    public async Task Concurrent_comments_are_all_stored_and_all_counted()
    {
        const int Count = 20;
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());

        var created = await Task.WhenAll(Enumerable.Range(0, Count).Select(i => _api.CreateCommentAsync(post.Id, ContentApi.NewUserId(), $"c{i}")));

        Assert.Equal(Count, created.Select(c => c.Id).Distinct().Count());
        using var client = _api.Anonymous();
        Assert.Equal(Count, (await client.GetFromJsonAsync<Post>($"/api/posts/{post.Id}"))!.CommentCount);
        Assert.Equal(Count, (await _api.GetPageAsync<Comment>($"/api/posts/{post.Id}/comments?limit=100")).Items.Count);
    }
}

public sealed class SqliteCommentsTests(SqliteFixture fixture) : CommentsTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresCommentsTests(PostgresFixture fixture) : CommentsTests(TestDatabase.RequirePostgres(fixture)), IClassFixture<PostgresFixture>;
