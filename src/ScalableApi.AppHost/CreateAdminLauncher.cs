using System.Diagnostics;
using System.Reflection;
using ScalableApi.Topology;

namespace ScalableApi.AppHost;

/// <summary>
/// <c>create-admin</c>: runs the users service's own executable with its <c>create-admin</c> command and the
/// configuration the topology would give it, relays its output and exit code, and starts nothing else.
/// </summary>
internal static class CreateAdminLauncher
{
    public static async Task<int> RunAsync(CreateAdminRequest request, TopologySettings settings)
    {
        var projectPath = new Projects.ScalableApi_Users().ProjectPath;
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        var start = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            // As under Aspire: the service runs from its project folder (its appsettings.json is found there).
            WorkingDirectory = projectDirectory,
        };

        var dll = BuiltUsersAssembly(projectDirectory);
        if (dll is not null)
        {
            start.ArgumentList.Add(dll);
        }
        else
        {
            // Not built with the AppHost (unusual): let the SDK build and run it.
            foreach (var arg in new[] { "run", "--project", projectPath, "--no-launch-profile", "--" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        foreach (var arg in new[] { "create-admin", "--email", request.Email, "--password", request.Password })
        {
            start.ArgumentList.Add(arg);
        }

        if (request.Name is not null)
        {
            start.ArgumentList.Add("--name");
            start.ArgumentList.Add(request.Name);
        }

        foreach (var (key, value) in TopologyEnvironment.Storage(settings, TopologyServices.Users))
        {
            start.Environment[key] = value;
        }

        // With --redis, the running topology's store: the command replaces the user's cached profile there, so the
        // replicas see the change at once. (Embedded Garnet lives and dies with the topology's AppHost.)
        if (settings.Redis is { } redis)
        {
            start.Environment["ConnectionStrings__redis"] = redis;
        }

        Console.Error.WriteLine($"==> create-admin {request.Email} via {dll ?? projectPath} ({settings.DescribeStorage()})");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>
    /// The users assembly the AppHost build produced: same configuration and target framework as the AppHost
    /// (the AppHost runs from <c>bin/{Configuration}/{tfm}/</c>).
    /// </summary>
    private static string? BuiltUsersAssembly(string projectDirectory)
    {
        var configuration = typeof(CreateAdminLauncher).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var targetFramework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        var dll = Path.Combine(projectDirectory, "bin", configuration, targetFramework, "ScalableApi.Users.dll");
        return File.Exists(dll) ? dll : null;
    }
}
