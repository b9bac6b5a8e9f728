using ScalableApi.AppHost;
using ScalableApi.Topology;

// 1. Options after `--` (see AppHostOptions.Usage).
var options = AppHostOptions.Parse(args, Environment.CurrentDirectory, out var error);
if (options is null)
{
    await Console.Error.WriteLineAsync($"error: {error}{Environment.NewLine}{Environment.NewLine}{AppHostOptions.Usage}");
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(AppHostOptions.Usage);
    return 0;
}

// 2. Storage: SQLite files under the data directory, or one PostgreSQL database per service.
var settings = new TopologySettings
{
    Gateway = new Uri($"http://127.0.0.1:{options.Port}"),
    DataDirectory = options.DataDirectory,
    Postgres = options.Postgres,
    Redis = options.Redis,
};
Directory.CreateDirectory(options.DataDirectory);
if (options.Postgres is not null && !await PostgresDatabases.TryEnsureCreatedAsync(options.Postgres, TopologyServices.Services))
{
    return 1;
}

// 3. `create-admin` runs the users service's command and exits: no topology.
if (options.CreateAdmin is { } createAdmin)
{
    return await CreateAdminLauncher.RunAsync(createAdmin, settings);
}

// 4. Redis protocol: the given server, or Garnet inside this process.
using var garnet = options.Redis is null ? EmbeddedGarnet.Start() : null;
var redis = options.Redis ?? garnet!.ConnectionString;
Console.WriteLine(garnet is null ? $"==> using Redis at {redis}" : $"==> embedded Garnet listening on {redis}");

// 5. N replicas of each service, the gateway (on HTTPS with --https), the dashboard, and a banner once all are healthy.
var tls = options.Https ? GatewayCertificate.Ensure(options.DataDirectory, TimeProvider.System) : null;
var builder = AspireDefaults.CreateBuilder();
// With --https the public port speaks TLS; the services (JWKS) and the health check use a plain loopback port of the
// gateway instead, so nothing inside has to trust the self-signed certificate.
var gatewayInside = new Uri($"http://127.0.0.1:{(tls is null ? options.Port : FreePort.Next())}");
builder.AddScalableApi(settings with { Redis = redis, Gateway = gatewayInside }, options.Replicas, options.Port, tls);
builder.AddStartupReporter(new StartupSummary(
    garnet is null ? redis : $"{redis} (embedded Garnet)",
    settings.DescribeStorage(),
    tls is null ? null : $"self-signed certificate {tls.CertificatePath} ({(tls.Created ? "made now" : "reused")}, until {tls.NotAfter:yyyy-MM-dd}); trust it, e.g. curl --cacert"));
builder.AddGracefulShutdown();
builder.AddReplicaSupervisor();

await builder.Build().RunAsync();
Console.WriteLine("==> stopped");
return 0;
