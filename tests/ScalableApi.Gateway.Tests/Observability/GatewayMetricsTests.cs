
namespace ScalableApi.Gateway.Tests.Observability;

public sealed class GatewayMetricsTests
{
    [Fact]
    public async Task Metrics_show_requests_per_destination_health_and_retries()
    {
        await using var live = await UpstreamServer.StartAsync("live");
        await using var gateway = GatewayFactory.WithCatalog("RoundRobin", live.Address, UpstreamServer.DeadAddress());
        using var client = gateway.CreateClient();
        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync($"/api/products/{i}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        (await MetricsPage.ScrapeAsync(client)).AssertContains(
            "gateway_upstream_requests_total{cluster=\"catalog\",destination=\"d0\",status_class=\"2xx\"}",
            "gateway_upstream_requests_total{cluster=\"catalog\",destination=\"d1\",status_class=\"error\"}",
            "gateway_upstream_healthy{cluster=\"catalog\",destination=\"d0\"} 1",
            "gateway_upstream_retries_total{cluster=\"catalog\"}",
            "gateway_upstream_duration_seconds_bucket{cluster=\"catalog\"");
    }
}
