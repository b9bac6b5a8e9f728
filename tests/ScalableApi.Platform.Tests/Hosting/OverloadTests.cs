using ScalableApi.Platform.Hosting;

namespace ScalableApi.Platform.Tests.Hosting;

/// <summary>Past its concurrency limit and queue a replica answers 503 at once, still reports, and recovers.</summary>
public sealed class OverloadTests
{
    private const int Deadline = 30;

    [Fact]
    public async Task Saturated_replica_answers_503_with_retry_after_then_recovers()
    {
        await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Platform:Overload:MaxConcurrentRequests"] = "2",
            ["Platform:Overload:QueueLimit"] = "1",
            ["Platform:Overload:QueueTimeout"] = "00:01:00",
        });
        using var client = app.CreateClient();

        // Two requests hold both slots, a third waits in the queue.
        var held = Enumerable.Range(0, 3).Select(_ => client.GetAsync("/probe/slow")).ToList();
        await Eventually.HoldsAsync(() => Task.FromResult(app.Gate.Waiting == 2), "two requests hold both slots", Deadline);
        var metrics = "";
        await Eventually.HoldsAsync(
            async () => (metrics = await client.GetStringAsync("/metrics")).Split('\n').Any(l => l.StartsWith("http_concurrency_queue_length 1", StringComparison.Ordinal)),
            "'http_concurrency_queue_length 1' on /metrics",
            Deadline);

        // Everything beyond is refused at once: a problem with Retry-After, not a timeout.
        for (var i = 0; i < 3; i++)
        {
            using var rejected = await client.GetAsync("/probe/slow");
            var problem = await ProblemAssert.IsProblemAsync(rejected, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(1), rejected.Headers.RetryAfter?.Delta);
            Assert.Equal("1", rejected.Headers.GetValues(OverloadProtection.MarkerHeader).Single());
            Assert.Equal(503, problem.GetProperty("status").GetInt32());
        }

        // Health and metrics are exempt, so the overloaded replica still reports.
        using (var live = await client.GetAsync("/health/live"))
        {
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        Assert.Contains("http_concurrency_rejections_total", metrics, StringComparison.Ordinal);
        var rejectionsBefore = PrometheusText.Value(metrics, "http_concurrency_rejections_total");
        Assert.True(await MetricsPage.ValueAsync(client, "http_concurrency_rejections_total") >= rejectionsBefore + 3);

        // Load stops: the held and queued requests complete, and new ones succeed.
        app.Gate.Open();
        foreach (var response in await Task.WhenAll(held))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            response.Dispose();
        }

        for (var i = 0; i < 5; i++)
        {
            using var ok = await client.GetAsync("/probe/slow");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
    }
}
