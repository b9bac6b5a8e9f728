using System.Reflection;

namespace ScalableApi.System.Tests.Topology;

/// <summary>
/// Where the built services are: <c>src/{Project}/bin/{Configuration}/net10.0/{Project}.dll</c> of the same
/// configuration as this test assembly (the test project references the services, so <c>dotnet test</c> builds
/// them first). Nothing is built here. <c>SCALABLEAPI_SYSTEM_BIN</c> may name a folder holding one sub-folder per
/// project instead (e.g. <c>dotnet publish</c> outputs for the benchmark runner).
/// </summary>
public static class ServiceBinaries
{
    public const string OverrideVariable = "SCALABLEAPI_SYSTEM_BIN";

    /// <summary>The folder a service process runs in (its content root, so its appsettings.json is found).</summary>
    public static string DirectoryOf(string project)
    {
        var folder = Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } root
            ? Path.Combine(root, project)
            : Path.Combine(Metadata("ScalableApi.SourceRoot"), project, "bin", Metadata("ScalableApi.Configuration"), "net10.0");
        if (!File.Exists(Path.Combine(folder, project + ".dll")))
        {
            throw new InvalidOperationException($"{project}.dll not found in {folder}: build the service projects first (dotnet build tests/ScalableApi.System.Tests does).");
        }

        return folder;
    }

    /// <summary>The dotnet host running this test, so children use the same runtime.</summary>
    public static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string Metadata(string key) =>
        typeof(ServiceBinaries).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing from the test project.");
}
