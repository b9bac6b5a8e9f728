using System.Diagnostics;
using System.Net.Sockets;
using Garnet;
using Garnet.server;

namespace ScalableApi.Testing;

/// <summary>The two Redis-protocol stores the product supports; shared-state suites run on both.</summary>
public enum RedisStoreKind
{
    /// <summary>Embedded Garnet, the AppHost's default store (always available).</summary>
    Garnet,

    /// <summary>A real redis-server: the one named by <see cref="TestRedis.EnvironmentVariable"/>, or a private process.</summary>
    RedisServer,
}

/// <summary>
/// A Redis-protocol server for a test. <see cref="Start(RedisStoreKind)"/> gives the store of one kind: an embedded
/// Garnet on a free loopback port, or the shared redis-server named by <see cref="EnvironmentVariable"/> (started
/// by .ci/run). <see cref="StartStoppable"/> gives a store the test owns and may stop and restart on the same port:
/// Garnet again, or a redis-server process of its own. Suites for both kinds are
/// <c>abstract class XxxTests(RedisStoreKind store)</c> + <c>GarnetXxxTests</c> / <c>RedisServerXxxTests</c>, so the
/// store is in every test's name (.ci/run counts passed <c>RedisServer</c> tests like it counts PostgreSQL ones).
/// </summary>
public sealed class TestRedis : IDisposable
{
    public const string EnvironmentVariable = "SCALABLEAPI_TEST_REDIS";

    /// <summary>The binary a stoppable redis-server store runs (Debian package redis-server).</summary>
    public const string RedisServerBinary = "redis-server";

    private readonly string? _folder;
    private GarnetServer? _garnet;
    private Process? _process;

    private TestRedis(RedisStoreKind kind, string host, int port, bool owned, string? folder)
    {
        Kind = kind;
        Port = port;
        ConnectionString = $"{host}:{port}";
        Owned = owned;
        _folder = folder;
    }

    public RedisStoreKind Kind { get; }

    public int Port { get; }

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6390</c>.</summary>
    public string ConnectionString { get; }

    /// <summary>True when this test started the server (it may stop it); false for the shared redis-server.</summary>
    public bool Owned { get; }

    public bool IsRunning => _garnet is not null || _process is { HasExited: false };

    /// <summary>redis-server when <see cref="EnvironmentVariable"/> is set, else embedded Garnet (tests not split by store).</summary>
    public static TestRedis Start() =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable)) ? StartEmbedded() : Shared();

    /// <summary>An embedded Garnet whatever is configured (for tests that stop it).</summary>
    public static TestRedis StartEmbedded() => StartGarnet(FreePort());

    /// <summary>
    /// A store of <paramref name="kind"/>. The redis-server is shared by every test (and test run) using it: tests
    /// keep apart by key prefix or cache name, and must not stop it (use <see cref="StartStoppable"/>).
    /// </summary>
    public static TestRedis Start(RedisStoreKind kind)
    {
        if (kind == RedisStoreKind.Garnet)
        {
            return StartEmbedded();
        }

        SkipUnless(RedisStoreKind.RedisServer);
        return Shared();
    }

    private static TestRedis Shared()
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable)!.Trim();
        var colon = external.LastIndexOf(':');
        var port = colon > 0 && int.TryParse(external[(colon + 1)..], out var p) ? p : 6379;
        return new TestRedis(RedisStoreKind.RedisServer, colon > 0 ? external[..colon] : external, port, owned: false, null);
    }

    /// <summary>
    /// A store this test owns, on a free loopback port, that <see cref="Stop"/> takes away and <see cref="Restart"/>
    /// brings back on the same port: embedded Garnet, or a redis-server process (binary on PATH) with its files in a
    /// temp folder, no persistence (a restarted server is empty, as after a crash).
    /// </summary>
    public static TestRedis StartStoppable(RedisStoreKind kind)
    {
        if (kind == RedisStoreKind.Garnet)
        {
            return StartEmbedded();
        }

        SkipUnless(RedisStoreKind.RedisServer, needBinary: true);
        var folder = Path.Combine(Path.GetTempPath(), "scalableapi-tests", "redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var store = new TestRedis(RedisStoreKind.RedisServer, "127.0.0.1", FreePort(), owned: true, folder);
        store.StartProcess();
        return store;
    }

    /// <summary>
    /// Garnet always runs. The redis-server suites need <see cref="EnvironmentVariable"/> (a redis-server is
    /// available), and those that stop the store also the <see cref="RedisServerBinary"/> on PATH: outside CI
    /// they skip without them; under <c>CI=true</c> that is a failure, so a green CI run includes the redis-server runs.
    /// </summary>
    public static void SkipUnless(RedisStoreKind kind, bool needBinary = false)
    {
        if (kind == RedisStoreKind.Garnet)
        {
            return;
        }

        string? missing = null;
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable)))
        {
            missing = $"{EnvironmentVariable} is not set";
        }
        else if (needBinary && FindOnPath(RedisServerBinary) is null)
        {
            missing = $"{RedisServerBinary} is not on PATH";
        }

        CiRequirement.SkipUnlessPresent(missing, "redis-server");
    }

    /// <summary>Takes the store away as a crash would (its data is lost); the port stays reserved for <see cref="Restart"/>.</summary>
    public void Stop()
    {
        EnsureOwned();
        if (_garnet is { } garnet)
        {
            _garnet = null;
            garnet.Dispose();
        }

        if (_process is { } process)
        {
            _process = null;
            // SHUTDOWN NOSAVE over the protocol (what redis-cli sends); the process exits once it has closed its port.
            try
            {
                Send("SHUTDOWN NOSAVE");
            }
            catch (SocketException)
            {
                // Already gone.
            }
            catch (IOException)
            {
                // The server closes the connection as it shuts down.
            }

            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    /// <summary>Starts the store again on the same port, empty.</summary>
    public void Restart()
    {
        EnsureOwned();
        if (IsRunning)
        {
            return;
        }

        if (Kind == RedisStoreKind.Garnet)
        {
            _garnet = NewGarnet(Port);
            _garnet.Start();
        }
        else
        {
            StartProcess();
        }
    }

    public void Dispose()
    {
        if (Owned)
        {
            Stop();
        }

        if (_folder is not null)
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // The temp folder is cleaned by the OS later.
            }
        }
    }

    private static TestRedis StartGarnet(int port)
    {
        var store = new TestRedis(RedisStoreKind.Garnet, "127.0.0.1", port, owned: true, null) { _garnet = NewGarnet(port) };
        store._garnet!.Start();
        return store;
    }

    private static GarnetServer NewGarnet(int port) => new(new GarnetServerOptions
    {
        EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
        EnableLua = true,
        LuaOptions = new LuaOptions(null),
        QuietMode = true,
    });

    private void StartProcess()
    {
        var start = new ProcessStartInfo(RedisServerBinary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder!,
        };
        // Loopback only, nothing on disk but its log; in the foreground so this test owns the process.
        foreach (var arg in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _folder!,
            "--logfile", Path.Combine(_folder!, "redis.log"),
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                if (Send("PING").StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                // Not listening yet.
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(_folder!, "redis.log");
                throw new InvalidOperationException(
                    $"redis-server did not answer on port {Port}: {(File.Exists(log) ? File.ReadAllText(log) : "no log")}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>One inline command, one line of answer.</summary>
    private string Send(string command)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, Port);
        client.ReceiveTimeout = 2_000;
        using var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[256];
        var read = stream.Read(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private void EnsureOwned()
    {
        if (!Owned)
        {
            throw new InvalidOperationException("The shared redis-server is not this test's to stop: use TestRedis.StartStoppable.");
        }
    }

    private static string? FindOnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
