namespace ScalableApi.Platform.Tests.Observability;

/// <summary>What /metrics carries: this host's series only, and no exception type names.</summary>
public sealed partial class MetricsContentTests
{
    [Fact]
    public async Task Two_hosts_in_one_process_each_show_only_their_own_requests()
    {
        await using var a = await ProbeApp.StartAsync();
        await using var b = await ProbeApp.StartAsync();
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            (await clientA.GetAsync($"/probe/items/{i}")).Dispose();
        }

        var metricsA = await clientA.GetStringAsync("/metrics");
        var metricsB = await clientB.GetStringAsync("/metrics");

        Assert.Equal(3, PrometheusText.Value(metricsA, "http_request_duration_seconds_count{method=\"GET\",route=\"/probe/items/{id:long}\",status=\"200\"}"));
        Assert.DoesNotContain("route=\"/probe/items/{id:long}\"", metricsB, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_exception_type_name_appears_after_a_handler_throws_and_a_client_hangs_up()
    {
        await using var app = await ProbeApp.StartAsync(kestrel: true);
        using var client = app.CreateClient();
        using (var boom = await client.GetAsync("/probe/boom"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
        }

        // A client that gives up while the endpoint waits (the endpoint finishes after it left).
        using (var abandon = new CancellationTokenSource())
        {
            var request = client.GetAsync("/probe/slow", abandon.Token);
            await Eventually.HoldsAsync(() => Task.FromResult(app.Gate.Waiting == 1), "the request is held at the gate");
            await abandon.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.WaitAsync(TimeSpan.FromSeconds(10)));
            // Kestrel sees the closed connection a moment later; opened before that, the endpoint would answer 200.
            await Eventually.HoldsAsync(() => Task.FromResult(app.Gate.Aborted == 1), "the server saw the client leave");
            app.Gate.Open();
        }

        await Eventually.HoldsAsync(
            async () => (await client.GetStringAsync("/metrics")).Contains("route=\"/probe/slow\",status=\"499\"", StringComparison.Ordinal),
            "the abandoned request recorded as 499");
        var metrics = await MetricsPage.ScrapeAsync(client);

        metrics.AssertDoesNotContain("System.");
        Assert.Empty(TypeNameLabel().Matches(metrics.Text).Select(m => m.Value));
        // Still counted, by what the instrumentation knows rather than by type.
        Assert.True(metrics.Value("system_runtime_dotnet_exceptions{error_type=\"_OTHER\"}") > 0, "exceptions are still counted");
        metrics.AssertContains("aspnetcore_diagnostics_exceptions{");
    }

    // A label value naming a .NET type: dotted and capitalised (System.X, Microsoft.Y) or ending in Exception.
    [GeneratedRegex(@"=""([^""]*Exception|[A-Z][A-Za-z]+\.[A-Z][A-Za-z.]+)""")]
    private static partial Regex TypeNameLabel();
}
