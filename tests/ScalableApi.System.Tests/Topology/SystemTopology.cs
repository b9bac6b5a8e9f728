using ScalableApi.Topology;

namespace ScalableApi.System.Tests.Topology;

/// <summary>
/// The whole system as real processes, configured like the AppHost does (see <c>src/ScalableApi.AppHost/Topology.cs</c>):
/// a Redis-protocol store, SQLite files in a temp data directory, N replicas of each service started as
/// <c>dotnet {Service}.dll --urls http://127.0.0.1:{port}</c> that register themselves for discovery, and the gateway
/// in front. Ready when every process answers /health/ready and the gateway's /metrics shows every replica healthy.
/// Builds nothing (see <see cref="ServiceBinaries"/>); kills every child on dispose. Reusable outside xunit:
/// <c>await using</c> is not available on xunit 2's lifetime, so call <see cref="InitializeAsync"/> and <see cref="DisposeAsync"/>.
/// </summary>
public partial class SystemTopology : IAsyncLifetime
{
    public const string Users = TopologyServices.Users;
    public const string Catalog = TopologyServices.Catalog;
    public const string Content = TopologyServices.Content;
    public const string Gateway = TopologyServices.Gateway;

    public static IReadOnlyList<string> Services => TopologyServices.Services;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly SystemTopologyOptions _options;
    private readonly Lock _gate = new();
    private readonly List<Replica> _running = [];
    private readonly List<ChildProcess> _all = [];
    private readonly Dictionary<string, int> _lastIndex = new(StringComparer.Ordinal);
    private readonly HttpClient _probe = new() { Timeout = TimeSpan.FromSeconds(3) };
    private TestRedis? _redis;
    private OrphanGuard? _guard;
    private ChildProcess? _gateway;
    private HttpClient? _gatewayClient;
    private readonly Lazy<Task<HttpClient>> _secondGateway;
    private HttpClient? _secondGatewayClient;

    public SystemTopology()
        : this(new SystemTopologyOptions())
    {
    }

    protected SystemTopology(SystemTopologyOptions options)
    {
        _options = options;
        Directory = Path.Combine(Path.GetTempPath(), "scalableapi-system", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6]);
        LogDirectory = Path.Combine(Directory, "logs");
        DataDirectory = Path.Combine(Directory, "data");
        GatewayAddress = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        // Store channels are not per database: the edge caches' purges and the revocations of another topology on a
        // shared redis-server (another run, another collection) would reach this one's processes (post:1, user 5 name both).
        EdgePurgeChannel = "scalableapi:edge-cache:purge:" + Path.GetFileName(Directory);
        _secondGateway = new Lazy<Task<HttpClient>>(StartSecondGatewayAsync);
    }

    /// <summary>Temp folder of this topology: <c>data/</c> (SQLite files, signing keys) and <c>logs/</c> (one stdout and stderr file per process).</summary>
    public string Directory { get; }

    public string LogDirectory { get; }

    public string DataDirectory { get; }

    public Uri GatewayAddress { get; }

    /// <summary>The purge channel of this topology's gateways and services (theirs alone).</summary>
    public string EdgePurgeChannel { get; }

    /// <summary>StackExchange.Redis configuration string the processes use.</summary>
    public string RedisConnectionString { get; private set; } = "";

    /// <summary>A client of the gateway (no redirects, no cookies); safe for concurrent use.</summary>
    public HttpClient GatewayClient => _gatewayClient ?? throw new InvalidOperationException("The topology is not started.");

    /// <summary>
    /// A client of a second gateway in front of the same replicas and store (started on first use, stopped with the
    /// topology): the edge cache is per gateway, and only purges keep two of them coherent.
    /// </summary>
    public Task<HttpClient> SecondGatewayClientAsync() => _secondGateway.Value;

    public ChildProcess GatewayProcess => _gateway ?? throw new InvalidOperationException("The topology is not started.");

    /// <summary>Replicas started and not stopped or killed, in start order.</summary>
    public IReadOnlyList<Replica> Replicas
    {
        get
        {
            lock (_gate)
            {
                return [.. _running];
            }
        }
    }

    public IReadOnlyList<Replica> ReplicasOf(string service) => [.. Replicas.Where(r => r.Service == service)];

    public static async Task<SystemTopology> StartAsync(SystemTopologyOptions? options = null)
    {
        var topology = new SystemTopology(options ?? new SystemTopologyOptions());
        await topology.InitializeAsync();
        return topology;
    }

    public async Task InitializeAsync()
    {
        global::System.IO.Directory.CreateDirectory(LogDirectory);
        global::System.IO.Directory.CreateDirectory(DataDirectory);
        try
        {
            _guard = new OrphanGuard(Directory);
            _redis = TestRedis.Start();
            RedisConnectionString = await IsolatedRedisAsync(_redis.ConnectionString);
            _gatewayClient = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            {
                BaseAddress = GatewayAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };

            // Everything starts at once: the services fetch the gateway's JWKS only when a token first arrives.
            var replicas = new List<Replica>();
            for (var i = 0; i < _options.Replicas; i++)
            {
                replicas.AddRange(Services.Select(Launch));
            }

            _gateway = LaunchGateway();
            using var deadline = new CancellationTokenSource(_options.StartTimeout);
            await Task.WhenAll(replicas.Select(r => WaitUntilReadyAsync(r.Process, r.BaseAddress, deadline.Token))
                .Append(WaitUntilReadyAsync(_gateway, GatewayAddress, deadline.Token)));
            await WaitUntilRoutedAsync(replicas, deadline.Token);
        }
        catch (Exception ex)
        {
            var tails = Tails();
            await DisposeAsync();
            throw new InvalidOperationException($"The system topology did not start: {ex.Message}{Environment.NewLine}{tails}", ex);
        }
    }

    /// <summary>
    /// Starts one more replica of <paramref name="service"/> and waits until it is ready and, when
    /// <paramref name="waitUntilRouted"/>, until the gateway shows it healthy.
    /// </summary>
    public async Task<Replica> StartReplicaAsync(string service, bool waitUntilRouted = true)
    {
        var replica = Launch(service);
        using var deadline = new CancellationTokenSource(_options.StartTimeout);
        await WaitUntilReadyAsync(replica.Process, replica.BaseAddress, deadline.Token);
        if (waitUntilRouted)
        {
            await WaitUntilRoutedAsync([replica], deadline.Token);
        }

        return replica;
    }

    /// <summary>SIGTERM, then waits for the process to drain and exit.</summary>
    public async Task StopReplicaGracefullyAsync(Replica replica)
    {
        Forget(replica);
        replica.Process.Terminate();
        if (!await replica.Process.WaitForExitAsync(StopTimeout))
        {
            throw new InvalidOperationException($"{replica} did not exit within {StopTimeout.TotalSeconds} s of SIGTERM.{Environment.NewLine}{replica.Process.Tail()}");
        }
    }

    /// <summary>SIGKILL: the replica dies without draining or deregistering.</summary>
    public void KillReplica(Replica replica)
    {
        Forget(replica);
        replica.Process.Kill();
    }

    /// <summary>The gateway's /metrics, parsed.</summary>
    public Task<MetricsSnapshot> MetricsAsync(CancellationToken cancellationToken = default) => MetricsAsync(GatewayAddress, cancellationToken);

    private async Task<MetricsSnapshot> MetricsAsync(Uri gateway, CancellationToken cancellationToken)
    {
        using var response = await _probe.GetAsync(new Uri(gateway, "/metrics"), cancellationToken);
        response.EnsureSuccessStatusCode();
        return MetricsSnapshot.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>The gateway's destination id of <paramref name="replica"/>, once the gateway knows it.</summary>
    public async Task<string?> DestinationIdAsync(Replica replica) =>
        (await MetricsAsync()).Healthy(replica.Service).Keys.FirstOrDefault(replica.IsDestination);

    /// <summary>The end of every process's output, for failure messages.</summary>
    public string Tails(int lines = 25)
    {
        ChildProcess[] all;
        lock (_gate)
        {
            all = [.. _all];
        }

        var text = new StringBuilder($"logs in {LogDirectory}{Environment.NewLine}");
        foreach (var child in all)
        {
            text.Append(child.Tail(lines));
        }

        return text.ToString();
    }

    public Task DisposeAsync()
    {
        ChildProcess[] all;
        lock (_gate)
        {
            all = [.. _all];
            _all.Clear();
            _running.Clear();
        }

        foreach (var child in all)
        {
            child.Kill();
        }

        foreach (var child in all)
        {
            child.Dispose();
        }

        _guard?.Dispose();
        _gatewayClient?.Dispose();
        _secondGatewayClient?.Dispose();
        _probe.Dispose();
        _redis?.Dispose();
        if (Environment.GetEnvironmentVariable("SCALABLEAPI_SYSTEM_KEEP") is not "1")
        {
            try
            {
                global::System.IO.Directory.Delete(Directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open: the OS cleans the temp folder later.
            }
        }

        GC.SuppressFinalize(this);
        return Task.CompletedTask;
    }

    private void Forget(Replica replica)
    {
        lock (_gate)
        {
            _running.Remove(replica);
        }
    }
}
