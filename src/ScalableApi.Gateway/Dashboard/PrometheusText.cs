using System.Globalization;

namespace ScalableApi.Gateway.Dashboard;

/// <summary>
/// Just enough of the Prometheus text format for the dashboard: sums the samples of a few named series, optionally
/// filtered on label values. Lines it cannot read (bad text, other series) are skipped, never thrown on, because a
/// service's odd output must not take the page down.
/// </summary>
internal static class PrometheusText
{
    /// <summary>Sum of the samples per wanted series name; a name with no readable sample is absent.</summary>
    public static Dictionary<string, double> Sum(string text, IReadOnlyCollection<SeriesFilter> wanted)
    {
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#')
            {
                continue;
            }

            var nameEnd = line.IndexOfAny('{', ' ');
            if (nameEnd <= 0)
            {
                continue;
            }

            var name = line[..nameEnd];
            var labels = ReadOnlySpan<char>.Empty;
            var rest = line[nameEnd..];
            if (rest[0] == '{')
            {
                var close = rest.IndexOf('}');
                if (close < 0)
                {
                    continue;
                }

                labels = rest[1..close];
                rest = rest[(close + 1)..];
            }

            rest = rest.TrimStart();
            var valueEnd = rest.IndexOf(' ');
            var value = valueEnd < 0 ? rest : rest[..valueEnd];
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
            {
                continue;
            }

            foreach (var filter in wanted)
            {
                if (name.SequenceEqual(filter.Name) && filter.Matches(labels))
                {
                    sums[filter.Key] = sums.GetValueOrDefault(filter.Key) + number;
                }
            }
        }

        return sums;
    }
}

/// <summary>A series to sum: its name and label values it must have (<c>label="value"</c>), under <paramref name="Key"/>.</summary>
internal sealed record SeriesFilter(string Key, string Name, params string[] Labels)
{
    public bool Matches(ReadOnlySpan<char> labels)
    {
        foreach (var label in Labels)
        {
            if (!Contains(labels, label))
            {
                return false;
            }
        }

        return true;
    }

    // A label pair at the start or after a comma, so level="memory" does not match sublevel="memory".
    private static bool Contains(ReadOnlySpan<char> labels, string pair)
    {
        var at = 0;
        while (at < labels.Length)
        {
            var found = labels[at..].IndexOf(pair, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            var index = at + found;
            var end = index + pair.Length;
            if ((index == 0 || labels[index - 1] == ',') && (end == labels.Length || labels[end] == ','))
            {
                return true;
            }

            at = index + 1;
        }

        return false;
    }
}
