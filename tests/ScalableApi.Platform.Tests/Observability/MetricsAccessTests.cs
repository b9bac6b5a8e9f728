using Microsoft.Extensions.Options;

namespace ScalableApi.Platform.Tests.Observability;

/// <summary>/metrics is served where Platform:Metrics says: a management port, or the main port for allowed networks.</summary>
public sealed class MetricsAccessTests
{
    [Fact]
    public async Task Loopback_clients_read_metrics_on_the_main_port_by_default()
    {
        await using var app = await ProbeApp.StartAsync(kestrel: true);
        using var client = app.CreateClient();
        (await client.GetAsync("/probe/items/7")).Dispose();

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_request_duration_seconds", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_outside_the_allowed_networks_gets_404_problem()
    {
        await using var app = await ProbeApp.StartAsync(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Platform:Metrics:AllowedNetworks:0"] = "10.0.0.0/8",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/metrics");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.DoesNotContain("http_request_duration_seconds", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_management_port_metrics_are_served_there_and_404_on_the_main_port()
    {
        var port = LoopbackPorts.Free();
        await using var app = await ProbeApp.StartAsync(kestrel: true, settings: new Dictionary<string, string?>
        {
            ["Platform:Metrics:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var main = app.CreateClient();
        using var management = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        (await main.GetAsync("/probe/items/7")).Dispose();

        using var onMain = await main.GetAsync("/metrics");
        await ProblemAssert.IsProblemAsync(onMain, HttpStatusCode.NotFound);

        using var onManagement = await management.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode);
        Assert.Contains("route=\"/probe/items/{id:long}\"", await onManagement.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The management port is for scrapers and probes: health answers there, the API does not.
        using var health = await management.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var api = await management.GetAsync("/probe/items/7");
        await ProblemAssert.IsProblemAsync(api, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("Platform:Metrics:Port", "70000", "Platform:Metrics:Port")]
    [InlineData("Platform:Metrics:Port", "-1", "Platform:Metrics:Port")]
    [InlineData("Platform:Metrics:AllowedNetworks:0", "10.0.0.0", "Platform:Metrics:AllowedNetworks:0")]
    [InlineData("Platform:Metrics:AllowedNetworks:0", "loopback", "Platform:Metrics:AllowedNetworks:0")]
    public async Task A_bad_port_or_network_stops_start_up_naming_the_key(string key, string value, string named)
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?> { [key] = value });
        });

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_that_is_not_a_number_stops_start_up_naming_the_key()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?> { ["Platform:Metrics:Port"] = "metrics" });
        });

        Assert.Contains("Platform:Metrics:Port", failure.Message, StringComparison.Ordinal);
    }
}
