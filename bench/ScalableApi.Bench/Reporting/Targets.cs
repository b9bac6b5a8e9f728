using System.Globalization;

namespace ScalableApi.Bench.Reporting;

/// <summary>One acceptance ratio of issue #5 point 4, evaluated on the medians of one run.</summary>
internal sealed record TargetResult(string Target, int? Connections, string Measured, string Status);

/// <summary>
/// The ratios of issue #5 point 4 as issue #13 point 5 raised them, from the medians: (a-edge) our gateway with
/// its edge cache ≥ 5× the stronger seed layout (two Express processes behind nginx with upstream keepalive) at
/// equal connections, with a lower p99, and at least nginx proxy_cache's throughput in front of the same two with
/// no stale read after a write's response (the staleness probe); (a) with the edge cache off ≥ 75 % of bare YARP
/// in front of the same two replicas; (b) one catalog replica ≥ 45 % of bare Kestrel's /json; the gateway's hop
/// keeps at least the share of direct throughput that nginx's hop keeps; no failed response in any read scenario.
/// </summary>
internal static class Targets
{
    public const string Pass = "PASS";
    public const string Miss = "MISS";
    public const string NotRun = "n/a";
    public const string Info = "context";

    public static IReadOnlyList<TargetResult> Evaluate(IReadOnlyList<Median> medians, bool replica = false, IReadOnlyList<Staleness>? staleness = null)
    {
        var results = new List<TargetResult>();
        var connections = medians.Where(m => m.Replicas is null).Select(m => m.Connections).Distinct().Order().ToArray();
        foreach (var c in connections)
        {
            var ours = Find(medians, "ours-gateway", "a", c);
            var seed = Find(medians, "express-2-nginx-keepalive", "a", c);
            const string EdgeTarget = "(a-edge) gateway with its edge cache ≥ 5× two Express + nginx keepalive, lower p99";
            results.Add(Compare(EdgeTarget, c, ours, seed, static (x, y) => (
                $"{Ratio(x.Rps, y.Rps)}× ({Rps(x.Rps)} vs {Rps(y.Rps)} req/s); p99 {Ms(x.P99Ms)} vs {Ms(y.P99Ms)} ms",
                x.Rps >= 5 * y.Rps && x.P99Ms < y.P99Ms)));

            // Like with like: two caching edges, each with a write a second to one product during the load.
            const string CacheTarget = "(a-edge) gateway ≥ nginx proxy_cache → two Express, 0 stale reads after a write's response";
            var nginxCache = Find(medians, "express-2-nginx-cache", "a", c);
            var oursProbe = staleness?.FirstOrDefault(p => p.System == "ours-gateway" && p.Connections == c);
            var nginxProbe = staleness?.FirstOrDefault(p => p.System == "express-2-nginx-cache" && p.Connections == c);
            results.Add(ours is null || nginxCache is null || oursProbe is null
                ? new(CacheTarget, c, "not measured", NotRun)
                : new(
                    CacheTarget,
                    c,
                    $"{Ratio(ours.Rps, nginxCache.Rps)}× ({Rps(ours.Rps)} vs {Rps(nginxCache.Rps)} req/s); ours {oursProbe.Summary}; nginx {nginxProbe?.Summary ?? "not probed"}",
                    ours.Rps >= nginxCache.Rps && oursProbe.StaleReads == 0 && oursProbe.Writes > 0 && oursProbe.WriteErrors == 0 ? Pass : Miss));

            const string EdgeOffTarget = "(a) gateway, edge cache off, ≥ 75 % of bare YARP → the same 2 replicas";
            var edgeOff = Find(medians, "ours-gateway-edge-off", "a", c);
            var bareYarp = Find(medians, "yarp-bare-2", "a", c);
            results.Add(Compare(EdgeOffTarget, c, edgeOff, bareYarp, static (x, y) => (
                $"{Percent(x.Rps, y.Rps)} ({Rps(x.Rps)} vs {Rps(y.Rps)} req/s)",
                x.Rps >= 0.75 * y.Rps)));

            var direct = Find(medians, "catalog-direct", "b", c);
            var kestrel = Find(medians, "kestrel-json", "b", c);
            results.Add(Compare("(b) one catalog replica ≥ 45 % of bare Kestrel /json", c, direct, kestrel, static (x, y) => (
                $"{Percent(x.Rps, y.Rps)} ({Rps(x.Rps)} vs {Rps(y.Rps)} req/s)",
                x.Rps >= 0.45 * y.Rps)));

            // Like with like: our gateway and nginx, each in front of the same single replica.
            var nginx = Find(medians, "nginx-catalog", "b", c);
            var hop = Find(medians, "ours-gateway-catalog", "b", c);
            results.Add(hop is null || direct is null || nginx is null
                ? new("gateway hop keeps ≥ the throughput share nginx's hop keeps", c, "not measured", NotRun)
                : new(
                    "gateway hop keeps ≥ the throughput share nginx's hop keeps",
                    c,
                    $"our gateway keeps {Percent(hop.Rps, direct.Rps)} of direct ({Rps(hop.Rps)} req/s), nginx {Percent(nginx.Rps, direct.Rps)} ({Rps(nginx.Rps)} req/s), same replica",
                    hop.Rps >= nginx.Rps ? Pass : Miss));

            // Not targets: where the misses above come from. Bare YARP is the floor of a YARP gateway on this machine.
            if (bareYarp is not null && seed is not null)
            {
                results.Add(new(
                    "(a) context: bare YARP → the same 2 replicas",
                    c,
                    $"{Ratio(bareYarp.Rps, seed.Rps)}× the seed layout ({Rps(bareYarp.Rps)} req/s)",
                    Info));
            }

            // Issue #14 point 5: with a standby (bench/run --replica), the signed-in mix doubles the stronger seed layout.
            if (replica)
            {
                var mixed = Find(medians, "ours-gateway", "e", c);
                var mixedSeed = Find(medians, "express-2-nginx-keepalive", "e", c);
                results.Add(Compare("(e) with a standby: gateway ≥ 2× two Express + nginx keepalive", c, mixed, mixedSeed, static (x, y) => (
                    $"{Ratio(x.Rps, y.Rps)}× ({Rps(x.Rps)} vs {Rps(y.Rps)} req/s); p99 {Ms(x.P99Ms)} vs {Ms(y.P99Ms)} ms",
                    x.Rps >= 2 * y.Rps)));
            }

            var yarp1 = Find(medians, "yarp-bare-catalog", "b", c);
            if (yarp1 is not null && direct is not null && nginx is not null)
            {
                results.Add(new(
                    "(b) context: a bare YARP hop vs nginx's, same replica",
                    c,
                    $"bare YARP keeps {Percent(yarp1.Rps, direct.Rps)} of direct ({Rps(yarp1.Rps)} req/s), nginx {Percent(nginx.Rps, direct.Rps)}",
                    Info));
            }
        }

        var reads = medians.Where(m => Catalogue.Scenario(m.Scenario).IsRead && m.System is "ours-gateway" or "ours-gateway-edge-off" or "ours-gateway-catalog" or "catalog-direct" or "nginx-catalog").ToArray();
        var failed = reads.Where(m => m.Failed).ToArray();
        results.Add(new(
            "no non-2xx (nor socket error) in any read scenario of ours",
            null,
            reads.Length == 0
                ? "not measured"
                : failed.Length == 0
                    ? $"{reads.Length} scenario × connections cells, all clean"
                    : string.Join("; ", failed.Select(f => $"{f.System} ({f.Scenario}) c={f.Connections}: {f.Non2xx} non-2xx, {f.SocketErrors} socket errors")),
            reads.Length == 0 ? NotRun : failed.Length == 0 ? Pass : Miss));
        return results;
    }

    /// <summary>A target on two medians: "not measured" when either is missing, else what <paramref name="evaluate"/> says of them.</summary>
    private static TargetResult Compare(string target, int connections, Median? candidate, Median? baseline, Func<Median, Median, (string Measured, bool Holds)> evaluate)
    {
        if (candidate is null || baseline is null)
        {
            return new(target, connections, "not measured", NotRun);
        }

        var (measured, holds) = evaluate(candidate, baseline);
        return new(target, connections, measured, holds ? Pass : Miss);
    }

    private static Median? Find(IReadOnlyList<Median> medians, string system, string scenario, int connections) =>
        medians.FirstOrDefault(m => m.System == system && m.Scenario == scenario && m.Connections == connections && m.Replicas is null);

    public static string Rps(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);

    private static string Ratio(double a, double b) => (a / b).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Percent(double a, double b) => (a / b).ToString("P0", CultureInfo.InvariantCulture);
}
