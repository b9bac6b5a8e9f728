using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>SPEC §2, the gateway's own routes, and how it spreads traffic (SPEC §3, load balancing).</summary>
[Collection(SharedTopology.Name)]
public sealed class GatewayOwnRoutesTests(SystemTopology topology)
{
    private readonly HttpClient _client = topology.GatewayClient;

    [Fact]
    public async Task The_overview_combines_a_user_with_their_latest_posts_and_comments()
    {
        var user = await _client.NewUserAsync();
        using var post = await _client.SendAsync(HttpMethod.Post, "/api/posts", user.AccessToken, new { title = "Overview", body = "post" });
        var postId = (await post.JsonAsync()).GetProperty("id").GetInt64();
        using var comment = await _client.SendAsync(HttpMethod.Post, Path($"/api/posts/{postId}/comments"), user.AccessToken, new { body = "comment" });
        await comment.ExpectAsync(HttpStatusCode.Created);

        using var overview = await _client.SendAsync(HttpMethod.Get, Path($"/api/users/{user.Id}/overview"));
        await overview.ExpectAsync(HttpStatusCode.OK);
        var body = await overview.JsonAsync();
        Assert.Equal(user.Id, body.GetProperty("user").GetProperty("id").GetInt64());
        Assert.Single(body.GetProperty("posts").EnumerateArray());
        Assert.Single(body.GetProperty("comments").EnumerateArray());
        Assert.True(!body.TryGetProperty("degraded", out var degraded) || degraded.ValueKind == JsonValueKind.Null, $"degraded with everything up: {body}");

        using var missing = await _client.SendAsync(HttpMethod.Get, "/api/users/987654321987/overview");
        await missing.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_gateway_answers_its_own_readiness_and_metrics()
    {
        using var ready = await _client.SendAsync(HttpMethod.Get, "/health/ready");
        await ready.ExpectAsync(HttpStatusCode.OK);

        using var metrics = await _client.SendAsync(HttpMethod.Get, "/metrics");
        await metrics.ExpectAsync(HttpStatusCode.OK);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("gateway_upstream_requests_total", text, StringComparison.Ordinal);
        Assert.Contains("gateway_upstream_healthy", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_of_products_are_spread_over_both_catalog_replicas()
    {
        var admin = await _client.AdminAsync();
        var id = await _client.CreateProductAsync(admin);
        var replicas = topology.ReplicasOf(SystemTopology.Catalog);
        Assert.Equal(2, replicas.Count);
        var destinations = new List<string>();
        foreach (var replica in replicas)
        {
            destinations.Add(await topology.DestinationIdAsync(replica) ?? throw new InvalidOperationException($"the gateway does not know {replica}"));
        }

        var before = await topology.MetricsAsync();

        // Each read its own URL: the same URL twice is answered by the gateway's edge cache, never by a replica.
        for (var i = 0; i < 100; i++)
        {
            using var response = await _client.SendAsync(HttpMethod.Get, Path($"/api/products/{id}?read={i}"));
            await response.ExpectAsync(HttpStatusCode.OK);
        }

        var after = await topology.MetricsAsync();
        foreach (var destination in destinations)
        {
            var served = after.UpstreamRequests(SystemTopology.Catalog, destination) - before.UpstreamRequests(SystemTopology.Catalog, destination);
            Assert.True(served > 0, $"catalog destination {destination} served no 2xx of 100 GETs.{Environment.NewLine}{after.Text}");
        }
    }
}
