using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>Issue 3, acceptance 1 and 8: the overview keeps answering when the content service is down.</summary>
[Collection(ChangingTopology.Name)]
public sealed class OverviewDegradedTests(SystemTopology topology)
{
    [Fact]
    public async Task With_every_content_replica_stopped_the_overview_is_the_user_marked_degraded()
    {
        var client = topology.GatewayClient;
        var user = await client.NewUserAsync();
        using var post = await client.SendAsync(HttpMethod.Post, "/api/posts", user.AccessToken, new { title = "Soon unavailable", body = "post" });
        await post.ExpectAsync(HttpStatusCode.Created);

        await Task.WhenAll(topology.ReplicasOf(SystemTopology.Content).Select(topology.StopReplicaGracefullyAsync));

        using var overview = await client.SendAsync(HttpMethod.Get, Path($"/api/users/{user.Id}/overview"));
        await overview.ExpectAsync(HttpStatusCode.OK);
        var body = await overview.JsonAsync();
        Assert.Equal(user.Id, body.GetProperty("user").GetProperty("id").GetInt64());
        Assert.Equal(["posts", "comments"], body.GetProperty("degraded").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(body.GetProperty("posts").EnumerateArray());
        Assert.Empty(body.GetProperty("comments").EnumerateArray());
    }
}
