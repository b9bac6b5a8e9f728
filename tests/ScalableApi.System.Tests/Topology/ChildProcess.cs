using System.Collections.Concurrent;
using System.Diagnostics;

namespace ScalableApi.System.Tests.Topology;

/// <summary>
/// One child process whose stdout and stderr go to files. Every live child is also remembered in a static list
/// that a <see cref="AppDomain.ProcessExit"/> hook kills, so an aborted test run leaves nothing running.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly ConcurrentDictionary<int, ChildProcess> Live = new();

    private readonly Process _process;
    private readonly StreamWriter _stdout;
    private readonly StreamWriter _stderr;
    private int _disposed;
    private volatile bool _closed;

    static ChildProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
    }

    private ChildProcess(string name, Process process, string stdoutPath, string stderrPath)
    {
        Name = name;
        _process = process;
        StdoutPath = stdoutPath;
        StderrPath = stderrPath;
        _stdout = new StreamWriter(stdoutPath) { AutoFlush = true };
        _stderr = new StreamWriter(stderrPath) { AutoFlush = true };
    }

    public string Name { get; }

    public int Id => _process.Id;

    public string StdoutPath { get; }

    public string StderrPath { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="fileName"/> with exactly the given arguments; output goes to <c>{name}.out|err.log</c> in <paramref name="logDirectory"/>.</summary>
    public static ChildProcess Start(
        string name, string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, string logDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, Path.Combine(logDirectory, $"{name}.out.log"), Path.Combine(logDirectory, $"{name}.err.log"));
        process.OutputDataReceived += (_, e) => child.Write(child._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(child._stderr, e.Data);
        process.Start();
        Live[process.Id] = child;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGTERM: the graceful stop an orchestrator sends (the process drains, then exits).</summary>
    public void Terminate()
    {
        if (_process.HasExited)
        {
            return;
        }

        // .NET has no API for SIGTERM; kill(1) is on every Unix this runs on.
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(global::System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
    }

    /// <summary>SIGKILL to the process and its children: a crash, nothing runs after it.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    /// <summary>Waits for exit; false when it did not exit within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of stdout and stderr, for failure messages.</summary>
    public string Tail(int lines = 30)
    {
        var state = _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
        return $"----- {Name} (pid {Id}, {state}) stdout: {StdoutPath}{Environment.NewLine}{TailOf(StdoutPath, lines)}"
            + $"----- {Name} stderr: {StderrPath}{Environment.NewLine}{TailOf(StderrPath, lines)}";
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Kill();
        // Let the output pumps drain before closing the files.
        _process.WaitForExit(5000);
        Live.TryRemove(Id, out _);
        _closed = true;
        lock (_stdout)
        {
            _stdout.Dispose();
        }

        lock (_stderr)
        {
            _stderr.Dispose();
        }

        _process.Dispose();
    }

    private void Write(StreamWriter writer, string? line)
    {
        if (line is null || _closed)
        {
            return;
        }

        lock (writer)
        {
            if (!_closed)
            {
                writer.WriteLine(line);
            }
        }
    }

    private static string TailOf(string path, int lines)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join(Environment.NewLine, all.TakeLast(lines)) + Environment.NewLine;
        }
        catch (IOException ex)
        {
            return $"(unreadable: {ex.Message}){Environment.NewLine}";
        }
    }

    private static void KillAll()
    {
        foreach (var child in Live.Values)
        {
            child.Kill();
        }
    }
}
