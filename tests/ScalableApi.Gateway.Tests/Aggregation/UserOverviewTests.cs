namespace ScalableApi.Gateway.Tests.Aggregation;

/// <summary>The overview joins two services in parallel and degrades instead of failing when content is down.</summary>
public sealed class UserOverviewTests
{
    [Fact]
    public async Task Overview_has_user_latest_posts_and_comments()
    {
        var (status, _, root) = await GetOverviewAsync(7, app => MapContent(app, barrier: null));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Ada", root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("post of 7", root.GetProperty("posts")[0].GetProperty("title").GetString());
        Assert.Equal("comment of 7", root.GetProperty("comments")[0].GetProperty("body").GetString());
        Assert.False(root.TryGetProperty("degraded", out var degraded) && degraded.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task The_three_calls_run_in_parallel()
    {
        // Each upstream handler waits until all three requests have arrived: run one after another, they would
        // time out and the page would come back degraded.
        using var barrier = new Barrier(3);
        var (status, _, root) = await GetOverviewAsync(7, app => MapContent(app, barrier), barrier, TimeSpan.FromSeconds(20));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, root.GetProperty("posts").GetArrayLength());
        Assert.Equal(1, root.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_user_is_404_problem()
    {
        var (status, mediaType, _) = await GetOverviewAsync(404, app => MapContent(app, barrier: null));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("application/problem+json", mediaType);
    }

    [Fact]
    public async Task Content_down_gives_200_with_the_user_and_degraded_parts()
    {
        var (status, _, root) = await GetOverviewAsync(7, content: null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Ada", root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(0, root.GetProperty("posts").GetArrayLength());
        Assert.Equal(["posts", "comments"], root.GetProperty("degraded").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Content_slower_than_the_timeout_is_degraded_not_waited_for()
    {
        var (status, _, root) = await GetOverviewAsync(
            7,
            app => app.MapGet("/api/users/{id}/{part}", async (CancellationToken aborted) =>
            {
                await Task.Delay(Timeout.Infinite, aborted);
                return Results.Ok();
            }),
            timeout: TimeSpan.FromSeconds(3));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, root.GetProperty("degraded").GetArrayLength());
    }

    /// <summary>
    /// Starts a users service, a content service mapped by <paramref name="content"/> (none when null: content is
    /// down) and the gateway in front, and GETs user <paramref name="userId"/>'s overview through it.
    /// </summary>
    private static async Task<(HttpStatusCode Status, string? MediaType, JsonElement Body)> GetOverviewAsync(
        long userId,
        Action<WebApplication>? content,
        Barrier? barrier = null,
        TimeSpan? timeout = null)
    {
        await using var users = await UpstreamServer.StartAsync("users", app => MapUsers(app, barrier));
        await using var contentServer = content is null ? null : await UpstreamServer.StartAsync("content", content);
        await using var gateway = GatewayFactory.WithUsersAndContent(users.Address, contentServer?.Address ?? UpstreamServer.DeadAddress(), timeout);
        using var client = gateway.CreateClient();
        using var response = await client.GetAsync($"/api/users/{userId}/overview");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType, body.RootElement.Clone());
    }

    private static void MapUsers(WebApplication app, Barrier? barrier) =>
        app.MapGet("/api/users/{id:long}", (long id) =>
        {
            barrier?.SignalAndWait(TimeSpan.FromSeconds(10));
            return id == 404 ? Results.NotFound() : Results.Json(new { id, name = "Ada", createdAt = "2026-01-01T00:00:00Z" });
        });

    private static void MapContent(WebApplication app, Barrier? barrier)
    {
        app.MapGet("/api/users/{id:long}/posts", (long id) =>
        {
            barrier?.SignalAndWait(TimeSpan.FromSeconds(10));
            return Results.Json(new { items = new[] { new { id = 1, title = $"post of {id}" } }, nextCursor = (string?)null });
        });
        app.MapGet("/api/users/{id:long}/comments", (long id) =>
        {
            barrier?.SignalAndWait(TimeSpan.FromSeconds(10));
            return Results.Json(new { items = new[] { new { id = 2, body = $"comment of {id}" } }, nextCursor = (string?)null });
        });
    }
}
