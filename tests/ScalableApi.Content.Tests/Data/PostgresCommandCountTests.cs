using System.Diagnostics;
using Dapper;
using Npgsql;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;
using ScalableApi.Contracts;

namespace ScalableApi.Content.Tests.Data;

/// <summary>
/// No N+1: a list request issues the same number of SQL commands at limit 5 and at limit 100. Counted from
/// Npgsql's own tracing (ActivitySource "Npgsql"), so every command the service sends is seen. PostgreSQL only:
/// Microsoft.Data.Sqlite emits no such events; the SQL and code paths are the same on both engines.
/// </summary>
public sealed class PostgresCommandCountTests(PostgresFixture factory) : IClassFixture<PostgresFixture>
{
    private const long AuthorId = 424_242;
    private const long CommenterId = 434_343;
    private readonly PostgresFixture _factory = TestDatabase.RequirePostgres(factory);

    [SkippableTheory]
    [InlineData("user posts")]
    [InlineData("post comments")]
    [InlineData("user comments")]
    [InlineData("post comments, past the last page")]
    public async Task List_requests_issue_a_constant_number_of_commands(string list)
    {
        var postId = await SeedAsync();
        var url = list switch
        {
            "user posts" => $"/api/users/{AuthorId}/posts",
            "user comments" => $"/api/users/{CommenterId}/comments",
            _ => $"/api/posts/{postId}/comments",
        };
        // Past the last page the list is empty, so the post's existence is checked too: still constant.
        var cursor = list.EndsWith("past the last page", StringComparison.Ordinal) ? "&cursor=" + KeysetCursor.Encode(1) : "";
        using var client = SignedIn();
        using var warmUp = await client.GetAsync($"{url}?limit=1"); // Pools and caches are warm for both counted requests.

        var (small, smallItems) = await CountCommandsAsync(client, $"{url}?limit=5{cursor}", list);
        var (large, largeItems) = await CountCommandsAsync(client, $"{url}?limit=100{cursor}", list);

        Assert.Equal(cursor.Length == 0 ? (5, 100) : (0, 0), (smallItems, largeItems));
        Assert.InRange(small, 1, 2);
        Assert.Equal(small, large);
    }

    [SkippableFact]
    public async Task Reading_a_post_with_its_comment_count_is_one_command()
    {
        var postId = await SeedAsync();
        using var client = SignedIn();
        using var warmUp = await client.GetAsync($"/api/posts/{postId}");

        var (commands, _) = await CountCommandsAsync(client, $"/api/posts/{postId}", "post");

        Assert.Equal(1, commands);
    }

    /// <summary>
    /// Reads carrying a consistency token newer than every cache entry go to the database every time (others are
    /// cached): the SQL is what is counted.
    /// </summary>
    private HttpClient SignedIn()
    {
        var client = _factory.CreateClient(_factory.Tokens.Create(ContentApi.NewUserId()));
        client.DefaultRequestHeaders.Add("Consistency-Token", "pg.7FFFFFFFFFFFFFFE");
        return client;
    }

    private async Task<(int Commands, int Items)> CountCommandsAsync(HttpClient client, string url, string list)
    {
        var database = new NpgsqlConnectionStringBuilder(_factory.Database.ConnectionString).Database!;
        var commands = 0;
        // Only this fixture's database: other test classes run in parallel against their own databases.
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TagObjects.Any(tag => tag.Value is string value && value == database))
                {
                    Interlocked.Increment(ref commands);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var items = list switch
        {
            "user posts" => (await client.GetFromJsonAsync<Page<Post>>(url))!.Items.Count,
            "post" => (await client.GetFromJsonAsync<Post>(url)) is null ? 0 : 1,
            _ => (await client.GetFromJsonAsync<Page<Comment>>(url))!.Items.Count,
        };
        return (Volatile.Read(ref commands), items);
    }

    /// <summary>150 posts by one author and 150 comments by one commenter on one of them (once per fixture).</summary>
    private async Task<long> SeedAsync()
    {
        var database = _factory.Services.GetRequiredService<IDatabase>();
        await using var connection = await database.OpenWriteAsync();
        var existing = await connection.QuerySingleOrDefaultAsync<long?>(
            "SELECT MIN(id) FROM posts WHERE author_id = @AuthorId", new { AuthorId });
        if (existing is { } postId)
        {
            return postId;
        }

        await connection.ExecuteAsync(
            "INSERT INTO posts (author_id, title, body, created_at) SELECT @AuthorId, 'title ' || i, 'body', 0 FROM generate_series(1, 150) i",
            new { AuthorId });
        postId = await connection.QuerySingleAsync<long>("SELECT MIN(id) FROM posts WHERE author_id = @AuthorId", new { AuthorId });
        await connection.ExecuteAsync(
            """
            INSERT INTO comments (post_id, author_id, body, created_at) SELECT @PostId, @CommenterId, 'comment ' || i, 0 FROM generate_series(1, 150) i;
            UPDATE posts SET comment_count = 150 WHERE id = @PostId;
            """,
            new { PostId = postId, CommenterId });
        return postId;
    }
}
