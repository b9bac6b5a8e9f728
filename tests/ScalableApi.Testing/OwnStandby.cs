using System.Diagnostics;
using Npgsql;

namespace ScalableApi.Testing;

/// <summary>
/// A streaming standby of the shared test primary that belongs to one test class (pg_basebackup -R on a free port, its
/// own replication slot): the class may pause or stop it without disturbing the shared standby's readers. Dispose stops
/// it, drops its slot and deletes its data directory.
/// </summary>
public sealed class OwnStandby : IAsyncDisposable
{
    private const string PgBin = "/usr/lib/postgresql/15/bin";

    private readonly string _directory;
    private readonly string _slot;

    private OwnStandby(string directory, string slot, int port)
    {
        _directory = directory;
        _slot = slot;
        Port = port;
    }

    public int Port { get; }

    /// <summary>This standby alone (superuser) on <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(TestStandby.Standby(database)) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    /// <summary><c>Host=primary,this standby</c> on <paramref name="database"/>.</summary>
    public string Replicated(string database)
    {
        var primary = Primary(database);
        primary.Host = $"{primary.Host}:{primary.Port},127.0.0.1:{Port}";
        return primary.ConnectionString;
    }

    /// <summary>Makes and starts a standby of the shared primary (the standby tests' environment must be there).</summary>
    public static async Task<OwnStandby> StartAsync()
    {
        var primary = Primary("postgres");
        var slot = $"test_{Guid.NewGuid():N}"[..20];
        var directory = Path.Combine("/var/tmp", $"scalableapi-standby-{slot}");
        var port = FreePort();
        await RunAsync("install", $"-d -o postgres -g postgres -m 700 {directory}");
        await RunAsync("runuser", $"-u postgres -- {PgBin}/pg_basebackup -h {primary.Host} -p {primary.Port} -U postgres -D {directory} -R -X stream -c fast -C -S {slot}");
        await File.AppendAllTextAsync(
            Path.Combine(directory, "postgresql.conf"),
            $"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{directory}'\nhot_standby_feedback = on\n");
        var standby = new OwnStandby(directory, slot, port);
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
    public Task CaughtUpAsync(string database) => TestStandby.CaughtUpAsync(database, ConnectionString(database));

    public async ValueTask DisposeAsync()
    {
        await RunAsync("runuser", $"-u postgres -- {PgBin}/pg_ctl -D {_directory} -m immediate -w -t 60 stop");
        await using (var connection = new NpgsqlConnection(Primary("postgres").ConnectionString))
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

    private static async Task RunAsync(string file, string arguments)
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

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
