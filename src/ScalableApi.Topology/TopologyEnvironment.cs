using System.Globalization;
using Npgsql;

namespace ScalableApi.Topology;

/// <summary>
/// The environment (<c>Section__Key</c> form) each process of the topology gets. The AppHost, the system tests and
/// bench/run all take it from here, so a new setting is added once; every key is documented in the README.
/// </summary>
public static class TopologyEnvironment
{
    /// <summary>A raised limit: far above any test or benchmark, far below <see cref="int.MaxValue"/>.</summary>
    public const string RaisedLimit = "1000000000";

    /// <summary>What <paramref name="process"/> (a service or <see cref="TopologyServices.Gateway"/>) gets.</summary>
    public static IReadOnlyDictionary<string, string> For(TopologySettings settings, string process)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.EnvironmentName is { } name)
        {
            environment["ASPNETCORE_ENVIRONMENT"] = name;
            environment["DOTNET_ENVIRONMENT"] = name;
        }

        if (settings.Redis is { } redis)
        {
            environment["ConnectionStrings__redis"] = redis;
        }

        // Everyone validates tokens with the users service's public keys, fetched through the gateway.
        environment["Auth__JwksUrl"] = settings.JwksUrl;
        environment["Platform__DrainDelay"] = settings.DrainDelay.ToString("c", CultureInfo.InvariantCulture);
        if (process == TopologyServices.Gateway)
        {
            // The services serve /metrics on their main loopback port here (no Platform__Metrics__Port, loopback allowed):
            // the dashboard scrapes each destination's own address.
            environment["Gateway__Dashboard__ServiceMetricsPort"] = "0";
            if (settings.RaisedRateLimits)
            {
                // Not FailedLoginsPerEmail: no load fails logins on one e-mail, so the lockout stays real end to end.
                foreach (var limit in (string[])["AnonymousPerIp", "SignedInPerUser", "RegistrationsPerIp", "FailedLoginsPerIp"])
                {
                    environment[$"Gateway__RateLimits__{limit}"] = RaisedLimit;
                }
            }

            return environment;
        }

        Require(process);
        // Each replica registers itself; the gateway follows the registry, so every replica is its own destination.
        environment["Discovery__Enabled"] = "true";
        foreach (var (key, value) in Storage(settings, process))
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>Where <paramref name="service"/> keeps its data: also what <c>create-admin</c> needs to reach the same database.</summary>
    public static IReadOnlyDictionary<string, string> Storage(TopologySettings settings, string service)
    {
        Require(service);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Platform__DataDirectory"] = settings.DataDirectory,
            ["Database__Provider"] = settings.Postgres is null ? "sqlite" : "postgres",
            ["Database__ConnectionString"] = settings.Postgres is { } server
                ? PostgresConnectionString(server, service)
                : $"Data Source={Path.Combine(settings.DataDirectory, $"{service}.db")}",
        };
    }

    /// <summary>The server's connection string, pointed at the service's own database.</summary>
    public static string PostgresConnectionString(string server, string service) =>
        new NpgsqlConnectionStringBuilder(server) { Database = TopologyServices.PostgresDatabase(service) }.ConnectionString;

    private static void Require(string service)
    {
        if (!TopologyServices.Services.Contains(service))
        {
            throw new ArgumentException($"unknown service '{service}' (expected {string.Join(", ", TopologyServices.Processes)})", nameof(service));
        }
    }
}
