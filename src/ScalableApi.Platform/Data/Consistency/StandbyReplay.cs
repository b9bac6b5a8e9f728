using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Npgsql;
using ScalableApi.Platform.Observability;

namespace ScalableApi.Platform.Data.Consistency;

/// <summary>
/// What each standby has replayed, as this process last saw it: <c>pg_last_wal_replay_lsn()</c> asked on a session to
/// that standby at most once per <see cref="DatabaseOptions.ReplayCheckMilliseconds"/> (unless the cached value
/// already answers the question), so checking a token costs no round trip on a busy replica. A cached position is
/// older than the standby's true one, never newer: using it can only send a read to the primary needlessly.
/// Also <c>db_standby_replay_lag_seconds{standby}</c>: how far behind the primary each standby was at that check.
/// </summary>
public sealed class StandbyReplay
{
    // The lag formula PostgreSQL's docs give: 0 when everything received is replayed (an idle primary would
    // otherwise look ever more behind), else the age of the last replayed transaction.
    internal const string ReplaySql = """
        SELECT (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint,
               CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                    ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)::float8 END
        """;

    private readonly ConcurrentDictionary<string, Replayed> _standbys = new(StringComparer.Ordinal);
    private readonly long _maxAge;

    public StandbyReplay(int checkMilliseconds, IMeterFactory? meterFactory)
    {
        _maxAge = checkMilliseconds * Stopwatch.Frequency / 1000;
        meterFactory?.Create(PlatformMeters.Name).CreateObservableGauge(
            "db_standby_replay_lag_seconds",
            Observe,
            "s",
            "How far each standby's replay was behind the primary when this service last checked it (0: replayed all it received).")
            .WithLabels("standby");
    }

    /// <summary>
    /// The position the standby behind <paramref name="connection"/> has replayed: the cached one when it reaches
    /// <paramref name="wanted"/> or was checked within the window, else asked on <paramref name="connection"/>.
    /// </summary>
    public async ValueTask<long> PositionAsync(NpgsqlConnection connection, long wanted, CancellationToken cancellationToken) =>
        (await StateAsync(connection, wanted, fresh: false, cancellationToken)).Position;

    /// <summary>
    /// The standby's replay position and lag, as of a check within the window (<paramref name="fresh"/>: the lag is
    /// wanted, so a cached position that reaches <paramref name="wanted"/> does not spare the check once the window is past).
    /// </summary>
    public async ValueTask<(long Position, double LagSeconds)> StateAsync(NpgsqlConnection connection, long wanted, bool fresh, CancellationToken cancellationToken)
    {
        var standby = string.Create(CultureInfo.InvariantCulture, $"{connection.Host}:{connection.Port}");
        if (_standbys.TryGetValue(standby, out var known)
            && ((!fresh && known.Position >= wanted) || Stopwatch.GetTimestamp() - known.CheckedAt < _maxAge))
        {
            return (known.Position, known.LagSeconds);
        }

        await using var command = new NpgsqlCommand(ReplaySql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        // NULL replay position: a standby that has replayed nothing since it started (only right after start-up).
        var replayed = new Replayed(reader.IsDBNull(0) ? 0 : reader.GetInt64(0), reader.GetDouble(1), Stopwatch.GetTimestamp());
        var kept = _standbys.AddOrUpdate(standby, replayed, (_, old) => replayed.Position >= old.Position ? replayed : old with { LagSeconds = replayed.LagSeconds, CheckedAt = replayed.CheckedAt });
        return (kept.Position, replayed.LagSeconds);
    }

    private IEnumerable<Measurement<double>> Observe()
    {
        foreach (var (standby, replayed) in _standbys)
        {
            yield return new Measurement<double>(replayed.LagSeconds, new KeyValuePair<string, object?>("standby", standby));
        }
    }

    private sealed record Replayed(long Position, double LagSeconds, long CheckedAt);
}
