using System.Diagnostics;
using Npgsql;

namespace ScalableApi.Testing;

/// <summary>
/// A streaming standby that belongs to one test class (pg_basebackup -R on a free port, its own replication slot), of
/// the shared test primary or of an <see cref="OwnPrimary"/>: the class may pause or stop it without disturbing the
/// shared standby's readers. Dispose stops it, drops its slot and deletes its data directory.
/// </summary>
public sealed class OwnStandby : IAsyncDisposable
{
    internal const string PgBin = "/usr/lib/postgresql/15/bin";

    private readonly string _directory;
    private readonly string _slot;
    private readonly string _primaryAdmin;

    private OwnStandby(string directory, string slot, int port, string primaryAdmin)
    {
        _directory = directory;
        _slot = slot;
        _primaryAdmin = primaryAdmin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>This standby alone (superuser) on <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(_primaryAdmin) { Host = "127.0.0.1", Port = Port, Database = database }.ConnectionString;

    /// <summary><c>Host=primary,this standby</c> on <paramref name="database"/>.</summary>
    public string Replicated(string database)
    {
        var primary = new NpgsqlConnectionStringBuilder(_primaryAdmin) { Database = database };
        primary.Host = $"{primary.Host}:{primary.Port},127.0.0.1:{Port}";
        return primary.ConnectionString;
    }

    /// <summary>
    /// Makes and starts a standby of the shared primary (the standby tests' environment must be there), or of the
    /// primary whose admin connection string is <paramref name="primaryAdmin"/>.
    /// </summary>
    public static async Task<OwnStandby> StartAsync(string? primaryAdmin = null)
    {
        primaryAdmin ??= Primary("postgres").ConnectionString;
        var primary = new NpgsqlConnectionStringBuilder(primaryAdmin);
        var slot = $"test_{Guid.NewGuid():N}"[..20];
        var directory = Path.Combine("/var/tmp", $"scalableapi-standby-{slot}");
        var port = FreePort();
        await RunAsync("install", $"-d -o postgres -g postgres -m 700 {directory}");
        await RunAsync("runuser", $"-u postgres -- {PgBin}/pg_basebackup -h {primary.Host} -p {primary.Port} -U postgres -D {directory} -R -X stream -c fast -C -S {slot}");
        await File.AppendAllTextAsync(
            Path.Combine(directory, "postgresql.conf"),
            $"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{directory}'\nhot_standby_feedback = on\n");
        var standby = new OwnStandby(directory, slot, port, primaryAdmin);
        await RunAsync("runuser", $"-u postgres -- {PgBin}/pg_ctl -D {directory} -l {directory}/standby.log -w -t 60 start");
        return standby;
    }

    /// <summary>Runs one statement on this standby (superuser): <c>SELECT pg_wal_replay_pause()</c> and the like.</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until this standby has replayed everything the primary has committed so far.</summary>
    public Task CaughtUpAsync(string database) => TestStandby.CaughtUpAsync(database, ConnectionString(database), _primaryAdmin);

    public async ValueTask DisposeAsync()
    {
        await StopAndDeleteAsync(dropSlot: true);
    }

    /// <summary>Stops this standby and deletes its data; <paramref name="dropSlot"/>: also its slot on the primary (which must be up).</summary>
    internal async Task StopAndDeleteAsync(bool dropSlot)
    {
        await RunAsync("runuser", $"-u postgres -- {PgBin}/pg_ctl -D {_directory} -m immediate -w -t 60 stop");
        if (!dropSlot)
        {
            Directory.Delete(_directory, recursive: true);
            return;
        }

        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_primaryAdmin) { Database = "postgres" }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = @slot", connection);
            drop.Parameters.AddWithValue("slot", _slot);
            await drop.ExecuteNonQueryAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static NpgsqlConnectionStringBuilder Primary(string database) =>
        new(Environment.GetEnvironmentVariable(TestDatabase.PostgresEnvironmentVariable)
            ?? throw new InvalidOperationException($"{TestDatabase.PostgresEnvironmentVariable} is not set."))
        { Database = database };

    internal static async Task RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = "/tmp",
        }) ?? throw new InvalidOperationException($"{file} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited with {process.ExitCode}: {await error}");
        }
    }

    /// <summary>
    /// A port nothing listens on, below the kernel's ephemeral range (32768+) like .ci/run's: there a client socket may
    /// hold the port as its local end, and a server restarted on it (<see cref="OwnPrimary"/>) could not bind.
    /// </summary>
    internal static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Taken: try another.
            }
        }

        throw new InvalidOperationException("No free port found from 20000 to 32000.");
    }
}
