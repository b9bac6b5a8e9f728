using System.Globalization;

namespace ScalableApi.Testing;

/// <summary>Reads one series from a /metrics page (Prometheus text format).</summary>
public static class PrometheusText
{
    /// <summary>
    /// The value of <paramref name="series"/>, written exactly as it appears (<c>name{label="v",…}</c>, labels in
    /// the order the exporter writes them), or 0 when absent. Counters only grow, so tests compare before/after:
    /// metrics are per process and other tests running in parallel may add to them too.
    /// </summary>
    public static double Value(string metrics, string series)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
