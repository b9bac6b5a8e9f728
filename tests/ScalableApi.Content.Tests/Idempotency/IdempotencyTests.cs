using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using ScalableApi.Content.Posts;
using ScalableApi.Platform.Idempotency;

namespace ScalableApi.Content.Tests.Idempotency;

/// <summary>
/// SPEC §2 Idempotency-Key on POST /api/posts (and comments): at most one effect per caller and key, replays with
/// <c>Idempotent-Replayed: true</c>, 422 for another body, 409 while the first runs, per-caller records.
/// </summary>
public abstract class IdempotencyTests(ServiceFactory<Program> factory)
{
    private readonly ContentApi _api = new(factory);

    [SkippableFact]
    public async Task A_repeated_keyed_post_is_stored_once_and_replayed_with_the_first_answer()
    {
        var authorId = ContentApi.NewUserId();
        var key = Guid.NewGuid().ToString();

        using var first = await PostAsync(authorId, key, new { title = "Once", body = "only once" });
        using var second = await PostAsync(authorId, key, new { title = "Once", body = "only once" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains(IdempotencyHeaders.Replayed));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", Assert.Single(second.Headers.GetValues(IdempotencyHeaders.Replayed)));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        var page = await _api.GetPageAsync<Post>($"/api/users/{authorId}/posts");
        Assert.Single(page.Items);
    }

    [SkippableFact]
    public async Task The_draft_s_quoted_key_form_names_the_same_key()
    {
        var authorId = ContentApi.NewUserId();
        var key = Guid.NewGuid().ToString();

        using var first = await PostAsync(authorId, key, new { title = "Quoted", body = "b" });
        using var second = await PostAsync(authorId, $"\"{key}\"", new { title = "Quoted", body = "b" });

        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.True(second.Headers.Contains(IdempotencyHeaders.Replayed));
        Assert.Single((await _api.GetPageAsync<Post>($"/api/users/{authorId}/posts")).Items);
    }

    [SkippableFact]
    public async Task The_same_key_with_another_body_is_422_and_stores_nothing_more()
    {
        var authorId = ContentApi.NewUserId();
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(authorId, key, new { title = "First", body = "b" });

        using var other = await PostAsync(authorId, key, new { title = "Second", body = "b" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.UnprocessableEntity);
        var page = await _api.GetPageAsync<Post>($"/api/users/{authorId}/posts");
        Assert.Equal(["First"], page.Items.Select(p => p.Title));
    }

    [SkippableFact]
    public async Task The_same_key_on_another_route_is_422()
    {
        var authorId = ContentApi.NewUserId();
        var post = await _api.CreatePostAsync(authorId);
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(authorId, key, new { body = "b" }, $"/api/posts/{post.Id}/comments");

        using var other = await PostAsync(authorId, key, new { body = "b" });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.UnprocessableEntity);
    }

    [SkippableFact]
    public async Task Another_user_s_same_key_is_another_record()
    {
        var alice = ContentApi.NewUserId();
        var bob = ContentApi.NewUserId();
        var key = Guid.NewGuid().ToString();

        using var fromAlice = await PostAsync(alice, key, new { title = "Same", body = "same" });
        using var fromBob = await PostAsync(bob, key, new { title = "Same", body = "same" });

        Assert.Equal(HttpStatusCode.Created, fromBob.StatusCode);
        Assert.False(fromBob.Headers.Contains(IdempotencyHeaders.Replayed));
        Assert.NotEqual(fromAlice.Headers.Location, fromBob.Headers.Location);
        Assert.Equal(bob, (await fromBob.Content.ReadFromJsonAsync<Post>())!.AuthorId);
        Assert.Single((await _api.GetPageAsync<Post>($"/api/users/{alice}/posts")).Items);
        Assert.Single((await _api.GetPageAsync<Post>($"/api/users/{bob}/posts")).Items);
    }

    [SkippableFact]
    public async Task A_repeat_while_the_first_is_running_is_409_then_replays_the_first()
    {
        var authorId = ContentApi.NewUserId();
        var key = Guid.NewGuid().ToString();
        var body = new { title = "Slow", body = "b" };
        Task<HttpResponseMessage> a, b, other;

        // Holding the database's write lock keeps whichever attempt takes the key waiting inside its write.
        await using (await LockPostsAsync())
        {
            a = PostAsync(authorId, key, body);
            b = PostAsync(authorId, key, body);
            var first = await Task.WhenAny(a, b);
            other = first == a ? b : a;
            using var refused = await first;
            var problem = await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains("running", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        using var ran = await other;
        Assert.Equal(HttpStatusCode.Created, ran.StatusCode);
        using var replay = await PostAsync(authorId, key, body);
        Assert.True(replay.Headers.Contains(IdempotencyHeaders.Replayed));
        Assert.Equal(ran.Headers.Location, replay.Headers.Location);
        Assert.Single((await _api.GetPageAsync<Post>($"/api/users/{authorId}/posts")).Items);
    }

    [SkippableFact]
    public async Task A_failed_attempt_stores_nothing_so_the_key_runs_again()
    {
        var authorId = ContentApi.NewUserId();
        var key = Guid.NewGuid().ToString();

        using var invalid = await PostAsync(authorId, key, new { title = "", body = "b" });
        using var missing = await PostAsync(authorId, key, new { body = "b" }, "/api/posts/999999999999/comments");

        await ProblemAssert.HasFieldErrorAsync(invalid, "title");
        await ProblemAssert.IsProblemAsync(missing, HttpStatusCode.NotFound);
        using var valid = await PostAsync(authorId, key, new { title = "", body = "b" });
        await ProblemAssert.HasFieldErrorAsync(valid, "title");
    }

    [SkippableFact]
    public async Task After_the_retention_the_key_runs_again_and_the_sweep_deletes_expired_records()
    {
        var authorId = ContentApi.NewUserId();
        var key = Guid.NewGuid().ToString();
        using var first = await PostAsync(authorId, key, new { title = "Day one", body = "b" });
        await ExpireRecordsOfAsync(authorId);

        using var later = await PostAsync(authorId, key, new { title = "Day two", body = "b" });

        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.False(later.Headers.Contains(IdempotencyHeaders.Replayed));
        Assert.Equal(2, (await _api.GetPageAsync<Post>($"/api/users/{authorId}/posts")).Items.Count);

        await ExpireRecordsOfAsync(authorId);
        var swept = await factory.Services.GetRequiredService<IdempotencyStore>().SweepAsync(CancellationToken.None);
        Assert.True(swept >= 1);
        Assert.Equal(0, await CountRecordsOfAsync(authorId));
    }

    [SkippableFact]
    public async Task Anonymous_keyed_post_is_401_and_bad_keys_are_400()
    {
        using var anonymous = _api.Anonymous();
        using var request = Keyed(HttpMethod.Post, "/api/posts", Guid.NewGuid().ToString(), new { title = "t", body = "b" });
        using var response = await anonymous.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);

        var authorId = ContentApi.NewUserId();
        foreach (var bad in new[] { "\"\"", new string('k', 256), "tab\tinside", "back\\slash" })
        {
            using var badKey = await PostAsync(authorId, bad, new { title = "t", body = "b" });
            await ProblemAssert.IsProblemAsync(badKey, HttpStatusCode.BadRequest);
        }

        Assert.Empty((await _api.GetPageAsync<Post>($"/api/users/{authorId}/posts")).Items);
    }

    [SkippableFact]
    public async Task A_repeated_delete_by_its_caller_is_204_for_others_404()
    {
        var authorId = ContentApi.NewUserId();
        var post = await _api.CreatePostAsync(authorId);
        using var author = _api.As(authorId);
        using var admin = _api.Admin();

        using var first = await author.DeleteAsync($"/api/posts/{post.Id}");
        using var retried = await author.DeleteAsync($"/api/posts/{post.Id}");
        using var other = await admin.DeleteAsync($"/api/posts/{post.Id}");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, retried.StatusCode);
        // The replay changed nothing: it names the post, so the gateways do not purge everything for it.
        Assert.Equal($"post:{post.Id} post:{post.Id}:comments", retried.Headers.GetValues("Surrogate-Key-Purge").Single());
        await ProblemAssert.IsProblemAsync(other, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, await _api.StatusOfAsync($"/api/posts/{post.Id}"));
        using var never = await author.DeleteAsync("/api/posts/999999999998");
        await ProblemAssert.IsProblemAsync(never, HttpStatusCode.NotFound);
    }

    private async Task<HttpResponseMessage> PostAsync(long userId, string key, object body, string path = "/api/posts")
    {
        using var client = _api.As(userId);
        using var request = Keyed(HttpMethod.Post, path, key, body);
        return await client.SendAsync(request);
    }

    private static HttpRequestMessage Keyed(HttpMethod method, string path, string key, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    /// <summary>A transaction holding the lock every post insert needs, released on dispose.</summary>
    private async Task<IAsyncDisposable> LockPostsAsync()
    {
        // Unpooled: closing must end the session, and with it the transaction and its lock.
        DbConnection connection = factory.Engine == DatabaseEngine.Postgres
            ? new NpgsqlConnection(new NpgsqlConnectionStringBuilder(factory.Database.ConnectionString) { Pooling = false }.ToString())
            : new SqliteConnection(new SqliteConnectionStringBuilder(factory.Database.ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = factory.Engine == DatabaseEngine.Postgres
            ? "BEGIN; LOCK TABLE posts IN EXCLUSIVE MODE;"
            : "BEGIN IMMEDIATE;";
        await command.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task ExpireRecordsOfAsync(long userId)
    {
        var database = factory.Services.GetRequiredService<IDatabase>();
        await using var connection = await database.OpenWriteAsync();
        await connection.ExecuteAsync("UPDATE idempotency_records SET expires_at = 0 WHERE caller = @Caller", new { Caller = Caller(userId) });
    }

    private async Task<long> CountRecordsOfAsync(long userId)
    {
        var database = factory.Services.GetRequiredService<IDatabase>();
        await using var connection = await database.OpenWriteAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_records WHERE caller = @Caller", new { Caller = Caller(userId) });
    }

    private static string Caller(long userId) => userId.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public sealed class SqliteIdempotencyTests(SqliteFixture fixture) : IdempotencyTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresIdempotencyTests(PostgresFixture fixture) : IdempotencyTests(TestDatabase.RequirePostgres(fixture)), IClassFixture<PostgresFixture>;
