namespace ScalableApi.Gateway.Tests.Aggregation;

/// <summary>The overview joins two services in parallel and degrades instead of failing when content is down.</summary>
public sealed class UserOverviewTests
{
    [Fact]
    public async Task Overview_has_user_latest_posts_and_comments()
    {
        await using var users = await UpstreamServer.StartAsync("users", MapUsers);
        await using var content = await UpstreamServer.StartAsync("content", app => MapContent(app, barrier: null));
        await using var gateway = GatewayFactory.WithUsersAndContent(users.Address, content.Address);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/users/7/overview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
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
        await using var users = await UpstreamServer.StartAsync("users", app => MapUsers(app, barrier));
        await using var content = await UpstreamServer.StartAsync("content", app => MapContent(app, barrier));
        await using var gateway = GatewayFactory.WithUsersAndContent(users.Address, content.Address, TimeSpan.FromSeconds(20));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/users/7/overview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, root.GetProperty("posts").GetArrayLength());
        Assert.Equal(1, root.GetProperty("comments").GetArrayLength());
    }

    [Fact]
    public async Task Unknown_user_is_404_problem()
    {
        await using var users = await UpstreamServer.StartAsync("users", MapUsers);
        await using var content = await UpstreamServer.StartAsync("content", app => MapContent(app, barrier: null));
        await using var gateway = GatewayFactory.WithUsersAndContent(users.Address, content.Address);
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/users/404/overview");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Content_down_gives_200_with_the_user_and_degraded_parts()
    {
        await using var users = await UpstreamServer.StartAsync("users", MapUsers);
        await using var gateway = GatewayFactory.WithUsersAndContent(users.Address, UpstreamServer.DeadAddress());
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/users/7/overview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Ada", root.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal(0, root.GetProperty("posts").GetArrayLength());
        Assert.Equal(["posts", "comments"], root.GetProperty("degraded").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Content_slower_than_the_timeout_is_degraded_not_waited_for()
    {
        using var never = new CancellationTokenSource();
        await using var users = await UpstreamServer.StartAsync("users", MapUsers);
        await using var content = await UpstreamServer.StartAsync("content", app =>
            app.MapGet("/api/users/{id}/{part}", async (CancellationToken aborted) =>
            {
                await Task.Delay(Timeout.Infinite, aborted);
                return Results.Ok();
            }));
        await using var gateway = GatewayFactory.WithUsersAndContent(users.Address, content.Address, TimeSpan.FromSeconds(3));
        using var client = gateway.CreateClient();

        using var response = await client.GetAsync("/api/users/7/overview");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(2, root.GetProperty("degraded").GetArrayLength());
    }

    private static void MapUsers(WebApplication app) => MapUsers(app, barrier: null);

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
