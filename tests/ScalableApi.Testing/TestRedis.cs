using System.Diagnostics;
using Garnet;
using Garnet.server;

namespace ScalableApi.Testing;


/// <summary>
/// A Redis-protocol server for a test. <see cref="Start(RedisStoreKind)"/> gives the store of one kind: an embedded
/// Garnet on a free loopback port, or the shared redis-server named by <see cref="EnvironmentVariable"/> (started
/// by .ci/run). <see cref="StartStoppable"/> gives a store the test owns and may stop and restart on the same port:
/// Garnet again, or a redis-server process of its own. Suites for both kinds are
/// <c>abstract class XxxTests(RedisStoreKind store)</c> + <c>GarnetXxxTests</c> / <c>RedisServerXxxTests</c>, so the
/// store is in every test's name (.ci/run counts passed <c>RedisServer</c> tests like it counts PostgreSQL ones).
/// </summary>
public sealed partial class TestRedis : IDisposable
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
    public static TestRedis StartEmbedded() => StartGarnet(LoopbackPorts.Free());

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
        var store = new TestRedis(RedisStoreKind.RedisServer, "127.0.0.1", LoopbackPorts.Free(), owned: true, folder);
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

    private static string? FindOnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);
}
