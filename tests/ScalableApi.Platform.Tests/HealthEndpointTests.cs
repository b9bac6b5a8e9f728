using System.Net;
using System.Text.Json;

namespace ScalableApi.Platform.Tests;

public sealed class HealthEndpointTests(PlatformHost host) : IClassFixture<PlatformHost>
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_report_status_uptime_timestamp_checks_and_memory(string path)
    {
        using var client = host.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal("healthy", root.GetProperty("status").GetString());
        Assert.True(root.GetProperty("uptime").GetDouble() >= 0);
        Assert.EndsWith("Z", root.GetProperty("timestamp").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("memory").GetProperty("workingSetBytes").GetInt64() > 0);
        var checks = root.GetProperty("checks");
        if (path == "/health/ready")
        {
            Assert.Equal("healthy", checks.GetProperty("database").GetProperty("status").GetString());
        }
    }
}
