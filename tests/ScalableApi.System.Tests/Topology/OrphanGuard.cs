using System.Diagnostics;

namespace ScalableApi.System.Tests.Topology;

/// <summary>
/// A test host killed outright (SIGKILL from an aborted <c>dotnet test</c>) runs no ProcessExit hook. This small
/// <c>sh</c> watchdog outlives it: once the host's pid is gone it SIGKILLs every pid listed in a file, so no
/// replica keeps running (and holding ports and registrations) after an aborted run.
/// </summary>
internal sealed class OrphanGuard : IDisposable
{
    private const string Script =
        "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; for pid in $(cat \"$2\"); do kill -KILL \"$pid\" 2>/dev/null; done";

    private readonly string _pidFile;
    private readonly Process? _watchdog;
    private readonly Lock _gate = new();

    public OrphanGuard(string directory)
    {
        _pidFile = Path.Combine(directory, "children.pid");
        File.WriteAllText(_pidFile, "");
        try
        {
            _watchdog = Process.Start(new ProcessStartInfo("sh")
            {
                ArgumentList = { "-c", Script, "scalableapi-orphan-guard", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), _pidFile },
                UseShellExecute = false,
            });
        }
        catch (global::System.ComponentModel.Win32Exception)
        {
            // No sh (not a Unix): the ProcessExit hook and Dispose still clean up.
        }
    }

    public void Watch(int pid)
    {
        lock (_gate)
        {
            File.AppendAllText(_pidFile, pid.ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }

    public void Dispose()
    {
        if (_watchdog is null)
        {
            return;
        }

        try
        {
            _watchdog.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _watchdog.Dispose();
    }
}
