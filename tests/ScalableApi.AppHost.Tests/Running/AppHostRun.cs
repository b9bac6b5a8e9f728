using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ScalableApi.AppHost.Tests.Running;

/// <summary>
/// The real AppHost, as <c>dotnet run --project src/ScalableApi.AppHost -- --https …</c> runs it (its built dll, this
/// test build's configuration): 2 replicas of each service on SQLite in a temporary data directory, embedded Garnet,
/// the gateway on HTTPS on a free port. Ready when it prints its banner; stopped with SIGTERM as a user would.
/// </summary>
public sealed class AppHostRun : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(150);
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "scalableapi-tests", "apphost-" + Guid.NewGuid().ToString("N"));

    public int Port { get; } = FreePort();

    public int ProcessId => _process!.Id;

    public Uri Gateway => new($"https://127.0.0.1:{Port}");

    public string CertificatePath => Path.Combine(DataDirectory, "tls", "gateway-cert.pem");

    public string Output => string.Join(Environment.NewLine, _output);

    public async Task InitializeAsync()
    {
        var dll = Path.Combine(Metadata("ScalableApi.SourceRoot"), "ScalableApi.AppHost", "bin", Metadata("ScalableApi.Configuration"), "net10.0", "ScalableApi.AppHost.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            ArgumentList = { dll, "--https", "--port", Port.ToString(CultureInfo.InvariantCulture), "--data-dir", DataDirectory, "--replicas", "2" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Record(e.Data);
        _process.ErrorDataReceived += (_, e) => Record(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (!_output.Any(line => line.Contains("ScalableApi is ready", StringComparison.Ordinal)))
        {
            if (_process.HasExited || deadline.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"The AppHost did not get ready within {StartTimeout.TotalSeconds} s:{Environment.NewLine}{Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>A client whose TLS trusts only the certificate the AppHost made.</summary>
    public HttpClient CreateClient()
    {
        using var trusted = X509Certificate2.CreateFromPem(File.ReadAllText(CertificatePath));
        var thumbprint = trusted.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                    presented is not null && presented.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
            },
        };
        return new HttpClient(handler) { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>
    /// This run's processes of <paramref name="project"/> (the service binaries, not <c>dotnet run</c>): the orchestrator
    /// runs detached from the AppHost, so they are found by program and by the data directory in their environment.
    /// </summary>
    public IReadOnlyList<int> ServiceProcesses(string project) =>
        [.. ProcessTree.WithEnvironment("Platform__DataDirectory=" + DataDirectory).Where(pid => ProcessTree.Program(pid) is { } program
            && (program.EndsWith("/" + project, StringComparison.Ordinal) || program.EndsWith("/" + project + ".dll", StringComparison.Ordinal)))];

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", ProcessId.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
            {
                await term!.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Temp files; the OS cleans up.
        }
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Metadata(string key) =>
        typeof(AppHostRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata {key} is missing from the test project.");
}
