using ScalableApi.Topology;

namespace ScalableApi.System.Tests.Topology;

/// <summary>The processes of a <see cref="SystemTopology"/>: how each is launched, with which environment, on which store.</summary>
public partial class SystemTopology
{
    private Replica Launch(string service)
    {
        int index;
        lock (_gate)
        {
            index = _lastIndex.GetValueOrDefault(service) + 1;
            _lastIndex[service] = index;
        }

        var address = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        var process = Start(TopologyServices.ReplicaName(service, index), TopologyServices.ProjectName(service), address, EnvironmentOf(service));
        var replica = new Replica(service, index, address, process);
        lock (_gate)
        {
            _running.Add(replica);
        }

        return replica;
    }

    private ChildProcess LaunchGateway()
    {
        return Start(Gateway, TopologyServices.ProjectName(Gateway), GatewayAddress, EnvironmentOf(Gateway));
    }

    private async Task<HttpClient> StartSecondGatewayAsync()
    {
        var address = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}");
        var process = Start(Gateway + "-2", TopologyServices.ProjectName(Gateway), address, EnvironmentOf(Gateway));
        using var deadline = new CancellationTokenSource(_options.StartTimeout);
        await WaitUntilReadyAsync(process, address, deadline.Token);
        await WaitUntilRoutedAsync(Replicas, deadline.Token, address);
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(30),
        };
        lock (_gate)
        {
            _secondGatewayClient = client;
        }

        return client;
    }

    private ChildProcess Start(string name, string project, Uri address, Dictionary<string, string?> environment)
    {
        var folder = ServiceBinaries.DirectoryOf(project);
        var process = ChildProcess.Start(
            name,
            ServiceBinaries.DotnetHost,
            [Path.Combine(folder, project + ".dll"), "--urls", address.GetLeftPart(UriPartial.Authority)],
            folder,
            environment,
            LogDirectory);
        _guard?.Watch(process.Id);
        lock (_gate)
        {
            _all.Add(process);
        }

        return process;
    }

    /// <summary>
    /// What the AppHost gives <paramref name="kind"/> (the topology contract, with every client's loopback address
    /// out of the rate limits' way, as a load test would), then this topology's extras.
    /// </summary>
    private Dictionary<string, string?> EnvironmentOf(string kind)
    {
        var settings = new TopologySettings
        {
            Redis = RedisConnectionString,
            Gateway = GatewayAddress,
            DataDirectory = DataDirectory,
            DrainDelay = _options.DrainDelay,
            RaisedRateLimits = true,
            EnvironmentName = "Production",
        };
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            // The child listens where --urls says, and exports no telemetry the test did not ask for.
            ["ASPNETCORE_URLS"] = null,
            ["ASPNETCORE_HTTP_PORTS"] = null,
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = null,
        };
        foreach (var (key, value) in TopologyEnvironment.For(settings, kind))
        {
            environment[key] = value;
        }

        environment[kind == Gateway ? "Gateway__EdgeCache__PurgeChannel" : "Caching__EdgePurgeChannel"] = EdgePurgeChannel;
        // The same for deleted users' revocations: another topology's user 5 is not this one's.
        environment["Auth__Revocation__KeyPrefix"] = Path.GetFileName(Directory) + ":";

        if (_options.Environment.TryGetValue(kind, out var extra))
        {
            foreach (var (key, value) in extra)
            {
                environment[key] = value;
            }
        }

        return environment;
    }

    /// <summary>
    /// A shared redis-server (CI's, or a developer's) would mix this topology's registrations and cache entries with
    /// those of earlier topologies (a killed replica stays registered for its TTL; a cached product of another
    /// SQLite file would be served). Each topology takes one of databases 1–15 and empties it first; database 0,
    /// which the other test projects use, is never touched. An embedded Garnet is private already.
    /// </summary>
    private static async Task<string> IsolatedRedisAsync(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TestRedis.EnvironmentVariable)))
        {
            return connectionString;
        }

        var database = Random.Shared.Next(1, 16);
        var options = StackExchange.Redis.ConfigurationOptions.Parse(connectionString);
        options.AllowAdmin = true;
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(options);
        foreach (var endpoint in redis.GetEndPoints())
        {
            await redis.GetServer(endpoint).FlushDatabaseAsync(database);
        }

        return $"{connectionString},defaultDatabase={database}";
    }
}
