using System.Data.Common;
using Dapper;

namespace ScalableApi.Users.Auth;

/// <summary>
/// <c>refresh_tokens</c>, on the caller's connection and transaction (a refresh spends one token and inserts the
/// next atomically). Rows hold only the SHA-256 of a token. Lookups go through the unique <c>token_hash</c> index,
/// family revocation through <c>family_id</c>, per-user work through <c>user_id</c>.
/// </summary>
internal static class RefreshTokenStore
{
    internal const string InsertSql = """
        INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
        VALUES (@UserId, @FamilyId, @TokenHash, @Now, @ExpiresAt)
        """;

    // The WHERE clause is the whole concurrency story: of two refreshes with one token only one UPDATE matches the row.
    internal const string SpendSql = """
        UPDATE refresh_tokens SET spent_at = @Now
        WHERE token_hash = @TokenHash AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > @Now
        RETURNING user_id AS UserId, family_id AS FamilyId
        """;

    internal const string FindSpentFamilySql = "SELECT family_id FROM refresh_tokens WHERE token_hash = @TokenHash AND spent_at IS NOT NULL";

    internal const string RevokeFamilySql = "UPDATE refresh_tokens SET revoked_at = @Now WHERE family_id = @FamilyId AND revoked_at IS NULL";

    internal const string RevokeAllForUserSql = "UPDATE refresh_tokens SET revoked_at = @Now WHERE user_id = @UserId AND revoked_at IS NULL";

    internal const string DeleteExpiredForUserSql = "DELETE FROM refresh_tokens WHERE user_id = @UserId AND expires_at <= @Now";

    internal const string MaxIdSql = "SELECT COALESCE(MAX(id), 0) FROM refresh_tokens";

    // One primary-key range of at most @Span ids per statement: bounded work and a short lock whatever the table's
    // size, through the primary key alone (no index on expiry needed). Spent tokens stay until they expire: a replay
    // of one is how a stolen family is detected and revoked. A revoked token can never be accepted again.
    internal const string SweepRangeSql = """
        DELETE FROM refresh_tokens
        WHERE id > @After AND id <= @After + @Span AND (expires_at <= @Now OR revoked_at IS NOT NULL)
        """;

    public static Task InsertAsync(DbConnection connection, DbTransaction? transaction, long userId, string familyId, string tokenHash, long now, long expiresAt, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            InsertSql, new { UserId = userId, FamilyId = familyId, TokenHash = tokenHash, Now = now, ExpiresAt = expiresAt }, transaction, cancellationToken: cancellationToken));

    /// <summary>Marks a live token spent and returns its owner and family, or null.</summary>
    public static Task<SpentRefreshToken?> SpendAsync(DbConnection connection, DbTransaction transaction, string tokenHash, long now, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<SpentRefreshToken>(new CommandDefinition(
            SpendSql, new { TokenHash = tokenHash, Now = now }, transaction, cancellationToken: cancellationToken));

    /// <summary>The family of a token that was already spent (a replay), or null for an unknown, revoked or expired one.</summary>
    public static Task<string?> FindSpentFamilyAsync(DbConnection connection, DbTransaction transaction, string tokenHash, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            FindSpentFamilySql, new { TokenHash = tokenHash }, transaction, cancellationToken: cancellationToken));

    public static Task<int> RevokeFamilyAsync(DbConnection connection, DbTransaction transaction, string familyId, long now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            RevokeFamilySql, new { FamilyId = familyId, Now = now }, transaction, cancellationToken: cancellationToken));

    public static Task<int> RevokeAllForUserAsync(DbConnection connection, DbTransaction? transaction, long userId, long now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            RevokeAllForUserSql, new { UserId = userId, Now = now }, transaction, cancellationToken: cancellationToken));

    /// <summary>Housekeeping on login: expired rows can never be accepted again, so they only take space.</summary>
    public static Task<int> DeleteExpiredForUserAsync(DbConnection connection, DbTransaction? transaction, long userId, long now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            DeleteExpiredForUserSql, new { UserId = userId, Now = now }, transaction, cancellationToken: cancellationToken));
}

/// <summary>The background half of <see cref="RefreshTokenStore"/>: deletes expired and revoked rows in bounded batches.</summary>
internal sealed class RefreshTokenSweeper(ScalableApi.Platform.Data.IDatabase database, Microsoft.Extensions.Options.IOptions<UsersOptions> options, TimeProvider time)
{
    /// <summary>One pass over the table, a primary-key range per statement; the number of rows deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var span = options.Value.RefreshTokenSweepBatchSize;
        var now = ScalableApi.Platform.Data.UnixTime.Now(time);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var maxId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(RefreshTokenStore.MaxIdSql, cancellationToken: cancellationToken));
        var deleted = 0;
        for (long after = 0; after < maxId; after += span)
        {
            deleted += await connection.ExecuteAsync(new CommandDefinition(
                RefreshTokenStore.SweepRangeSql, new { After = after, Span = span, Now = now }, cancellationToken: cancellationToken));
        }

        return deleted;
    }
}

/// <summary>The owner and family of a refresh token this request has just spent.</summary>
internal sealed class SpentRefreshToken
{
    public long UserId { get; set; }

    public string FamilyId { get; set; } = "";
}
