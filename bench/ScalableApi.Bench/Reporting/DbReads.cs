namespace ScalableApi.Bench.Reporting;

/// <summary>
/// One line of db-reads.jsonl (bench/run --replica): a <c>db_reads_total{reason,target}</c> series of one of our
/// processes' /metrics before and after a scenario.
/// </summary>
internal sealed record RawDbReads(string Scenario, string Process, string Reason, string Target, long Before, long After)
{
    public long Delta => After - Before;
}

/// <summary>Read connections of one scenario by server and reason, summed over our services (the delta over the scenario).</summary>
internal sealed record DbReadsRow(string Target, string Reason, long Reads);

/// <summary>
/// The share of our read connections the standby served during a scenario (issue #14 point 5): reads without a
/// consistency token go to a standby, reads whose token the standby had not replayed and reads that must be latest
/// go to the primary.
/// </summary>
internal sealed record DbReadsReport(string Scenario, long Reads, long StandbyReads, IReadOnlyList<DbReadsRow> ByReason, IReadOnlyDictionary<string, double> StandbyShareByProcess)
{
    public double StandbyShare => Reads == 0 ? 0 : (double)StandbyReads / Reads;

    public static IReadOnlyList<DbReadsReport> Load(string directory)
    {
        var path = Path.Combine(directory, "db-reads.jsonl");
        if (!File.Exists(path))
        {
            return [];
        }

        return [.. Json.ReadLines<RawDbReads>(path)
            .GroupBy(r => r.Scenario, StringComparer.Ordinal)
            .Select(scenario => new DbReadsReport(
                scenario.Key,
                scenario.Sum(r => r.Delta),
                scenario.Where(r => r.Target == "standby").Sum(r => r.Delta),
                [.. scenario.GroupBy(r => (r.Target, r.Reason))
                    .Select(g => new DbReadsRow(g.Key.Target, g.Key.Reason, g.Sum(r => r.Delta)))
                    .Where(row => row.Reads > 0)
                    .OrderByDescending(row => row.Reads)],
                scenario.GroupBy(r => r.Process, StringComparer.Ordinal)
                    .Where(p => p.Sum(r => r.Delta) > 0)
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .ToDictionary(p => p.Key, p => (double)p.Where(r => r.Target == "standby").Sum(r => r.Delta) / p.Sum(r => r.Delta), StringComparer.Ordinal)))];
    }
}
