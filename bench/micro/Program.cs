using BenchmarkDotNet.Running;

namespace ScalableApi.Bench.Micro;

/// <summary>Runs the benchmarks named by --filter (BenchmarkDotNet's own arguments), e.g. --filter '*LoadBalancing*' --job short.</summary>
internal static class BenchmarkEntryPoint
{
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntryPoint).Assembly).Run(args);
}
