using Npgsql;

namespace ScalableApi.Testing;

/// <summary>
/// A PostgreSQL primary with a streaming standby (<see cref="OwnStandby"/>), both belonging to one test class: initdb
/// on a free port, like .ci/run's server, then pg_basebackup -R. The class may stop the primary and start it again on
/// the same port (the shared primary is never stopped: every other suite writes to it). Needs root and the PostgreSQL
/// binaries (.ci/run's machine). Dispose stops both and deletes their data.
/// </summary>
public sealed class OwnPrimary : IAsyncDisposable
{
    private readonly string _home;
    private OwnStandby? _standby;

    private OwnPrimary(string home, int port, string database)
    {
        _home = home;
        Port = port;
        Database = database;
    }

    public int Port { get; }

    /// <summary>The database made at start (and streamed to the standby).</summary>
    public string Database { get; }

    public OwnStandby Standby => _standby ?? throw new InvalidOperationException("The standby is not started.");

    /// <summary>Admin (superuser) connection string of this primary alone, on <c>postgres</c>.</summary>
    public string Admin => new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "postgres" }.ConnectionString;

    private string Data => Path.Combine(_home, "data");

    /// <summary><c>Host=this primary,its standby</c> on <paramref name="database"/>.</summary>
    public string Replicated(string database) => Standby.Replicated(database);

    /// <summary>Makes and starts a primary with an empty <paramref name="database"/>, then its standby.</summary>
    public static async Task<OwnPrimary> StartAsync(string database)
    {
        var home = Path.Combine("/var/tmp", $"scalableapi-primary-{Guid.NewGuid():N}"[..40]);
        var primary = new OwnPrimary(home, OwnStandby.FreePort(), database);
        try
        {
            await OwnStandby.RunAsync("install", $"-d -o postgres -g postgres -m 700 {home} {primary.Data}");
            await OwnStandby.RunAsync("runuser", $"-u postgres -- {OwnStandby.PgBin}/initdb -D {primary.Data} -A trust -U postgres -E UTF8 --no-sync");
            // Throwaway like .ci/run's server: loopback only, no durability. initdb's defaults already allow streaming
            // replication from loopback (wal_level = replica, a trusted replication line).
            await File.AppendAllTextAsync(
                Path.Combine(primary.Data, "postgresql.conf"),
                $"\nport = {primary.Port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{primary.Data}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\n");
            await primary.StartAgainAsync();
            await using (var connection = new NpgsqlConnection(primary.Admin))
            {
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
                await create.ExecuteNonQueryAsync();
            }

            primary._standby = await OwnStandby.StartAsync(primary.Admin);
            return primary;
        }
        catch
        {
            await primary.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the primary (<c>pg_ctl stop -m fast</c>: its sessions are ended, its port closes); the standby stays.</summary>
    public async Task StopAsync()
    {
        await OwnStandby.RunAsync("runuser", $"-u postgres -- {OwnStandby.PgBin}/pg_ctl -D {Data} -m fast -w -t 60 stop");
        // The helpers' own pooled sessions (CaughtUpAsync and the like) to it are dead now; the service's data source
        // is not one of these pools and has to find out by itself.
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts the primary (again) on its port; its standby reconnects to it by itself.</summary>
    public Task StartAgainAsync() =>
        OwnStandby.RunAsync("runuser", $"-u postgres -- {OwnStandby.PgBin}/pg_ctl -D {Data} -l {_home}/pg.log -w -t 60 start");

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_standby is not null)
        {
            // The slot goes with the primary's data.
            await _standby.StopAndDeleteAsync(dropSlot: false);
        }

        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
        {
            await OwnStandby.RunAsync("runuser", $"-u postgres -- {OwnStandby.PgBin}/pg_ctl -D {Data} -m immediate -w -t 60 stop");
        }

        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, recursive: true);
        }
    }
}
