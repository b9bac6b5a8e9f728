using System.Data.Common;
using Dapper;
using ScalableApi.Platform.Data;

namespace ScalableApi.Platform.Idempotency;

/// <summary>
/// The <c>idempotency_records</c> table (platform migration 9301) in the service's own database. Records are
/// written only inside the transaction of the effect they answer for (<see cref="InsertSql"/>); the unique
/// (caller, key) constraint makes a second run fail, which rolls its effect back. Same SQL on both engines.
/// </summary>
public sealed class IdempotencyStore(IDatabase database, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    internal const string FindSql = """
        SELECT fingerprint AS Fingerprint, status AS Status, headers AS Headers, body AS Body
        FROM idempotency_records
        WHERE caller = @Caller AND idempotency_key = @Key AND expires_at > @Now
        """;

    // An expired record not yet swept is replaced; a live one is left alone (0 rows: the caller rolls back).
    internal const string InsertSql = """
        INSERT INTO idempotency_records (caller, idempotency_key, fingerprint, status, headers, body, created_at, expires_at)
        VALUES (@Caller, @Key, @Fingerprint, @Status, @Headers, @Body, @Now, @ExpiresAt)
        ON CONFLICT (caller, idempotency_key) DO UPDATE SET
            fingerprint = excluded.fingerprint, status = excluded.status, headers = excluded.headers, body = excluded.body,
            created_at = excluded.created_at, expires_at = excluded.expires_at
        WHERE idempotency_records.expires_at <= @Now
        """;

    internal const string SweepSql = """
        DELETE FROM idempotency_records WHERE id IN (
            SELECT id FROM idempotency_records WHERE expires_at <= @Now ORDER BY expires_at LIMIT @Batch)
        """;

    /// <summary>The live record of <paramref name="caller"/>'s <paramref name="key"/>, read on the primary.</summary>
    public async Task<IdempotencyRecord?> FindAsync(string caller, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<IdempotencyRecord>(new CommandDefinition(
            FindSql, new { Caller = caller, Key = key, Now = UnixTime.Now(time) }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Adds the record to <paramref name="transaction"/>. Throws <see cref="IdempotencyConflictException"/> when a live
    /// record of the key exists (another attempt committed first): the caller's transaction must not commit.
    /// </summary>
    public async Task InsertAsync(DbTransaction transaction, string caller, string key, IdempotencyRecord record, CancellationToken cancellationToken)
    {
        var now = UnixTime.Now(time);
        int written;
        try
        {
            written = await transaction.Connection!.ExecuteAsync(new CommandDefinition(
                InsertSql,
                new
                {
                    Caller = caller,
                    Key = key,
                    record.Fingerprint,
                    record.Status,
                    record.Headers,
                    record.Body,
                    Now = now,
                    ExpiresAt = now + (long)options.Value.Retention.TotalMilliseconds,
                },
                transaction,
                cancellationToken: cancellationToken));
        }
        catch (DbException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            // PostgreSQL: a concurrent transaction inserted the key and committed while this one waited on the index.
            throw new IdempotencyConflictException(ex);
        }

        if (written != 1)
        {
            throw new IdempotencyConflictException(null);
        }
    }

    /// <summary>Deletes expired records in batches of <see cref="IdempotencyOptions.SweepBatchSize"/>; returns how many.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var batch = options.Value.SweepBatchSize;
        var total = 0;
        while (true)
        {
            // One short transaction per batch: a sweep never holds the write lock for long.
            await using var connection = await database.OpenWriteAsync(cancellationToken);
            var deleted = await connection.ExecuteAsync(new CommandDefinition(
                SweepSql, new { Now = UnixTime.Now(time), Batch = batch }, cancellationToken: cancellationToken));
            total += deleted;
            if (deleted < batch)
            {
                return total;
            }
        }
    }
}

/// <summary>A stored answer: the request's fingerprint, status, selected headers (JSON object) and JSON body.</summary>
/// <remarks>Settable members rather than a positional record: Dapper then converts the engines' integer types.</remarks>
public sealed record IdempotencyRecord
{
    public string Fingerprint { get; init; } = "";

    public int Status { get; init; }

    public string? Headers { get; init; }

    public string? Body { get; init; }
}

/// <summary>Another attempt with the same key committed first; this attempt's transaction must roll back.</summary>
public sealed class IdempotencyConflictException(Exception? inner)
    : Exception("An attempt with the same idempotency key committed first.", inner);
