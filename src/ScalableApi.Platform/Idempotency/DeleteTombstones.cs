using System.Data.Common;
using Dapper;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Security;

namespace ScalableApi.Platform.Idempotency;

/// <summary>
/// A DELETE retried after its first attempt committed (the gateway retries a DELETE whose replica died mid-request)
/// answers as the first did, 204, not 404: a delete writes a tombstone for (caller, path) in its own transaction,
/// kept for <see cref="IdempotencyOptions.Retention"/> in <c>idempotency_records</c> (key <c>delete:{path}</c>, which a
/// client key cannot be: those are stored under <c>key:</c>), and a delete that finds nothing asks for it. Another
/// caller (or the same one after the retention) gets 404 as before.
/// </summary>
public sealed class DeleteTombstones(IDatabase database, IOptions<IdempotencyOptions> options, TimeProvider time)
{
    internal const string UpsertSql = """
        INSERT INTO idempotency_records (caller, idempotency_key, fingerprint, status, headers, body, created_at, expires_at)
        VALUES (@Caller, @Key, '', 204, NULL, NULL, @Now, @ExpiresAt)
        ON CONFLICT (caller, idempotency_key) DO UPDATE SET created_at = excluded.created_at, expires_at = excluded.expires_at
        """;

    internal const string ExistsSql = """
        SELECT 1 FROM idempotency_records WHERE caller = @Caller AND idempotency_key = @Key AND expires_at > @Now
        """;

    /// <summary>In the delete's transaction: <paramref name="context"/>'s caller deleted its path.</summary>
    public async Task RecordAsync(DbTransaction transaction, HttpContext context, CancellationToken cancellationToken)
    {
        if (TombstoneOf(context) is not var (caller, key))
        {
            return;
        }

        var now = UnixTime.Now(time);
        await transaction.Connection!.ExecuteAsync(new CommandDefinition(
            UpsertSql,
            new { Caller = caller, Key = key, Now = now, ExpiresAt = now + (long)options.Value.Retention.TotalMilliseconds },
            transaction,
            cancellationToken: cancellationToken));
    }

    /// <summary>True when this caller deleted this path within the retention (read on the primary).</summary>
    public async Task<bool> DeletedByCallerAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (TombstoneOf(context) is not var (caller, key))
        {
            return false;
        }

        await using var connection = await database.OpenWriteAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            ExistsSql, new { Caller = caller, Key = key, Now = UnixTime.Now(time) }, cancellationToken: cancellationToken)) is not null;
    }

    private static (string Caller, string Key)? TombstoneOf(HttpContext context) =>
        context.User.FindFirst(TokenClaims.Subject)?.Value is { Length: > 0 } caller
            ? (caller, "delete:" + context.Request.PathBase + context.Request.Path)
            : null;
}
