using System.Diagnostics;

namespace ScalableApi.Deploy.Tests.Support;

/// <summary>
/// One process run from its publish output the way its image runs it: <c>dotnet X.dll</c> in the app folder with the
/// Dockerfile's ENV, except the port (a free one here, 8080 in the image) and the data folder (a temporary one).
/// </summary>
internal sealed class PublishedProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PublishedProcess(Repository.Process image, string appDirectory, string dataDirectory, int port, Process process)
    {
        Image = image;
        AppDirectory = appDirectory;
        DataDirectory = dataDirectory;
        Port = port;
        _process = process;
    }

    public Repository.Process Image { get; }

    public string AppDirectory { get; }

    public string DataDirectory { get; }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>What the process wrote to stdout and stderr so far (its JSON log lines).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static PublishedProcess Start(Repository.Process image, string appDirectory, string dataDirectory, IReadOnlyDictionary<string, string> imageEnvironment, IReadOnlyDictionary<string, string> settings)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = appDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(image.Project + ".dll");
        // A container starts from the image's environment, not the test runner's.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k.StartsWith("DOTNET_", StringComparison.Ordinal) || k.Contains("__", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in imageEnvironment.Concat(settings))
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Platform__DataDirectory"] = dataDirectory;
        Directory.CreateDirectory(dataDirectory);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{image.Name} did not start");
        var published = new PublishedProcess(image, appDirectory, dataDirectory, port, process);
        process.OutputDataReceived += (_, e) => published.Append(e.Data);
        process.ErrorDataReceived += (_, e) => published.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return published;
    }

    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Image.Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Image.Name} not ready within {timeout.TotalSeconds} s:\n{Output}");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
