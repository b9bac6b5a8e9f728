namespace ScalableApi.Bench.Reporting;

/// <summary>The line bench/scenarios/lib/bench.lua prints in wrk's done(): latencies in microseconds.</summary>
internal sealed record WrkResult(
    long Requests,
    long DurationUs,
    long Bytes,
    double Rps,
    long P50Us,
    long P90Us,
    long P99Us,
    long MaxUs,
    double MeanUs,
    long Non2xx,
    WrkErrors Errors,
    long? Pages = null,
    long? WalksCompleted = null)
{
    public long SocketErrors => Errors.Connect + Errors.Read + Errors.Write + Errors.Timeout;
}

internal sealed record WrkErrors(long Connect, long Read, long Write, long Timeout);

/// <summary>One measured wrk run of the scenario matrix (scenarios.jsonl), or of the scaling curve (scaling.jsonl, with <see cref="Replicas"/>).</summary>
internal sealed record RawRun(string System, string Scenario, int Connections, int Round, WrkResult Wrk, int? Replicas = null);

/// <summary>The soak's one wrk run (soak.jsonl).</summary>
internal sealed record RawSoak(long Target, int Connections, WrkResult Wrk);
