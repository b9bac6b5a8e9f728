using System.Text.Json.Nodes;
using ScalableApi.Deploy.Tests.Support;

namespace ScalableApi.Deploy.Tests.Observability;

/// <summary>
/// Prometheus scrapes every process; the Grafana dashboard and the autoscaling rule read only series the product
/// really exports, checked against the /metrics pages of the published processes, so renaming a series breaks this.
/// </summary>
[Collection(PublishedTopologyCollection.Name)]
public sealed class DashboardAndScrapeTests(PublishedTopology topology)
{
    private const string DashboardPath = "deploy/grafana/dashboards/scalableapi.json";

    private ExportedSeries Exported => new(topology.Metrics.Values);

    [Fact]
    public void Every_dashboard_query_reads_series_the_product_exports()
    {
        var exported = Exported;
        var queries = Queries().ToList();

        Assert.True(queries.Count >= 20, $"only {queries.Count} queries");
        Assert.All(queries, q => Assert.NotEmpty(PromQl.Selectors(q.Expression)));
        Assert.All(queries, q => Assert.True(exported.Problems(q.Expression) is [], $"{q.Panel}: {q.Expression}\n{string.Join('\n', exported.Problems(q.Expression))}"));
    }

    [Fact]
    public void The_check_catches_a_renamed_series_or_label()
    {
        var exported = Exported;

        Assert.Empty(exported.Problems("sum by (route) (rate(http_request_duration_seconds_count{status=~\"5..\"}[5m]))"));
        Assert.Equal(["http_requests_total is not exported"], exported.Problems("sum(rate(http_requests_total[5m]))"));
        Assert.Equal(["http_request_duration_seconds_count has no label path"], exported.Problems("rate(http_request_duration_seconds_count{path=\"/x\"}[1m])"));
        Assert.Equal(["no series in it has the label path it groups by"], exported.Problems("sum by (path) (rate(http_request_duration_seconds_count[1m]))"));
    }

    [Fact]
    public void The_dashboard_covers_the_operators_figures()
    {
        var series = Queries().SelectMany(q => PromQl.Selectors(q.Expression)).Select(s => s.Metric).ToHashSet();

        var required = new HashSet<string>
        {
            "http_request_duration_seconds_count", "http_request_duration_seconds_bucket", "gateway_upstream_healthy",
            "gateway_upstream_requests_total", "gateway_ratelimit_rejections_total", "http_concurrency_rejections_total",
            "cache_requests_total", "gateway_edge_cache_requests_total", "gateway_edge_cache_bytes", "jobs_queued", "jobs_running", "jobs_dead",
            "process_working_set_bytes", "dotnet_collection_count_total", "system_runtime_dotnet_thread_pool_queue_length",
        };

        Assert.Superset(required, series);
    }

    [Fact]
    public void Dashboard_panels_use_the_provisioned_data_source_and_the_scrape_jobs()
    {
        var datasource = YamlJson.Parse(Repository.Read("deploy/grafana/provisioning/datasources/prometheus.yaml"))!["datasources"]![0]!;
        var jobs = ScrapeJobs().Select(j => j.Name).ToHashSet();
        var dashboard = JsonNode.Parse(Repository.Read(DashboardPath))!;
        var panels = Panels(dashboard).ToList();

        Assert.Equal(panels.Count, panels.Select(p => p["id"]!.GetValue<int>()).Distinct().Count());
        Assert.All(panels.Where(p => p["targets"] is not null), p =>
        {
            Assert.Equal(datasource["uid"]!.GetValue<string>(), p["datasource"]!["uid"]!.GetValue<string>());
            Assert.False(string.IsNullOrWhiteSpace(p["title"]?.GetValue<string>()));
            Assert.NotNull(p["fieldConfig"]!["defaults"]!["unit"]);
        });
        // job="x" names a scrape job that exists.
        Assert.All(Queries(), q => Assert.All(
            System.Text.RegularExpressions.Regex.Matches(q.Expression, "job=\"([^\"]+)\"").Select(m => m.Groups[1].Value),
            job => Assert.Contains(job, jobs)));
        Assert.Equal("http://prometheus:9090", datasource["url"]!.GetValue<string>());
    }

    [Fact]
    public void Prometheus_scrapes_every_process_on_its_metrics_port()
    {
        var compose = ComposeFile.Load();
        var targets = ScrapeJobs().SelectMany(j => j.Targets.Select(t => (j.Name, Target: t))).ToList();

        var processes = ComposeFile.ProductServices(compose).ToList();
        Assert.Equal(processes.Count, targets.Count);
        Assert.All(processes, p =>
        {
            var port = p.Service["environment"]!["Platform__Metrics__Port"]!.GetValue<string>();
            var job = p.Name[..p.Name.LastIndexOf('-')];
            Assert.Contains((job, $"{p.Name}:{port}"), targets);
            Assert.DoesNotContain(p.Service["ports"]?.AsArray() ?? [], published => published!.ToString().Contains(port, StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Grafana_loads_the_dashboard_from_where_compose_mounts_it()
    {
        var provider = YamlJson.Parse(Repository.Read("deploy/grafana/provisioning/dashboards/scalableapi.yaml"))!["providers"]![0]!;
        var mounts = ComposeFile.Services(ComposeFile.Load())["grafana"]!["volumes"]!.AsArray().Select(v => v!.GetValue<string>()).ToList();

        Assert.Contains($"../grafana/dashboards:{provider["options"]!["path"]!.GetValue<string>()}:ro", mounts);
        Assert.Contains("../grafana/provisioning:/etc/grafana/provisioning:ro", mounts);
    }

    [Fact]
    public void The_autoscaling_rule_reads_a_series_the_product_exports()
    {
        var rules = YamlJson.Parse(Repository.Read("deploy/k8s/components/requests-per-second-hpa/prometheus-adapter-rules.yaml"))!;
        var query = rules["rules"]!["custom"]![0]!["seriesQuery"]!.GetValue<string>();

        // namespace and pod come from Prometheus's Kubernetes discovery, like job and instance in compose.
        Assert.Empty(Exported.Problems(query.Replace("namespace!=\"\",pod!=\"\"", "", StringComparison.Ordinal)));
    }

    private static IEnumerable<JsonNode> Panels(JsonNode dashboard) =>
        dashboard["panels"]!.AsArray().SelectMany(p => new[] { p! }.Concat(p!["panels"]?.AsArray().Select(n => n!) ?? []));

    private static IEnumerable<(string Panel, string Expression)> Queries() =>
        Panels(JsonNode.Parse(Repository.Read(DashboardPath))!)
            .SelectMany(p => (p["targets"]?.AsArray() ?? []).Select(t => (p["title"]!.GetValue<string>(), t!["expr"]!.GetValue<string>())));

    private static IEnumerable<(string Name, IReadOnlyList<string> Targets)> ScrapeJobs() =>
        YamlJson.Parse(Repository.Read("deploy/prometheus/prometheus.yml"))!["scrape_configs"]!.AsArray().Select(j => (
            j!["job_name"]!.GetValue<string>(),
            (IReadOnlyList<string>)[.. j["static_configs"]!.AsArray().SelectMany(c => c!["targets"]!.AsArray().Select(t => t!.GetValue<string>()))]));
}
