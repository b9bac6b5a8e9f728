using ScalableApi.AppHost;

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
var environment = new ServiceEnvironment(options);
Directory.CreateDirectory(options.DataDirectory);
if (options.Postgres is not null && !await PostgresDatabases.TryEnsureCreatedAsync(options.Postgres, ServiceEnvironment.Services))
{
    return 1;
}

// 3. `create-admin` runs the users service's command and exits: no topology.
if (options.CreateAdmin is { } createAdmin)
{
    return await CreateAdminLauncher.RunAsync(createAdmin, environment, options.Redis);
}

// 4. Redis protocol: the given server, or Garnet inside this process.
using var garnet = options.Redis is null ? EmbeddedGarnet.Start() : null;
var redis = options.Redis ?? garnet!.ConnectionString;
Console.WriteLine(garnet is null ? $"==> using Redis at {redis}" : $"==> embedded Garnet listening on {redis}");

// 5. N replicas of each service, the gateway (on HTTPS with --https), the dashboard, and a banner once all are healthy.
var tls = options.Https ? GatewayCertificate.Ensure(options.DataDirectory, TimeProvider.System) : null;
var builder = AspireDefaults.CreateBuilder();
builder.AddScalableApi(environment, redis, options.Replicas, options.Port, tls);
builder.AddStartupReporter(new StartupSummary(
    garnet is null ? redis : $"{redis} (embedded Garnet)",
    environment.DescribeStorage(),
    tls is null ? null : $"self-signed certificate {tls.CertificatePath} ({(tls.Created ? "made now" : "reused")}, until {tls.NotAfter:yyyy-MM-dd}); trust it, e.g. curl --cacert"));
builder.AddGracefulShutdown();
builder.AddReplicaSupervisor();

await builder.Build().RunAsync();
Console.WriteLine("==> stopped");
return 0;
