using System.Globalization;

namespace ScalableApi.Bench.Reporting;

/// <summary>One sample of soak-samples.csv: a process's resident set and (for .NET processes) thread-pool queue.</summary>
internal sealed record SoakSample(double Seconds, string Process, long RssBytes, double? ThreadPoolQueue);

internal sealed record SoakProcess(string Process, double RssAtWarmupMb, double RssAtEndMb, double RssMaxMb, double GrowthPercent, double? MaxThreadPoolQueue);

/// <summary>
/// The soak's verdict: every response 2xx/3xx; after the warm-up, each process's resident set at the end is
/// less than 10 % above what it was when warm-up ended; the thread-pool queue's maximum (bounded = it never
/// runs away; reported as measured).
/// </summary>
internal sealed record SoakReport(RawSoak Run, double WarmupSeconds, IReadOnlyList<SoakProcess> Processes)
{
    public const double GrowthLimitPercent = 10;

    public bool NoFailures => Run.Wrk.Non2xx == 0 && Run.Wrk.SocketErrors == 0;

    public bool GrowthWithinLimit => Processes.All(p => p.GrowthPercent < GrowthLimitPercent);

    public bool ReachedTarget => Run.Wrk.Requests >= Run.Target;

    public static SoakReport? Load(string directory, double warmupSeconds)
    {
        var runFile = Path.Combine(directory, "soak.jsonl");
        var samplesFile = Path.Combine(directory, "soak-samples.csv");
        if (!File.Exists(runFile) || !File.Exists(samplesFile))
        {
            return null;
        }

        var run = Json.ReadLines<RawSoak>(runFile).LastOrDefault();
        if (run is null)
        {
            return null;
        }

        var samples = File.ReadLines(samplesFile)
            .Skip(1)
            .Select(line => line.Split(','))
            .Where(f => f.Length >= 4)
            .Select(f => new SoakSample(
                double.Parse(f[0], CultureInfo.InvariantCulture),
                f[1],
                long.Parse(f[2], CultureInfo.InvariantCulture),
                double.TryParse(f[3], NumberStyles.Float, CultureInfo.InvariantCulture, out var q) ? q : null))
            .ToArray();

        var processes = samples.GroupBy(s => s.Process, StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderBy(s => s.Seconds).ToArray();
                var warm = ordered.FirstOrDefault(s => s.Seconds >= warmupSeconds) ?? ordered[0];
                var end = ordered[^1];
                var queues = ordered.Where(s => s.ThreadPoolQueue is not null).Select(s => s.ThreadPoolQueue!.Value).ToArray();
                return new SoakProcess(
                    g.Key,
                    warm.RssBytes / 1048576.0,
                    end.RssBytes / 1048576.0,
                    ordered.Where(s => s.Seconds >= warm.Seconds).Max(s => s.RssBytes) / 1048576.0,
                    100.0 * (end.RssBytes - warm.RssBytes) / warm.RssBytes,
                    queues.Length == 0 ? null : queues.Max());
            })
            .OrderBy(p => p.Process, StringComparer.Ordinal)
            .ToArray();
        return new SoakReport(run, warmupSeconds, processes);
    }
}
