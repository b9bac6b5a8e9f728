namespace ScalableApi.Deploy.Tests.Support;

/// <summary>A series selector in a PromQL expression: the metric name and the label names its matchers use.</summary>
internal sealed record Selector(string Metric, IReadOnlyList<string> Labels);

/// <summary>
/// Just enough PromQL to find what an expression reads: the metric names of its selectors, the labels they match on,
/// and the labels it groups by. Functions, aggregations, keywords, strings, durations and Grafana's $variables are
/// not metric names.
/// </summary>
internal static partial class PromQl
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
    };

    public static IReadOnlyList<Selector> Selectors(string expression)
    {
        var text = Strings().Replace(expression, "\"\"");
        text = Ranges().Replace(text, "");
        text = Grouping().Replace(text, "");
        var selectors = new List<Selector>();
        foreach (Match match in SelectorPattern().Matches(text))
        {
            var name = match.Groups["name"].Value;
            var next = text[(match.Index + match.Length)..].TrimStart();
            if (Keywords.Contains(name) || (!match.Groups["matchers"].Success && next.StartsWith('(')))
            {
                continue;
            }

            var labels = match.Groups["matchers"].Success
                ? LabelMatcher().Matches(match.Groups["matchers"].Value).Select(m => m.Groups["label"].Value).ToList()
                : [];
            selectors.Add(new Selector(name, labels));
        }

        return selectors;
    }

    /// <summary>Labels named in <c>by (…)</c> / <c>without (…)</c> clauses.</summary>
    public static IReadOnlyList<string> GroupingLabels(string expression) =>
        [.. Grouping().Matches(Strings().Replace(expression, "\"\"")).SelectMany(m => m.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))];

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without)\s*\((?<labels>[^)]*)\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w:$.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\s*\{(?<matchers>[^}]*)\})?")]
    private static partial Regex SelectorPattern();

    [GeneratedRegex(@"(?<label>[a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)")]
    private static partial Regex LabelMatcher();
}
