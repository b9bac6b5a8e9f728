using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace ScalableApi.Bench.Micro;

/// <summary>
/// Runs the benchmarks named by --filter (BenchmarkDotNet's own arguments), e.g. --filter '*'. Without --job, every
/// benchmark runs BenchmarkDotNet's ShortRun (1 launch, 3 warm-ups, 3 iterations): the whole suite in a few minutes.
/// </summary>
internal static class BenchmarkEntryPoint
{
    private static void Main(string[] args)
    {
        var jobGiven = args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal));
        // BenchmarkDotNet builds a boilerplate project first; on a busy shared machine its default 2-minute build
        // timeout is not enough.
        IConfig config = ManualConfig.Create(DefaultConfig.Instance).WithBuildTimeout(TimeSpan.FromMinutes(10));
        config = jobGiven ? config : config.AddJob(Job.ShortRun);
        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntryPoint).Assembly).Run(args, config);
    }
}
