namespace ScalableApi.Platform.Tests.Health;

public sealed class HealthEndpointTests(ProbeAppFixture fixture) : IClassFixture<ProbeAppFixture>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_reports_status_uptime_timestamp_checks_and_memory(string path)
    {
        using var client = fixture.App.CreateClient();
        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.True(root.GetProperty("uptime").GetDouble() >= 0);
        Assert.EndsWith("Z", root.GetProperty("timestamp").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("memory").GetProperty("workingSetBytes").GetInt64() > 0);
        var checks = root.GetProperty("checks");
        if (path == "/health/ready")
        {
            Assert.Equal("healthy", checks.GetProperty("database").GetProperty("status").GetString());
        }
        else
        {
            Assert.Empty(checks.EnumerateObject());
        }
    }

    [Fact]
    public async Task Ready_is_503_when_the_redis_store_is_unreachable_and_live_stays_200()
    {
        // Port 1 on loopback refuses connections: a store that is down.
        await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = "127.0.0.1:1,connectTimeout=200,syncTimeout=200,asyncTimeout=200",
        });
        using var client = app.CreateClient();

        using var ready = await client.GetAsync("/health/ready");
        using var live = await client.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var body = await ready.Content.ReadAsStringAsync();
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("unhealthy", root.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("healthy", root.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
