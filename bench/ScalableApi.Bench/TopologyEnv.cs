using ScalableApi.Topology;

namespace ScalableApi.Bench;

/// <summary>
/// <c>env</c>: the topology contract (<see cref="TopologyEnvironment"/>) for one process, as <c>KEY=VALUE</c> lines, so
/// bench/run starts each process with exactly what the AppHost and the system tests give it.
/// </summary>
internal static class TopologyEnv
{
    public static int Run(Options options)
    {
        var settings = new TopologySettings
        {
            Gateway = new Uri(options.Required("gateway")),
            DataDirectory = Path.GetFullPath(options.Required("data")),
            Redis = options.Text("redis", "") is { Length: > 0 } redis ? redis : null,
            Postgres = options.Text("postgres", "") is { Length: > 0 } postgres ? postgres : null,
            RaisedRateLimits = options.Text("raised-rate-limits", "false") == "true",
            EnvironmentName = options.Text("environment", "Production"),
        };
        foreach (var (key, value) in TopologyEnvironment.For(settings, options.Required("process")).OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"{key}={value}");
        }

        return 0;
    }
}
