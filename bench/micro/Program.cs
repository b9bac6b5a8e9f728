using BenchmarkDotNet.Running;

// Runs the benchmarks named by --filter (BenchmarkDotNet's own arguments), e.g. --filter '*LoadBalancing*' --job short.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
