namespace ScalableApi.System.Tests.Topology;

/// <summary>One scrape of a Prometheus text page, with lookups for the gateway's upstream series.</summary>
public sealed partial class MetricsSnapshot
{
    private readonly List<Sample> _samples;

    private MetricsSnapshot(string text, List<Sample> samples)
    {
        Text = text;
        _samples = samples;
    }

    public string Text { get; }

    public IReadOnlyList<Sample> Samples => _samples;

    public static MetricsSnapshot Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            var match = SampleLine().Match(line.TrimEnd('\r'));
            if (!match.Success || !double.TryParse(match.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["key"].Value] = label.Groups["value"].Value;
            }

            samples.Add(new Sample(match.Groups["name"].Value, labels, value));
        }

        return new MetricsSnapshot(text, samples);
    }

    /// <summary><c>gateway_upstream_requests_total</c> of one destination and status class (0 when absent).</summary>
    public double UpstreamRequests(string cluster, string destination, string statusClass = "2xx") =>
        Sum("gateway_upstream_requests_total", ("cluster", cluster), ("destination", destination), ("status_class", statusClass));

    /// <summary>Destination ids of a cluster with their <c>gateway_upstream_healthy</c> value.</summary>
    public IReadOnlyDictionary<string, double> Healthy(string cluster) => _samples
        .Where(s => s.Name == "gateway_upstream_healthy" && s.Label("cluster") == cluster)
        .ToDictionary(s => s.Label("destination") ?? "", s => s.Value, StringComparer.Ordinal);

    public double Sum(string name, params (string Key, string Value)[] labels) => _samples
        .Where(s => s.Name == name && labels.All(l => s.Label(l.Key) == l.Value))
        .Sum(s => s.Value);

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
    {
        public string? Label(string key) => Labels.TryGetValue(key, out var value) ? value : null;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
