using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace ScalableApi.Bench.Chaos;

/// <summary>Answers counted per second of the run, reads and write attempts apart, with failures by kind.</summary>
internal sealed class Timeline(int seconds)
{
    private readonly long[] _readsOk = new long[seconds + 30];
    private readonly long[] _readsFailed = new long[seconds + 30];
    private readonly long[] _writesOk = new long[seconds + 30];
    private readonly long[] _writesFailed = new long[seconds + 30];

    public ConcurrentDictionary<string, long> ReadFailures { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, long> WriteFailures { get; } = new(StringComparer.Ordinal);

    public long Retries;

    public void Read(TimeSpan started, Outcome outcome) => Count(started, outcome, _readsOk, _readsFailed, ReadFailures);

    public void Write(TimeSpan started, Outcome outcome, bool retry)
    {
        if (retry)
        {
            Interlocked.Increment(ref Retries);
        }

        Count(started, outcome, _writesOk, _writesFailed, WriteFailures);
    }

    public long[] ReadsOk => _readsOk;

    public long[] ReadsFailed => _readsFailed;

    public long[] WritesOk => _writesOk;

    public long[] WritesFailed => _writesFailed;

    private static void Count(TimeSpan started, Outcome outcome, long[] ok, long[] failed, ConcurrentDictionary<string, long> kinds)
    {
        var second = Math.Min((int)started.TotalSeconds, ok.Length - 1);
        if (outcome.Succeeded)
        {
            Interlocked.Increment(ref ok[second]);
            return;
        }

        Interlocked.Increment(ref failed[second]);
        kinds.AddOrUpdate(outcome.Kind, 1, static (_, n) => n + 1);
    }
}

/// <summary>One fault's figures, as bench/chaos writes them to FAULT.json and a row of results.md.</summary>
internal sealed record ChaosReport(
    string Fault,
    int Seconds,
    double FaultAt,
    long Reads,
    long FailedReads,
    IReadOnlyDictionary<string, long> ReadFailures,
    long WriteAttempts,
    long FailedWriteAttempts,
    long Retries,
    IReadOnlyDictionary<string, long> WriteFailures,
    int Posts,
    int Acknowledged,
    int GaveUp,
    int Lost,
    int Duplicated,
    int StoredThoughGaveUp,
    double? FailuresFromSecond,
    double? FailuresUntilSecond,
    double RecoveredAfterSeconds,
    long[] ReadsOkPerSecond,
    long[] ReadsFailedPerSecond,
    long[] WritesOkPerSecond,
    long[] WritesFailedPerSecond)
{
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static ChaosReport Of(ChaosSettings settings, Timeline timeline, IReadOnlyList<WriteOutcome> written, Dictionary<string, int> stored)
    {
        var failedSeconds = Enumerable.Range(0, timeline.ReadsFailed.Length)
            .Where(s => timeline.ReadsFailed[s] + timeline.WritesFailed[s] > 0)
            .ToArray();
        double? from = failedSeconds.Length > 0 ? failedSeconds[0] : null;
        double? until = failedSeconds.Length > 0 ? failedSeconds[^1] + 1 : null;
        var length = settings.Seconds + 1;
        return new ChaosReport(
            settings.Fault,
            settings.Seconds,
            settings.FaultAt,
            timeline.ReadsOk.Sum() + timeline.ReadsFailed.Sum(),
            timeline.ReadsFailed.Sum(),
            new SortedDictionary<string, long>(timeline.ReadFailures, StringComparer.Ordinal),
            timeline.WritesOk.Sum() + timeline.WritesFailed.Sum(),
            timeline.WritesFailed.Sum(),
            timeline.Retries,
            new SortedDictionary<string, long>(timeline.WriteFailures, StringComparer.Ordinal),
            written.Count,
            written.Count(w => w.Acknowledged),
            written.Count(w => !w.Acknowledged),
            written.Count(w => w.Acknowledged && !stored.ContainsKey(w.Title)),
            stored.Values.Count(n => n > 1),
            written.Count(w => !w.Acknowledged && stored.ContainsKey(w.Title)),
            from,
            until,
            until is { } end ? Math.Max(0, end - settings.FaultAt) : 0,
            timeline.ReadsOk[..length],
            timeline.ReadsFailed[..length],
            timeline.WritesOk[..length],
            timeline.WritesFailed[..length]);
    }

    /// <summary>The row of results.md: what a reader compares against the targets.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"| {Fault} | {Reads:N0} | {FailedReads} | {WriteAttempts:N0} | {FailedWriteAttempts} | {Acknowledged:N0} of {Posts:N0} | {Lost} | {Duplicated} | {Kinds()} | {(FailuresFromSecond is null ? "no failure" : $"{RecoveredAfterSeconds:0} s")} |");

    private string Kinds()
    {
        var kinds = ReadFailures.Select(k => $"read {k.Key} ×{k.Value}").Concat(WriteFailures.Select(k => $"write {k.Key} ×{k.Value}")).ToList();
        return kinds.Count == 0 ? "none" : string.Join(", ", kinds);
    }
}
