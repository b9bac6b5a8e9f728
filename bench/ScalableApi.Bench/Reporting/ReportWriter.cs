using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ScalableApi.Bench.Reporting;

/// <summary>
/// Turns one results folder's raw files into results.json (every run, the medians, the targets, scaling, soak),
/// results.md (the table a reader wants) and chart.png. Parts not run (no scaling.jsonl, no soak) are left out.
/// </summary>
internal static class ReportWriter
{
    public static int Run(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"no folder {directory}");
        }

        var machine = KeyValues(Path.Combine(directory, "machine.txt"));
        var settings = KeyValues(Path.Combine(directory, "settings.txt"));
        var runs = Load(Path.Combine(directory, "scenarios.jsonl"));
        var scalingRuns = Load(Path.Combine(directory, "scaling.jsonl"));
        var medians = Median.Of(runs);
        var scaling = Median.Of(scalingRuns);
        var replica = settings.GetValueOrDefault("mode")?.Contains("replica", StringComparison.Ordinal) == true;
        var staleness = Staleness.Load(directory);
        var targets = runs.Count == 0 ? [] : Targets.Evaluate(medians, replica, staleness);
        var dbReads = DbReadsReport.Load(directory);
        var soakWarmup = double.TryParse(settings.GetValueOrDefault("soakWarmupSeconds"), NumberStyles.Float, CultureInfo.InvariantCulture, out var w) ? w : 30;
        var soak = SoakReport.Load(directory, soakWarmup);

        var json = new
        {
            machine,
            settings,
            runs,
            medians,
            targets,
            scaling = new { runs = scalingRuns, medians = scaling },
            soak,
            staleness,
            dbReads = dbReads.Select(r => new { r.Scenario, r.Reads, r.StandbyReads, r.StandbyShare, r.ByReason, r.StandbyShareByProcess }),
        };
        File.WriteAllText(Path.Combine(directory, "results.json"), JsonSerializer.Serialize(json, Json.Options));

        var chart = Chart.Write(Path.Combine(directory, "chart.png"), medians, scaling);
        File.WriteAllText(Path.Combine(directory, "results.md"), Markdown(Path.GetFileName(Path.GetFullPath(directory)), machine, settings, medians, targets, scaling, soak, dbReads, staleness, chart));
        Console.WriteLine($"report: {Path.Combine(directory, "results.md")}");
        foreach (var t in targets)
        {
            Console.WriteLine($"  {t.Status,-4} {t.Target}{(t.Connections is { } c ? $" @ {c}" : "")}: {t.Measured}");
        }

        return 0;
    }

    private static List<RawRun> Load(string path) => File.Exists(path) ? [.. Json.ReadLines<RawRun>(path)] : [];

    private static Dictionary<string, string> KeyValues(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return values;
        }

        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                values[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return values;
    }

    private static string Markdown(
        string name,
        Dictionary<string, string> machine,
        Dictionary<string, string> settings,
        IReadOnlyList<Median> medians,
        IReadOnlyList<TargetResult> targets,
        IReadOnlyList<Median> scaling,
        SoakReport? soak,
        IReadOnlyList<DbReadsReport> dbReads,
        IReadOnlyList<Staleness> staleness,
        bool chart)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark results {name}");
        md.AppendLine();
        if (settings.GetValueOrDefault("mode")?.Contains("quick", StringComparison.Ordinal) == true)
        {
            md.AppendLine("**Trial run (`--quick`): short runs on a machine other work shared. Shows the suite works; the figures are not the product's.**");
            md.AppendLine();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {string.Join("; ", machine.Select(kv => $"{kv.Key} {kv.Value}"))}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Settings: {string.Join("; ", settings.Select(kv => $"{kv.Key} {kv.Value}"))}");
        md.AppendLine();
        md.AppendLine("Command: `bench/run` (see [bench/README.md](../../README.md)). Every cell is the median of its runs; systems alternate run by run (A B A B).");
        md.AppendLine();

        if (targets.Count > 0)
        {
            md.AppendLine("## Targets (issue #5 point 4, as issue #13 point 5 and issue #14 point 5 raised them)");
            md.AppendLine();
            md.AppendLine("| target | connections | measured | result |");
            md.AppendLine("|---|---|---|---|");
            foreach (var t in targets)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Target} | {t.Connections?.ToString(CultureInfo.InvariantCulture) ?? "all"} | {t.Measured} | **{t.Status}** |");
            }

            md.AppendLine();
        }

        if (medians.Count > 0)
        {
            md.AppendLine("## Scenarios");
            md.AppendLine();
            foreach (var s in Catalogue.Scenarios)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- ({s.Id}) {s.Title}");
            }

            md.AppendLine();
            md.AppendLine("| scenario | system | connections | req/s | p50 ms | p99 ms | non-2xx | socket errors | runs |");
            md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|");
            foreach (var m in medians)
            {
                var flag = m.Failed ? " **FAILED**" : "";
                // No response completed within the run (e.g. logins slower than the run is long): no latency to show.
                var p50 = m.Rps > 0 ? Targets.Ms(m.P50Ms) : "–";
                var p99 = m.Rps > 0 ? Targets.Ms(m.P99Ms) : "–";
                md.AppendLine(CultureInfo.InvariantCulture, $"| ({m.Scenario}) | {m.System} | {m.Connections} | {Targets.Rps(m.Rps)} | {p50} | {p99} | {m.Non2xx}{flag} | {m.SocketErrors} | {m.Runs} |");
            }

            md.AppendLine();
            md.AppendLine("Systems:");
            md.AppendLine();
            foreach (var s in Catalogue.Systems.Where(s => medians.Any(m => m.System == s.Id)))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- `{s.Id}`: {s.Title}");
            }

            md.AppendLine();
            md.AppendLine("A read scenario (a–d) with any non-2xx response or socket error is a failed run (**FAILED**). Socket errors include wrk's timeouts.");
            md.AppendLine();
        }

        if (staleness.Count > 0)
        {
            md.AppendLine("## Staleness after a write: the two caching edges under (a)");
            md.AppendLine();
            md.AppendLine("During round 1 of (a), beside wrk: an admin replaces one product every second through the edge (its stock is the version), and an anonymous reader reads it back to back through the same edge. A read is stale when it started after a write's response and still showed an older version; its staleness is how long after that response it started.");
            md.AppendLine();
            md.AppendLine("| system | connections | writes | reads | stale reads | longest staleness s | median staleness s | write errors | read errors |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var p in staleness.OrderBy(p => p.Connections).ThenBy(p => Catalogue.SystemOrder(p.System)))
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {p.System} | {p.Connections} | {p.Writes} | {p.Reads:N0} | {p.StaleReads:N0} | {p.MaxStaleMs / 1000:0.00} | {p.MedianStaleMs / 1000:0.00} | {p.WriteErrors} | {p.ReadErrors} |");
            }

            md.AppendLine();
        }

        foreach (var r in dbReads)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## Reads by database server during ({r.Scenario}): ours on a primary + streaming standby (`--replica`)");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"`db_reads_total{{target,reason}}` of our services' /metrics, after the scenario minus before (every run of ours in it, warm-ups included): **{r.StandbyShare:P1}** of {r.Reads:N0} read connections on the standby ({string.Join(", ", r.StandbyShareByProcess.Select(p => $"{p.Key} {p.Value:P0}"))}).");
            md.AppendLine();
            md.AppendLine("| target | reason | read connections | share |");
            md.AppendLine("|---|---|---:|---:|");
            foreach (var row in r.ByReason)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Target} | {row.Reason} | {row.Reads:N0} | {(r.Reads == 0 ? 0 : (double)row.Reads / r.Reads):P1} |");
            }

            md.AppendLine();
        }

        if (scaling.Count > 0)
        {
            md.AppendLine("## Scaling: reads through the gateway, catalog replicas at a quarter core each (cgroup v1 CPU quota)");
            md.AppendLine();
            md.AppendLine("| catalog replicas | connections | req/s | per replica | vs 1 replica | p50 ms | p99 ms | non-2xx | socket errors |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var m in scaling)
            {
                var one = scaling.FirstOrDefault(x => x.Replicas == 1 && x.Connections == m.Connections);
                var speedup = one is null ? "" : (m.Rps / one.Rps).ToString("0.00", CultureInfo.InvariantCulture) + "×";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {m.Replicas} | {m.Connections} | {Targets.Rps(m.Rps)} | {Targets.Rps(m.Rps / (m.Replicas ?? 1))} | {speedup} | {Targets.Ms(m.P50Ms)} | {Targets.Ms(m.P99Ms)} | {m.Non2xx} | {m.SocketErrors} |");
            }

            md.AppendLine();
        }

        if (soak is not null)
        {
            var wrk = soak.Run.Wrk;
            md.AppendLine(CultureInfo.InvariantCulture, $"## Soak: scenario (e) through the gateway, {soak.Run.Target:N0} requests at {soak.Run.Connections} connections");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"{wrk.Requests:N0} requests in {wrk.DurationUs / 1e6:0} s ({Targets.Rps(wrk.Rps)} req/s, p50 {Targets.Ms(wrk.P50Us / 1000.0)} ms, p99 {Targets.Ms(wrk.P99Us / 1000.0)} ms); "
                + $"non-2xx {wrk.Non2xx}, socket errors {wrk.SocketErrors}: **{(soak.NoFailures && soak.ReachedTarget ? Targets.Pass : Targets.Miss)}** (zero failed responses{(soak.ReachedTarget ? "" : ", target not reached")}).");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Working set (RSS from /proc) after a {soak.WarmupSeconds:0} s warm-up, growth to the end (< {SoakReport.GrowthLimitPercent:0} %): **{(soak.GrowthWithinLimit ? Targets.Pass : Targets.Miss)}**. Thread-pool queue: `system_runtime_dotnet_thread_pool_queue_length` from each .NET process's /metrics (the runtime's `System.Runtime` meter).");
            md.AppendLine();
            md.AppendLine("| process | RSS after warm-up MB | RSS at end MB | max MB | growth | max thread-pool queue |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|");
            foreach (var p in soak.Processes)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {p.Process} | {p.RssAtWarmupMb:0.0} | {p.RssAtEndMb:0.0} | {p.RssMaxMb:0.0} | {p.GrowthPercent:+0.0;-0.0} % | {(p.MaxThreadPoolQueue is { } q ? q.ToString("0", CultureInfo.InvariantCulture) : "–")} |");
            }

            md.AppendLine();
        }

        if (chart)
        {
            md.AppendLine("![req/s and p99 per scenario and system](chart.png)");
            md.AppendLine();
        }

        md.AppendLine("Raw data: `results.json` (every run: system, scenario, connections, req/s, p50, p99, non-2xx, socket errors).");
        return md.ToString();
    }
}
