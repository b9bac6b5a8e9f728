namespace ScalableApi.Testing;

/// <summary>
/// A service's or gateway's <c>/metrics</c> page as a client scraped it (Prometheus text format): what a test asserts
/// series on. Metrics are per process and tests running in parallel may add to them, so counters are compared
/// before/after or asserted present, never equal to a total.
/// </summary>
public sealed class MetricsPage
{
    private MetricsPage(string text) => Text = text;

    /// <summary>The page as served.</summary>
    public string Text { get; }

    /// <summary>GETs <c>/metrics</c> through <paramref name="client"/> (a loopback client: /metrics answers no other).</summary>
    public static async Task<MetricsPage> ScrapeAsync(HttpClient client) =>
        new(await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

    /// <summary>The value of one series on a page scraped now (see <see cref="PrometheusText.Value"/>).</summary>
    public static async Task<double> ValueAsync(HttpClient client, string series) => (await ScrapeAsync(client)).Value(series);

    /// <summary>The value of <paramref name="series"/>, written exactly as the exporter writes it, or 0 when absent.</summary>
    public double Value(string series) => PrometheusText.Value(Text, series);

    /// <summary>Asserts that the page contains each of <paramref name="fragments"/> (series names, label sets, whole lines).</summary>
    public void AssertContains(params string[] fragments) =>
        Assert.All(fragments, fragment => Assert.Contains(fragment, Text, StringComparison.Ordinal));

    /// <summary>Asserts that the page contains none of <paramref name="fragments"/>.</summary>
    public void AssertDoesNotContain(params string[] fragments) =>
        Assert.All(fragments, fragment => Assert.DoesNotContain(fragment, Text, StringComparison.Ordinal));
}
