using ScalableApi.Gateway.Dashboard;

namespace ScalableApi.Gateway.Tests.Dashboard;

/// <summary>The dashboard's scrape of the services' <c>/metrics</c>: real replicas on loopback, bounded in time and size.</summary>
public sealed class ServiceMetricsScraperTests
{
    private const string ReplicaMetrics = """
        # HELP cache_requests_total Cache lookups by cache, level and result.
        # TYPE cache_requests_total counter
        cache_requests_total{cache="products",level="memory",result="hit"} 30
        cache_requests_total{cache="products",level="memory",result="miss"} 10
        cache_requests_total{cache="products",level="distributed",result="hit"} 6
        cache_requests_total{cache="products",level="distributed",result="miss"} 4
        cache_requests_total{cache="products",level="overall",result="hit"} 34
        cache_requests_total{cache="products",level="overall",result="stale_hit"} 2
        cache_requests_total{cache="products",level="overall",result="miss"} 4
        # TYPE jobs_queued gauge
        jobs_queued 7
        jobs_running 2
        jobs_dead 1
        """;

    [Fact]
    public async Task Replicas_metrics_feed_the_snapshot_and_bad_text_too_large_and_slow_replicas_are_left_out()
    {
        await using var good = await UpstreamServer.StartAsync("good", app => app.MapGet("/metrics", () => Results.Text(ReplicaMetrics)));

        // Same service, same job table: its jobs are not counted twice. Its broken lines are skipped, not thrown on.
        await using var noisy = await UpstreamServer.StartAsync("noisy", app => app.MapGet("/metrics", () => Results.Text(
            ReplicaMetrics + "\ncache_requests_total{level=\"memory\",result=\"hit\" 999\njobs_queued not-a-number\n{}\njobs_dead NaN\n")));
        await using var huge = await UpstreamServer.StartAsync("huge", app => app.MapGet("/metrics", () => Results.Text(
            ReplicaMetrics + new string('#', 8192))));
        await using var slow = await UpstreamServer.StartAsync("slow", app => app.MapGet("/metrics", async (HttpContext context) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            return Results.Text(ReplicaMetrics);
        }));
        await using var gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:Destinations:d0:Address"] = good.Address,
            ["ReverseProxy:Clusters:catalog:Destinations:d1:Address"] = noisy.Address,
            ["ReverseProxy:Clusters:catalog:Destinations:d2:Address"] = huge.Address,
            ["ReverseProxy:Clusters:catalog:Destinations:d3:Address"] = slow.Address,
            ["Gateway:Dashboard:ScrapeInterval"] = "00:05:00",
            ["Gateway:Dashboard:ScrapeTimeout"] = "00:00:00.300",
            ["Gateway:Dashboard:MaxMetricsBytes"] = "4096",
        });
        _ = gateway.Server;
        var scraper = gateway.Services.GetRequiredService<ServiceMetricsScraper>();

        await scraper.ScrapeOnceAsync(CancellationToken.None);
        var snapshot = gateway.Services.GetRequiredService<DashboardSnapshots>().Build();

        var errors = snapshot.Scrapes.ToDictionary(s => s.Destination, s => s.Error);
        Assert.Null(errors["d0"]);
        Assert.Null(errors["d1"]);
        Assert.Equal("too large", errors["d2"]);
        Assert.Equal("timed out", errors["d3"]);

        // Two replicas' counters summed per level: hits (and stale hits) over all lookups.
        var levels = snapshot.Caches.Services.ToDictionary(l => l.Level);
        Assert.Equal(0.75, levels["memory"].HitRatio);
        Assert.Equal(80, levels["memory"].Lookups);
        Assert.Equal(0.6, levels["distributed"].HitRatio);
        Assert.Equal(0.9, levels["overall"].HitRatio);
        Assert.Equal(new JobsView(7, 2, 1), snapshot.Jobs);
        Assert.DoesNotContain(snapshot.NotCollected, n => n.Contains("job queue", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_job_queue_or_any_lookups_the_snapshot_says_so()
    {
        await using var replica = await UpstreamServer.StartAsync("plain", app => app.MapGet("/metrics", () => Results.Text("process_working_set_bytes 1e+08\n")));
        await using var gateway = GatewayFactory.WithCatalog("RoundRobin", replica.Address);
        _ = gateway.Server;

        await gateway.Services.GetRequiredService<ServiceMetricsScraper>().ScrapeOnceAsync(CancellationToken.None);
        var snapshot = gateway.Services.GetRequiredService<DashboardSnapshots>().Build();

        Assert.Null(snapshot.Jobs);
        Assert.Contains(snapshot.NotCollected, n => n.Contains("job queue", StringComparison.Ordinal));
        Assert.All(snapshot.Caches.Services, l => Assert.Null(l.HitRatio));
        Assert.Null(snapshot.Caches.Edge.HitRatio);
    }

    [Theory]
    [InlineData("http://catalog-1:8080/", 9090, "http://catalog-1:9090/metrics")]
    [InlineData("https://10.0.0.7:8443/api/", 9090, "http://10.0.0.7:9090/metrics")]
    [InlineData("http://127.0.0.1:5001", 0, "http://127.0.0.1:5001/metrics")]
    public void The_management_port_replaces_the_destination_port(string address, int port, string expected) =>
        Assert.Equal(expected, ServiceMetricsScraper.MetricsUrl(address, port)?.ToString());

    [Fact]
    public void Only_the_wanted_series_and_labels_are_summed()
    {
        var sums = ScalableApi.Gateway.Dashboard.PrometheusText.Sum(
            "x{level=\"memory\"} 1\nx{sublevel=\"memory\"} 5\nx{a=\"b\",level=\"memory\"} 2 1700000000\ny 3\n# x 9\nx{level=\"memory\"} +Inf\n",
            [new SeriesFilter("m", "x", "level=\"memory\""), new SeriesFilter("all", "x")]);

        Assert.Equal(3, sums["m"]);
        Assert.Equal(8, sums["all"]);
        Assert.False(sums.ContainsKey("y"));
    }
}
