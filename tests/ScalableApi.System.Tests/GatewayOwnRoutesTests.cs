using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>SPEC §2, the gateway's own routes, and how it spreads traffic (SPEC §3, load balancing).</summary>
public sealed class GatewayOwnRoutesTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task The_overview_combines_a_user_with_their_latest_posts_and_comments()
    {
        var user = await Client.NewUserAsync();
        using var post = await Client.SendAsync(HttpMethod.Post, "/api/posts", user.AccessToken, new { title = "Overview", body = "post" });
        var postId = (await post.JsonAsync()).GetProperty("id").GetInt64();
        using var comment = await Client.SendAsync(HttpMethod.Post, Path($"/api/posts/{postId}/comments"), user.AccessToken, new { body = "comment" });
        await comment.ExpectAsync(HttpStatusCode.Created);

        using var overview = await Client.SendAsync(HttpMethod.Get, Path($"/api/users/{user.Id}/overview"));
        await overview.ExpectAsync(HttpStatusCode.OK);
        var body = await overview.JsonAsync();
        Assert.Equal(user.Id, body.GetProperty("user").GetProperty("id").GetInt64());
        Assert.Single(body.GetProperty("posts").EnumerateArray());
        Assert.Single(body.GetProperty("comments").EnumerateArray());
        Assert.True(!body.TryGetProperty("degraded", out var degraded) || degraded.ValueKind == JsonValueKind.Null, $"degraded with everything up: {body}");

        using var missing = await Client.SendAsync(HttpMethod.Get, "/api/users/987654321987/overview");
        await missing.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_gateway_answers_its_own_readiness_and_metrics()
    {
        using var ready = await Client.SendAsync(HttpMethod.Get, "/health/ready");
        await ready.ExpectAsync(HttpStatusCode.OK);

        using var metrics = await Client.SendAsync(HttpMethod.Get, "/metrics");
        await metrics.ExpectAsync(HttpStatusCode.OK);
        var text = await metrics.Content.ReadAsStringAsync();
        Assert.Contains("gateway_upstream_requests_total", text, StringComparison.Ordinal);
        Assert.Contains("gateway_upstream_healthy", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_of_products_are_spread_over_both_catalog_replicas()
    {
        var admin = await Client.AdminAsync();
        var id = await Client.CreateProductAsync(admin);
        var replicas = Topology.ReplicasOf(SystemTopology.Catalog);
        Assert.Equal(2, replicas.Count);
        var destinations = new List<string>();
        foreach (var replica in replicas)
        {
            destinations.Add(await Topology.DestinationIdAsync(replica) ?? throw new InvalidOperationException($"the gateway does not know {replica}"));
        }

        var before = await Topology.MetricsAsync();

        // Each read its own URL: the same URL twice is answered by the gateway's edge cache, never by a replica.
        for (var i = 0; i < 100; i++)
        {
            using var response = await Client.SendAsync(HttpMethod.Get, Path($"/api/products/{id}?read={i}"));
            await response.ExpectAsync(HttpStatusCode.OK);
        }

        var after = await Topology.MetricsAsync();
        foreach (var destination in destinations)
        {
            var served = after.UpstreamRequests(SystemTopology.Catalog, destination) - before.UpstreamRequests(SystemTopology.Catalog, destination);
            Assert.True(served > 0, $"catalog destination {destination} served no 2xx of 100 GETs.{Environment.NewLine}{after.Text}");
        }
    }
}
