namespace ScalableApi.Bench.Reporting;

/// <summary>
/// One line of staleness.jsonl (bench/run, scenario (a), round 1, on the two caching edges): what
/// <see cref="StalenessProbe"/> saw while wrk loaded the same edge. A stale read started after a write's response
/// and still showed an older version; its staleness is how long after that response it started.
/// </summary>
internal sealed record Staleness(
    string System,
    int Connections,
    double Seconds,
    int Writes,
    int WriteErrors,
    int Reads,
    int ReadErrors,
    int StaleReads,
    double MaxStaleMs,
    double MedianStaleMs)
{
    public static IReadOnlyList<Staleness> Load(string directory)
    {
        var path = Path.Combine(directory, "staleness.jsonl");
        return File.Exists(path) ? [.. Json.ReadLines<Staleness>(path)] : [];
    }

    public string Summary =>
        $"{StaleReads:N0} stale of {Reads:N0} reads after {Writes} writes (longest {MaxStaleMs / 1000:0.0} s, median {MedianStaleMs / 1000:0.0} s)";
}
