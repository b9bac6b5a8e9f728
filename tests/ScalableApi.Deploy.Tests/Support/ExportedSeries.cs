namespace ScalableApi.Deploy.Tests.Support;

/// <summary>
/// The series the product exports, read from real /metrics pages: every metric family (from its <c># TYPE</c> line,
/// present before a labelled series has a sample) with the label names its samples carry.
/// </summary>
internal sealed partial class ExportedSeries
{
    private readonly Dictionary<string, (string Type, HashSet<string> Labels, bool HasSamples)> _families = new(StringComparer.Ordinal);

    /// <summary>Labels Prometheus adds to every scraped series, and histograms' bucket bound.</summary>
    private static readonly string[] ScrapeLabels = ["job", "instance"];

    public ExportedSeries(IEnumerable<string> pages)
    {
        foreach (var page in pages)
        {
            foreach (var line in page.Split('\n'))
            {
                if (TypeLine().Match(line) is { Success: true } type)
                {
                    var name = type.Groups["name"].Value;
                    if (!_families.ContainsKey(name))
                    {
                        _families[name] = (type.Groups["type"].Value, [], false);
                    }
                }
                else if (SampleLine().Match(line) is { Success: true } sample && Family(sample.Groups["name"].Value) is { } family)
                {
                    var entry = _families[family];
                    entry.Labels.UnionWith(Label().Matches(sample.Groups["labels"].Value).Select(m => m.Groups[1].Value));
                    _families[family] = entry with { HasSamples = true };
                }
            }
        }
    }

    public IReadOnlyCollection<string> Families => _families.Keys;

    /// <summary>The family a series name belongs to (<c>x_bucket</c> of histogram <c>x</c>), or null if none exports it.</summary>
    public string? Family(string series)
    {
        if (_families.TryGetValue(series, out var exact) && exact.Type is not "histogram" and not "summary")
        {
            return series;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (series.EndsWith(suffix, StringComparison.Ordinal) && _families.TryGetValue(series[..^suffix.Length], out var f) && f.Type is "histogram" or "summary"
                && (suffix != "_bucket" || f.Type == "histogram"))
            {
                return series[..^suffix.Length];
            }
        }

        return null;
    }

    /// <summary>What is wrong with <paramref name="expression"/>: series nobody exports, labels they do not carry.</summary>
    public IReadOnlyList<string> Problems(string expression)
    {
        var problems = new List<string>();
        var labels = new HashSet<string>(ScrapeLabels, StringComparer.Ordinal) { "le" };
        var allKnown = true;
        foreach (var selector in PromQl.Selectors(expression))
        {
            if (Family(selector.Metric) is not { } family)
            {
                problems.Add($"{selector.Metric} is not exported");
                continue;
            }

            var (_, carried, hasSamples) = _families[family];
            allKnown &= hasSamples;
            labels.UnionWith(carried);
            // Label names are only known once a series has a sample; families still without one are checked by name.
            problems.AddRange(selector.Labels.Where(l => hasSamples && !carried.Contains(l) && !ScrapeLabels.Contains(l)).Select(l => $"{selector.Metric} has no label {l}"));
        }

        if (allKnown)
        {
            problems.AddRange(PromQl.GroupingLabels(expression).Where(l => !labels.Contains(l)).Select(l => $"no series in it has the label {l} it groups by"));
        }

        return problems;
    }

    [GeneratedRegex(@"^# TYPE (?<name>[a-zA-Z_:][a-zA-Z0-9_:]*) (?<type>\w+)")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? ")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""")]
    private static partial Regex Label();
}
