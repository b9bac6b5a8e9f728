namespace ScalableApi.Bench.Reporting;

/// <summary>Medians over the rounds of one system × scenario × connections, and what went wrong in any round.</summary>
internal sealed record Median(
    string System,
    string Scenario,
    int Connections,
    int Runs,
    double Rps,
    double P50Ms,
    double P99Ms,
    long Non2xx,
    long SocketErrors,
    int? Replicas = null)
{
    /// <summary>A read scenario must answer every request with 2xx/3xx and lose no connection.</summary>
    public bool Failed => Catalogue.Scenario(Scenario).IsRead && (Non2xx > 0 || SocketErrors > 0 || Rps == 0);

    public static IReadOnlyList<Median> Of(IEnumerable<RawRun> runs) =>
        [.. runs.GroupBy(r => (r.System, r.Scenario, r.Connections, r.Replicas))
            .Select(g => new Median(
                g.Key.System,
                g.Key.Scenario,
                g.Key.Connections,
                g.Count(),
                Middle(g.Select(r => r.Wrk.Rps)),
                Middle(g.Select(r => r.Wrk.P50Us / 1000.0)),
                Middle(g.Select(r => r.Wrk.P99Us / 1000.0)),
                g.Sum(r => r.Wrk.Non2xx),
                g.Sum(r => r.Wrk.SocketErrors),
                g.Key.Replicas))
            .OrderBy(m => m.Scenario, StringComparer.Ordinal)
            .ThenBy(m => m.Connections)
            .ThenBy(m => m.Replicas)
            .ThenBy(m => Catalogue.SystemOrder(m.System))];

    public static double Middle(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
