namespace ScalableApi.Gateway.Tests.Observability;

/// <summary>The gateway's /metrics is public-facing: loopback only by default, and no exception type names.</summary>
public sealed partial class GatewayMetricsAccessTests
{
    [Fact]
    public async Task Metrics_answer_loopback_and_404_problem_for_a_client_from_elsewhere()
    {
        await using var gateway = GatewayFactory.WithCatalog("RoundRobin", UpstreamServer.DeadAddress());
        using var outsider = gateway.CreateClient();
        outsider.DefaultRequestHeaders.Add(TestClientIp.Header, "203.0.113.7");
        using var local = gateway.CreateClient();
        local.DefaultRequestHeaders.Add(TestClientIp.Header, "127.0.0.1");

        using var denied = await outsider.GetAsync("/metrics");
        using var allowed = await local.GetAsync("/metrics");

        await ProblemAssert.IsProblemAsync(denied, HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Contains("gateway_upstream_healthy{", await allowed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_upstream_connection_leaves_no_exception_type_on_metrics()
    {
        await using var gateway = GatewayFactory.WithCatalog("RoundRobin", UpstreamServer.DeadAddress());
        using var client = gateway.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync($"/api/products/{i}");
            Assert.True((int)response.StatusCode >= 500, $"a dead destination answered {response.StatusCode}");
        }

        var metrics = await MetricsPage.ScrapeAsync(client);

        metrics.AssertContains("gateway_upstream_requests_total{cluster=\"catalog\",destination=\"d0\",status_class=\"error\"}");
        metrics.AssertDoesNotContain("System.");
        Assert.Empty(TypeNameLabel().Matches(metrics.Text).Select(m => m.Value));
    }

    // A label value naming a .NET type: dotted and capitalised (System.X, Yarp.Y) or ending in Exception.
    [GeneratedRegex(@"=""([^""]*Exception|[A-Z][A-Za-z]+\.[A-Z][A-Za-z.]+)""")]
    private static partial Regex TypeNameLabel();
}
