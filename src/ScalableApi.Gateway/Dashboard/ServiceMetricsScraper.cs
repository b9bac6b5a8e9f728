using System.Collections.Concurrent;
using Yarp.ReverseProxy;

namespace ScalableApi.Gateway.Dashboard;

/// <summary>
/// Reads the services' <c>/metrics</c> for the dashboard (cache hit ratio, job queue), every
/// <see cref="DashboardOptions.ScrapeInterval"/>: one request per destination of the proxy, each bounded by
/// <see cref="DashboardOptions.ScrapeTimeout"/> and <see cref="DashboardOptions.MaxMetricsBytes"/>, parsed for the few
/// series the page shows only. It keeps the last result per destination, so its memory is bounded by the route table.
/// It scrapes only while a dashboard reads snapshots (<see cref="Watched"/>), and for two intervals after: a gateway
/// nobody watches sends its services no requests of its own (Prometheus scrapes them for everything else).
/// </summary>
internal sealed partial class ServiceMetricsScraper(
    IProxyStateLookup proxyState, IOptions<DashboardOptions> options, TimeProvider time, ILogger<ServiceMetricsScraper> logger)
    : BackgroundService
{
    public static readonly string[] CacheLevels = ["memory", "distributed", "overall"];

    private static readonly SeriesFilter[] Wanted =
    [
        .. CacheLevels.SelectMany(level => new[]
        {
            new SeriesFilter(level + ":hit", "cache_requests_total", $"level=\"{level}\"", "result=\"hit\""),
            new SeriesFilter(level + ":stale_hit", "cache_requests_total", $"level=\"{level}\"", "result=\"stale_hit\""),
            new SeriesFilter(level + ":all", "cache_requests_total", $"level=\"{level}\""),
        }),
        new("jobs_queued", "jobs_queued"),
        new("jobs_running", "jobs_running"),
        new("jobs_dead", "jobs_dead"),
    ];

    private readonly DashboardOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, ServiceScrape> _last = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);
    private long _watchedAt;

    // Not the proxy's client: no retries, no forwarded headers, and its own connection limit.
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        MaxConnectionsPerServer = 2,
        AllowAutoRedirect = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A dashboard read a snapshot: scrape now if idle, and keep scraping while it goes on reading.</summary>
    public void Watched()
    {
        Volatile.Write(ref _watchedAt, time.GetTimestamp());
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another snapshot woke it at the same moment.
            }
        }
    }

    /// <summary>The last scrape of every destination the proxy has now (ordered by cluster, then destination).</summary>
    public IReadOnlyList<ServiceScrape> Last() =>
        [.. _last.Values.OrderBy(s => s.Cluster, StringComparer.Ordinal).ThenBy(s => s.Destination, StringComparer.Ordinal)];

    /// <summary>One round: every destination at once, each bounded by the timeout.</summary>
    public async Task ScrapeOnceAsync(CancellationToken cancellationToken)
    {
        var targets = new List<(string Cluster, string Destination, Uri Url)>();
        foreach (var cluster in proxyState.GetClusters())
        {
            foreach (var destination in cluster.Destinations.Values)
            {
                if (MetricsUrl(destination.Model.Config.Address, _options.ServiceMetricsPort) is { } url)
                {
                    targets.Add((cluster.ClusterId, destination.DestinationId, url));
                }
            }
        }

        var results = await Task.WhenAll(targets.Select(t => ScrapeAsync(t.Cluster, t.Destination, t.Url, cancellationToken)));
        var current = results.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var result in results)
        {
            _last[result.Key] = result;
        }

        // Destinations gone from the route table go from the page too.
        foreach (var key in _last.Keys.Where(k => !current.Contains(k)))
        {
            _last.TryRemove(key, out _);
        }
    }

    /// <summary><c>/metrics</c> at the destination's host, on <paramref name="port"/> when set (the management port).</summary>
    internal static Uri? MetricsUrl(string address, int port)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var builder = new UriBuilder(uri) { Path = "/metrics", Query = string.Empty };
        if (port > 0)
        {
            // The management port is plain HTTP inside the network (Platform:Metrics:Port).
            builder.Scheme = Uri.UriSchemeHttp;
            builder.Port = port;
        }

        return builder.Uri;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                await _wake.WaitAsync(stoppingToken);
                while (IsWatched())
                {
                    await ScrapeOnceAsync(stoppingToken);
                    await Task.Delay(_options.ScrapeInterval, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private bool IsWatched()
    {
        var watchedAt = Volatile.Read(ref _watchedAt);
        return watchedAt != 0 && time.GetElapsedTime(watchedAt) < _options.ScrapeInterval * 2;
    }

    private async Task<ServiceScrape> ScrapeAsync(string cluster, string destination, Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ScrapeTimeout);
        try
        {
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Failed(cluster, destination, $"HTTP {(int)response.StatusCode}");
            }

            if (response.Content.Headers.ContentLength > _options.MaxMetricsBytes)
            {
                return Failed(cluster, destination, "too large");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[_options.MaxMetricsBytes + 1];
            var read = 0;
            int chunk;
            while (read < buffer.Length && (chunk = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token)) > 0)
            {
                read += chunk;
            }

            if (read > _options.MaxMetricsBytes)
            {
                return Failed(cluster, destination, "too large");
            }

            var values = PrometheusText.Sum(System.Text.Encoding.UTF8.GetString(buffer, 0, read), Wanted);
            return new ServiceScrape(cluster, destination, time.GetUtcNow(), null, values);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(cluster, destination, "timed out");
        }
        catch (HttpRequestException ex)
        {
            return Failed(cluster, destination, ex.HttpRequestError.ToString());
        }
    }

    private ServiceScrape Failed(string cluster, string destination, string error)
    {
        LogScrapeFailed(cluster, destination, error);
        return new ServiceScrape(cluster, destination, time.GetUtcNow(), error, new Dictionary<string, double>());
    }

    public override void Dispose()
    {
        base.Dispose();
        _client.Dispose();
        _wake.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dashboard scrape of {Cluster}/{Destination} failed: {Error}")]
    private partial void LogScrapeFailed(string cluster, string destination, string error);
}

/// <summary>The last scrape of one destination: the summed series, or why there are none.</summary>
internal sealed record ServiceScrape(
    string Cluster, string Destination, DateTimeOffset At, string? Error, IReadOnlyDictionary<string, double> Values)
{
    public string Key => Cluster + "/" + Destination;
}
