using Npgsql;
using ScalableApi.Topology;

namespace ScalableApi.AppHost;

/// <summary>
/// With <c>--postgres</c>, each service gets its own database (<c>scalableapi_{service}</c>) on that server,
/// created here before the services start so they only ever need to run migrations.
/// </summary>
internal static class PostgresDatabases
{
    public static bool IsValidConnectionString(string connectionString, out string? error)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            error = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    /// <summary>Creates the missing databases; on failure prints why (without the password) and returns false.</summary>
    public static async Task<bool> TryEnsureCreatedAsync(string serverConnectionString, IEnumerable<string> services)
    {
        try
        {
            await EnsureCreatedAsync(serverConnectionString, services, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
            await Console.Error.WriteLineAsync($"error: cannot prepare the PostgreSQL databases on {server.Host}:{server.Port} as '{server.Username}': {ex.Message}");
            return false;
        }
    }

    public static async Task EnsureCreatedAsync(string serverConnectionString, IEnumerable<string> services, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString)
        {
            // CREATE DATABASE runs outside the service databases, which may not exist yet.
            Database = "postgres",
            Pooling = false,
        };
        // With several hosts (primary + standbys), databases must be created on the primary.
        await using var dataSource = admin.Host?.Contains(',', StringComparison.Ordinal) == true
            ? new NpgsqlDataSourceBuilder(admin.ConnectionString).BuildMultiHost()
            : NpgsqlDataSource.Create(admin.ConnectionString);
        await using var connection = dataSource is NpgsqlMultiHostDataSource multiHost
            ? await multiHost.OpenConnectionAsync(TargetSessionAttributes.Primary, cancellationToken)
            : await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var service in services)
        {
            var name = TopologyServices.PostgresDatabase(service);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", name);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                continue;
            }

            // Identifiers cannot be parameters; the name is built from a fixed service name, never user input.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            try
            {
                await create.ExecuteNonQueryAsync(cancellationToken);
                Console.WriteLine($"==> created PostgreSQL database {name}");
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another AppHost created it between our check and our CREATE: fine.
            }
        }
    }
}
