using System.Globalization;

namespace ScalableApi.AppHost.Tests.Running;

/// <summary>Processes from <c>/proc</c> (Linux): how a test finds the replicas the AppHost started.</summary>
internal static class ProcessTree
{
    /// <summary>Processes whose environment holds <paramref name="variable"/> (<c>NAME=value</c>) exactly.</summary>
    public static IReadOnlyList<int> WithEnvironment(string variable)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read($"/proc/{pid}/environ") is { } environment
                && environment.Split('\0').Contains(variable, StringComparer.Ordinal))
            {
                found.Add(pid);
            }
        }

        return found;
    }

    /// <summary>The first word of the process's command line, or null once it is gone.</summary>
    public static string? Program(int pid)
    {
        var cmdline = Read($"/proc/{pid}/cmdline");
        var end = cmdline?.IndexOf('\0', StringComparison.Ordinal) ?? -1;
        return end <= 0 ? null : cmdline![..end];
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
