using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;

namespace ScalableApi.Content.Tests.Posts;

/// <summary>POST, GET and DELETE /api/posts/{id}, and GET /api/users/{id}/posts: each happy path and each error status.</summary>
public abstract class PostsTests(ServiceFactory<Program> factory)
{
    private readonly ContentApi _api = new(factory);

    [SkippableFact]
    public async Task Create_returns_201_with_location_author_from_token_and_trimmed_title()
    {
        var authorId = ContentApi.NewUserId();
        var before = DateTime.UtcNow.AddSeconds(-5);
        using var client = _api.As(authorId);

        using var response = await client.PostAsJsonAsync("/api/posts", new { title = "  Hello world \t", body = "  Body kept as sent  \n" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var post = (await response.Content.ReadFromJsonAsync<Post>())!;
        Assert.Equal($"/api/posts/{post.Id}", response.Headers.Location?.OriginalString);
        Assert.True(post.Id > 0);
        Assert.Equal(authorId, post.AuthorId);
        Assert.Equal("Hello world", post.Title);
        Assert.Equal("  Body kept as sent  \n", post.Body);
        Assert.Equal(0, post.CommentCount);
        Assert.InRange(post.CreatedAt, before, DateTime.UtcNow.AddSeconds(5));
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.EndsWith("Z", json.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("id").ValueKind);
    }

    [SkippableFact]
    public async Task Created_post_is_readable_by_anyone_with_public_cache_headers()
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId(), "Readable", "by anyone");
        using var client = _api.Anonymous();

        using var response = await client.GetAsync($"/api/posts/{post.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContentApi.PublicCacheControl, response.Headers.CacheControl?.ToString());
        Assert.Equal(post, await response.Content.ReadFromJsonAsync<Post>());
    }

    [SkippableFact]
    public async Task Create_without_token_is_401_and_stores_nothing()
    {
        using var client = _api.Anonymous();
        using var response = await client.PostAsJsonAsync("/api/posts", new { title = "t", body = "b" });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [SkippableFact]
    public async Task Create_with_expired_token_is_401()
    {
        using var client = factory.CreateClient(factory.Tokens.Expired(ContentApi.NewUserId()));
        using var response = await client.PostAsJsonAsync("/api/posts", new { title = "t", body = "b" });
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string, string> InvalidPosts => new()
    {
        { """{"body":"b"}""", "title" },
        { """{"title":null,"body":"b"}""", "title" },
        { """{"title":"","body":"b"}""", "title" },
        { """{"title":"   \t\n ","body":"b"}""", "title" },
        { $$"""{"title":"{{new string('t', 201)}}","body":"b"}""", "title" },
        { """{"title":"nul \u0000 inside","body":"b"}""", "title" },
        { """{"title":"t"}""", "body" },
        { """{"title":"t","body":""}""", "body" },
        { """{"title":"t","body":"   "}""", "body" },
        { $$"""{"title":"t","body":"{{new string('b', 20_001)}}"}""", "body" },
        { """{"title":"t","body":"nul \u0000 inside"}""", "body" },
        { "{}", "title" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidPosts))]
    public async Task Create_with_invalid_fields_is_400_naming_the_field_and_stores_nothing(string json, string field)
    {
        var authorId = ContentApi.NewUserId();
        using var client = _api.As(authorId);

        using var response = await client.PostAsync("/api/posts", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.HasFieldErrorAsync(response, field);
        Assert.Empty((await _api.GetPageAsync<Post>($"/api/users/{authorId}/posts")).Items);
    }

    [SkippableFact]
    public async Task Create_accepts_the_longest_title_and_body()
    {
        var title = new string('t', CreatePostRequest.MaxTitleLength);
        var body = new string('b', CreatePostRequest.MaxBodyLength);

        var post = await _api.CreatePostAsync(ContentApi.NewUserId(), "  " + title + "  ", body);

        Assert.Equal(title, post.Title);
        Assert.Equal(body, post.Body);
    }

    [SkippableFact]
    public async Task Get_unknown_post_is_404_problem_without_public_caching()
    {
        using var client = _api.Anonymous();
        using var response = await client.GetAsync("/api/posts/987654321987");
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.NotEqual(ContentApi.PublicCacheControl, response.Headers.CacheControl?.ToString());
    }

    [SkippableFact]
    public async Task Delete_by_anonymous_is_401_and_keeps_the_post()
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        using var client = _api.Anonymous();

        using var response = await client.DeleteAsync($"/api/posts/{post.Id}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, await _api.StatusOfAsync($"/api/posts/{post.Id}"));
    }

    [SkippableFact]
    public async Task Delete_by_another_user_is_403_and_keeps_the_post()
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        using var client = _api.As(ContentApi.NewUserId());

        using var response = await client.DeleteAsync($"/api/posts/{post.Id}");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, await _api.StatusOfAsync($"/api/posts/{post.Id}"));
    }

    [SkippableFact]
    public async Task Delete_by_author_is_204_then_the_post_is_gone()
    {
        var authorId = ContentApi.NewUserId();
        var post = await _api.CreatePostAsync(authorId);
        using var client = _api.As(authorId);

        using var response = await client.DeleteAsync($"/api/posts/{post.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync($"/api/posts/{post.Id}"));
        // The same caller's repeat answers as the first did (a retry whose first answer was lost; issue 15.4).
        using var again = await client.DeleteAsync($"/api/posts/{post.Id}");
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
    }

    [SkippableFact]
    public async Task Delete_by_admin_is_204_for_anyones_post()
    {
        var post = await _api.CreatePostAsync(ContentApi.NewUserId());
        using var client = _api.Admin();

        using var response = await client.DeleteAsync($"/api/posts/{post.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync($"/api/posts/{post.Id}"));
    }

    [SkippableFact]
    public async Task Delete_unknown_post_is_404_for_user_and_admin()
    {
        using var user = _api.As(ContentApi.NewUserId());
        using var admin = _api.Admin();

        using var byUser = await user.DeleteAsync("/api/posts/987654321987");
        using var byAdmin = await admin.DeleteAsync("/api/posts/987654321987");

        await ProblemAssert.IsProblemAsync(byUser, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(byAdmin, HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Reads_name_their_surrogate_keys_and_writes_the_keys_they_change()
    {
        var authorId = ContentApi.NewUserId();
        var commenterId = ContentApi.NewUserId();
        using var author = _api.As(authorId);
        using var commenter = _api.As(commenterId);
        using var anonymous = _api.Anonymous();

        using var create = await author.PostAsJsonAsync("/api/posts", new { title = "Keyed", body = "post" });
        var post = (await create.Content.ReadFromJsonAsync<Post>())!;
        using var comment = await commenter.PostAsJsonAsync($"/api/posts/{post.Id}/comments", new { body = "keyed" });
        var created = (await comment.Content.ReadFromJsonAsync<Comment>())!;
        using var item = await anonymous.GetAsync($"/api/posts/{post.Id}");
        using var authorPage = await anonymous.GetAsync($"/api/users/{authorId}/posts");
        using var comments = await anonymous.GetAsync($"/api/posts/{post.Id}/comments");
        using var one = await anonymous.GetAsync($"/api/comments/{created.Id}");
        using var commenterPage = await anonymous.GetAsync($"/api/users/{commenterId}/comments");
        using var missing = await anonymous.GetAsync("/api/posts/999999999");
        using var forbidden = await commenter.DeleteAsync($"/api/posts/{post.Id}");
        using var delete = await author.DeleteAsync($"/api/posts/{post.Id}");

        Assert.Equal($"user:{authorId}:posts", create.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.Equal($"post:{post.Id} post:{post.Id}:comments user:{commenterId}:comments", comment.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.Equal($"post:{post.Id}", item.Headers.GetValues("Surrogate-Key").Single());
        Assert.Equal($"user:{authorId}:posts post:{post.Id}", authorPage.Headers.GetValues("Surrogate-Key").Single());
        Assert.Equal($"post:{post.Id}:comments", comments.Headers.GetValues("Surrogate-Key").Single());
        Assert.Equal($"post:{post.Id}:comments", one.Headers.GetValues("Surrogate-Key").Single());
        Assert.Equal($"user:{commenterId}:comments", commenterPage.Headers.GetValues("Surrogate-Key").Single());
        Assert.False(missing.Headers.Contains("Surrogate-Key")); // a 404 is not cached
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.False(forbidden.Headers.Contains("Surrogate-Key-Purge")); // changed nothing
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(
            $"post:{post.Id} post:{post.Id}:comments user:{authorId}:posts user:{commenterId}:comments",
            delete.Headers.GetValues("Surrogate-Key-Purge").Single());
    }

    [SkippableFact]
    public async Task Delete_takes_the_posts_comments_with_it_and_leaves_other_posts_alone()
    {
        var authorId = ContentApi.NewUserId();
        var commenterId = ContentApi.NewUserId();
        var doomed = await _api.CreatePostAsync(authorId, "doomed");
        var kept = await _api.CreatePostAsync(authorId, "kept");
        var goneComments = new List<Comment>();
        for (var i = 0; i < 3; i++)
        {
            goneComments.Add(await _api.CreateCommentAsync(doomed.Id, commenterId, $"gone {i}"));
        }

        var keptComment = await _api.CreateCommentAsync(kept.Id, commenterId, "kept");
        using var client = _api.As(authorId);

        using var response = await client.DeleteAsync($"/api/posts/{doomed.Id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        foreach (var comment in goneComments)
        {
            Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync($"/api/comments/{comment.Id}"));
        }

        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync($"/api/posts/{doomed.Id}/comments"));
        var remaining = await _api.GetPageAsync<Comment>($"/api/users/{commenterId}/comments");
        Assert.Equal([keptComment.Id], remaining.Items.Select(c => c.Id));
        Assert.Equal(HttpStatusCode.OK, await _api.StatusOfAsync($"/api/posts/{kept.Id}"));
    }

    [SkippableFact]
    public async Task User_posts_are_that_users_only_newest_first_with_comment_counts()
    {
        var authorId = ContentApi.NewUserId();
        var first = await _api.CreatePostAsync(authorId, "first");
        await _api.CreatePostAsync(ContentApi.NewUserId(), "someone else's");
        var second = await _api.CreatePostAsync(authorId, "second");
        await _api.CreateCommentAsync(first.Id, ContentApi.NewUserId());
        await _api.CreateCommentAsync(first.Id, ContentApi.NewUserId());
        using var client = _api.Anonymous();

        using var response = await client.GetAsync($"/api/users/{authorId}/posts");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ContentApi.PublicCacheControl, response.Headers.CacheControl?.ToString());
        var page = (await response.Content.ReadFromJsonAsync<ScalableApi.Contracts.Page<Post>>())!;
        Assert.Equal([second.Id, first.Id], page.Items.Select(p => p.Id));
        Assert.Equal([0L, 2L], page.Items.Select(p => p.CommentCount));
        Assert.Null(page.NextCursor);
    }

    [SkippableFact]
    public async Task Unknown_user_has_an_empty_page_of_posts()
    {
        var page = await _api.GetPageAsync<Post>($"/api/users/{ContentApi.NewUserId()}/posts");
        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }
}

public sealed class SqlitePostsTests(SqliteFixture fixture) : PostsTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresPostsTests(PostgresFixture fixture) : PostsTests(TestDatabase.RequirePostgres(fixture)), IClassFixture<PostgresFixture>;
