using ScalableApi.Gateway.EdgeCache;
using Yarp.ReverseProxy;

namespace ScalableApi.Gateway.Dashboard;

/// <summary>What the page shows, once a second: the proxy's destinations, the last minute of traffic, the process.</summary>
internal sealed record DashboardSnapshot(
    DateTimeOffset Time,
    IReadOnlyList<ClusterView> Clusters,
    TrafficView Traffic,
    IReadOnlyList<RouteView> Routes,
    ProcessView Process,
    CachesView Caches,
    JobsView? Jobs,
    IReadOnlyList<ScrapeView> Scrapes,
    IReadOnlyList<string> NotCollected);

/// <summary>Hit ratios since start-up (0..1, null without lookups): the gateway's edge cache and the services' levels.</summary>
internal sealed record CachesView(EdgeCacheView Edge, IReadOnlyList<CacheLevelView> Services);

internal sealed record EdgeCacheView(long Hits, long Misses, long Stale, long Bypasses, double? HitRatio, long Bytes);

/// <param name="Level">memory (L1), distributed (L2 Redis) or overall (what the caller got).</param>
internal sealed record CacheLevelView(string Level, double Hits, double Lookups, double? HitRatio);

/// <summary>The job queue across the services that export it (each replica reports its service's table: counted once).</summary>
internal sealed record JobsView(double Queued, double Running, double Dead);

internal sealed record ScrapeView(string Cluster, string Destination, DateTimeOffset At, string? Error);

internal sealed record ClusterView(string Id, string? Policy, int Healthy, IReadOnlyList<DestinationView> Destinations);

/// <param name="Active">Active health check result (<c>Unknown</c>, <c>Healthy</c>, <c>Unhealthy</c>).</param>
/// <param name="Passive">Passive health: <c>Unhealthy</c> while ejected after failures.</param>
/// <param name="Healthy">The proxy sends it traffic now.</param>
internal sealed record DestinationView(string Id, string Address, string Active, string Passive, bool Healthy, int InFlight);

/// <summary>Per-second series over the last minute (oldest first; latency in ms, null for a second without requests) and the minute's totals.</summary>
internal sealed record TrafficView(
    long[] Seconds,
    long[] Requests,
    long[] ClientErrors,
    long[] ServerErrors,
    long[] RateLimited,
    long[] Overloaded,
    double?[] P50,
    double?[] P95,
    double?[] P99,
    long MinuteRequests,
    double? MinuteP50,
    double? MinuteP95,
    double? MinuteP99);

internal sealed record RouteView(string Route, long Requests, long ServerErrors, double? P95);

internal sealed record ProcessView(
    long WorkingSetBytes, long ManagedHeapBytes, int Gen0Collections, int Gen1Collections, int Gen2Collections,
    double GcPauseSeconds, int ThreadPoolThreads, long ThreadPoolQueueLength, int ProcessorCount, double UptimeSeconds);

/// <summary>Builds a <see cref="DashboardSnapshot"/> from the proxy's live state, the recorder and the runtime.</summary>
internal sealed class DashboardSnapshots(
    IProxyStateLookup proxyState, TrafficRecorder traffic, ServiceMetricsScraper scraper, EdgeCacheMetrics edgeCache, TimeProvider time)
{
    private const int TopRoutes = 10;

    public DashboardSnapshot Build()
    {
        var seconds = traffic.LastMinute();
        scraper.Watched();
        var scrapes = scraper.Last();
        var jobs = Jobs(scrapes);
        var caches = Caches(scrapes);

        // Said on the page rather than left out, so an operator knows why a panel is empty.
        List<string> notCollected = [];
        if (scrapes.Count == 0)
        {
            notCollected.Add("services' /metrics: not scraped yet (scraped while a dashboard is open: the first figures follow in a moment)");
        }
        else if (scrapes.All(s => s.Error is not null))
        {
            notCollected.Add("services' /metrics: every scrape failed (check Gateway:Dashboard:ServiceMetricsPort)");
        }

        if (jobs is null)
        {
            notCollected.Add("job queue depth, running and dead jobs: no service exports jobs_queued");
        }

        return new DashboardSnapshot(
            time.GetUtcNow(), Clusters(), Traffic(seconds), Routes(seconds), Process(), caches, jobs,
            [.. scrapes.Select(s => new ScrapeView(s.Cluster, s.Destination, s.At, s.Error))], notCollected);
    }

    private CachesView Caches(IReadOnlyList<ServiceScrape> scrapes)
    {
        var edge = edgeCache.Totals();
        var edgeLookups = edge.Hits + edge.Misses + edge.Stale;
        var levels = ServiceMetricsScraper.CacheLevels.Select(level =>
        {
            var hits = scrapes.Sum(s => s.Values.GetValueOrDefault(level + ":hit") + s.Values.GetValueOrDefault(level + ":stale_hit"));
            var lookups = scrapes.Sum(s => s.Values.GetValueOrDefault(level + ":all"));
            return new CacheLevelView(level, hits, lookups, lookups > 0 ? hits / lookups : null);
        });
        return new CachesView(
            new EdgeCacheView(edge.Hits, edge.Misses, edge.Stale, edge.Bypasses, edgeLookups > 0 ? (double)(edge.Hits + edge.Stale) / edgeLookups : null, edge.Bytes),
            [.. levels]);
    }

    private static JobsView? Jobs(IReadOnlyList<ServiceScrape> scrapes)
    {
        // Every replica of a service reads the same table: the largest report per cluster, summed over clusters.
        var perCluster = scrapes.Where(s => s.Values.ContainsKey("jobs_queued")).GroupBy(s => s.Cluster, StringComparer.Ordinal).ToList();
        if (perCluster.Count == 0)
        {
            return null;
        }

        return new JobsView(
            perCluster.Sum(c => c.Max(s => s.Values.GetValueOrDefault("jobs_queued"))),
            perCluster.Sum(c => c.Max(s => s.Values.GetValueOrDefault("jobs_running"))),
            perCluster.Sum(c => c.Max(s => s.Values.GetValueOrDefault("jobs_dead"))));
    }

    private List<ClusterView> Clusters() =>
        [.. proxyState.GetClusters().OrderBy(c => c.ClusterId, StringComparer.Ordinal).Select(cluster =>
        {
            var available = cluster.DestinationsState.AvailableDestinations.ToHashSet();
            var destinations = cluster.Destinations.Values
                .OrderBy(d => d.DestinationId, StringComparer.Ordinal)
                .Select(d => new DestinationView(
                    d.DestinationId, d.Model.Config.Address, d.Health.Active.ToString(), d.Health.Passive.ToString(),
                    available.Contains(d), d.ConcurrentRequestCount))
                .ToList();
            return new ClusterView(cluster.ClusterId, cluster.Model.Config.LoadBalancingPolicy, destinations.Count(d => d.Healthy), destinations);
        })];

    private static TrafficView Traffic(IReadOnlyList<SecondView> seconds)
    {
        var minute = new long[TrafficRecorder.BucketsMs.Length + 1];
        foreach (var second in seconds)
        {
            for (var i = 0; i < minute.Length; i++)
            {
                minute[i] += second.Latency[i];
            }
        }

        return new TrafficView(
            [.. seconds.Select(s => s.Second)],
            [.. seconds.Select(s => s.Requests)],
            [.. seconds.Select(s => s.ClientErrors)],
            [.. seconds.Select(s => s.ServerErrors)],
            [.. seconds.Select(s => s.RateLimited)],
            [.. seconds.Select(s => s.Overloaded)],
            [.. seconds.Select(s => TrafficRecorder.Percentile(s.Latency, 0.50))],
            [.. seconds.Select(s => TrafficRecorder.Percentile(s.Latency, 0.95))],
            [.. seconds.Select(s => TrafficRecorder.Percentile(s.Latency, 0.99))],
            seconds.Sum(s => s.Requests),
            TrafficRecorder.Percentile(minute, 0.50),
            TrafficRecorder.Percentile(minute, 0.95),
            TrafficRecorder.Percentile(minute, 0.99));
    }

    private static List<RouteView> Routes(IReadOnlyList<SecondView> seconds)
    {
        var totals = new Dictionary<string, RouteCounts>(StringComparer.Ordinal);
        foreach (var (route, counts) in seconds.SelectMany(s => s.Routes))
        {
            if (!totals.TryGetValue(route, out var total))
            {
                totals[route] = total = new RouteCounts();
            }

            total.Requests += counts.Requests;
            total.Errors += counts.Errors;
            for (var i = 0; i < total.Latency.Length; i++)
            {
                total.Latency[i] += counts.Latency[i];
            }
        }

        return [.. totals.OrderByDescending(t => t.Value.Requests).ThenBy(t => t.Key, StringComparer.Ordinal).Take(TopRoutes)
            .Select(t => new RouteView(t.Key, t.Value.Requests, t.Value.Errors, TrafficRecorder.Percentile(t.Value.Latency, 0.95)))];
    }

    private static ProcessView Process()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new ProcessView(
            process.WorkingSet64,
            GC.GetTotalMemory(forceFullCollection: false),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalPauseDuration().TotalSeconds,
            ThreadPool.ThreadCount,
            ThreadPool.PendingWorkItemCount,
            Environment.ProcessorCount,
            (DateTime.UtcNow - process.StartTime.ToUniversalTime()).TotalSeconds);
    }
}
