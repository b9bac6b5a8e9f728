using System.Data.Common;
using Dapper;

namespace ScalableApi.Users.Auth;

/// <summary>
/// The SQL of <c>refresh_tokens</c>. Rows hold only the SHA-256 of a token. Lookups go through the unique
/// <c>token_hash</c> index, family revocation through <c>family_id</c>, per-user work through <c>user_id</c>.
/// </summary>
public static class RefreshTokenRepository
{
    public static Task InsertAsync(DbConnection connection, DbTransaction? transaction, long userId, string familyId, string tokenHash, long now, long expiresAt, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO refresh_tokens (user_id, family_id, token_hash, created_at, expires_at)
            VALUES (@userId, @familyId, @tokenHash, @now, @expiresAt)
            """,
            new { userId, familyId, tokenHash, now, expiresAt },
            transaction,
            cancellationToken: ct));

    /// <summary>
    /// Marks a live token spent and returns its owner and family, or null. The WHERE clause is the whole
    /// concurrency story: of two refreshes with one token only one UPDATE matches the row.
    /// </summary>
    public static Task<SpentRefreshToken?> SpendAsync(DbConnection connection, DbTransaction transaction, string tokenHash, long now, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<SpentRefreshToken>(new CommandDefinition(
            """
            UPDATE refresh_tokens SET spent_at = @now
            WHERE token_hash = @tokenHash AND spent_at IS NULL AND revoked_at IS NULL AND expires_at > @now
            RETURNING user_id AS UserId, family_id AS FamilyId
            """,
            new { tokenHash, now },
            transaction,
            cancellationToken: ct));

    /// <summary>The family of a token that was already spent (a replay), or null for an unknown, revoked or expired one.</summary>
    public static Task<string?> FindSpentFamilyAsync(DbConnection connection, DbTransaction transaction, string tokenHash, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT family_id FROM refresh_tokens WHERE token_hash = @tokenHash AND spent_at IS NOT NULL",
            new { tokenHash },
            transaction,
            cancellationToken: ct));

    public static Task<int> RevokeFamilyAsync(DbConnection connection, DbTransaction transaction, string familyId, long now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked_at = @now WHERE family_id = @familyId AND revoked_at IS NULL",
            new { familyId, now },
            transaction,
            cancellationToken: ct));

    public static Task<int> RevokeAllForUserAsync(DbConnection connection, DbTransaction? transaction, long userId, long now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE refresh_tokens SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL",
            new { userId, now },
            transaction,
            cancellationToken: ct));

    /// <summary>Housekeeping on login: expired rows can never be accepted again, so they only take space.</summary>
    public static Task<int> DeleteExpiredForUserAsync(DbConnection connection, DbTransaction? transaction, long userId, long now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM refresh_tokens WHERE user_id = @userId AND expires_at <= @now",
            new { userId, now },
            transaction,
            cancellationToken: ct));
}
