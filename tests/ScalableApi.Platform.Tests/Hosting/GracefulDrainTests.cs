namespace ScalableApi.Platform.Tests.Hosting;

public sealed class GracefulDrainTests
{
    [Fact]
    public async Task On_stop_readiness_turns_503_while_requests_are_still_served()
    {
        await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?> { ["Platform:DrainDelay"] = "00:00:08" });
        using var client = app.CreateClient();
        using (var before = await client.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        var stopping = app.StopAsync();

        using var ready = await client.GetAsync("/health/ready");
        using var work = await client.GetAsync("/probe/items/1");
        using var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("shutting down", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, work.StatusCode);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        await stopping;
    }
}
