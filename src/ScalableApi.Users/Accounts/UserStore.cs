using System.Data.Common;
using Dapper;
using ScalableApi.Contracts.Events;
using ScalableApi.Platform.Messaging;
using ScalableApi.Users.Auth;

namespace ScalableApi.Users.Accounts;

/// <summary>
/// <c>users</c>, with SQL identical on both engines as internal constants (the EXPLAIN tests read them). Every
/// lookup is by primary key or the unique e-mail index.
/// </summary>
internal sealed class UserStore(IDatabase database, TimeProvider time)
{
    internal const string Columns = """
        id AS Id, email AS Email, name AS Name, age AS Age, role AS Role,
        password_hash AS PasswordHash, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    internal const string InsertSql = $"""
        INSERT INTO users (email, name, age, role, password_hash, created_at, updated_at)
        VALUES (@Email, @Name, @Age, @Role, @PasswordHash, @Now, @Now)
        RETURNING {Columns}
        """;

    internal const string FindByIdSql = $"SELECT {Columns} FROM users WHERE id = @Id";

    internal const string FindByEmailSql = $"SELECT {Columns} FROM users WHERE email = @Email";

    // One statement, so two PATCHes cannot race a read-modify-write.
    internal const string UpdateSql = $"""
        UPDATE users SET
            email = CASE WHEN @SetEmail THEN @Email ELSE email END,
            name = CASE WHEN @SetName THEN @Name ELSE name END,
            age = CASE WHEN @SetAge THEN @Age ELSE age END,
            role = CASE WHEN @SetRole THEN @Role ELSE role END,
            password_hash = CASE WHEN @SetPassword THEN @PasswordHash ELSE password_hash END,
            updated_at = @Now
        WHERE id = @Id
        RETURNING {Columns}
        """;

    internal const string DeleteSql = "DELETE FROM users WHERE id = @Id";

    internal const string ListSql = $"SELECT {Columns} FROM users WHERE id < @Before ORDER BY id DESC LIMIT @Take";

    internal const string PromoteSql = "UPDATE users SET role = @Role, updated_at = @Now WHERE email = @Email AND role <> @Role";

    /// <summary>Inserts a user; a taken e-mail surfaces as the unique violation (see <see cref="DbErrors.IsUniqueViolation"/>).</summary>
    public async Task<User> InsertAsync(string email, string name, int? age, string role, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        return await connection.QuerySingleAsync<User>(new CommandDefinition(
            InsertSql,
            new { Email = email, Name = name, Age = age, Role = role, PasswordHash = passwordHash, Now = UnixTime.Now(time) },
            cancellationToken: cancellationToken));
    }

    /// <summary>
    /// By id at <paramref name="consistency"/>: <see cref="ReadConsistency.Latest"/> for callers about to act on the
    /// row (login, refresh, the caller's own profile), <see cref="ReadConsistency.Any"/> for public profiles.
    /// </summary>
    public async Task<User?> FindAsync(long id, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(consistency, cancellationToken);
        return await FindAsync(connection, id, null, cancellationToken);
    }

    public static Task<User?> FindAsync(DbConnection connection, long id, DbTransaction? transaction, CancellationToken cancellationToken) =>
        connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(FindByIdSql, new { Id = id }, transaction, cancellationToken: cancellationToken));

    public async Task<User?> FindByEmailAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            FindByEmailSql, new { Email = normalizedEmail }, cancellationToken: cancellationToken));
    }

    /// <summary>Applies <paramref name="changes"/>; null when the user does not exist. A taken e-mail surfaces as the unique violation.</summary>
    public async Task<User?> UpdateAsync(long id, UserChanges changes, CancellationToken cancellationToken)
    {
        var now = UnixTime.Now(time);
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var user = await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            UpdateSql,
            new
            {
                Id = id,
                SetEmail = changes.Email is not null,
                Email = changes.Email ?? "",
                SetName = changes.Name is not null,
                Name = changes.Name ?? "",
                changes.SetAge,
                changes.Age,
                SetRole = changes.Role is not null,
                Role = changes.Role ?? "",
                SetPassword = changes.PasswordHash is not null,
                PasswordHash = changes.PasswordHash ?? "",
                Now = now,
            },
            transaction,
            cancellationToken: cancellationToken));
        if (user is not null && changes.PasswordHash is not null)
        {
            // A new password ends every session the old one opened.
            await RefreshTokenStore.RevokeAllForUserAsync(connection, transaction, id, now, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return user;
    }

    /// <summary>
    /// Deletes the user (their refresh tokens go with them: ON DELETE CASCADE) and, in the same transaction, writes
    /// <see cref="UserDeleted"/> to the outbox: the event exists iff the delete committed. False when there was none.
    /// </summary>
    public async Task<bool> DeleteAsync(long id, Outbox outbox, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Id = id }, transaction, cancellationToken: cancellationToken)) == 0)
        {
            return false;
        }

        await outbox.AddAsync(transaction, new UserDeleted(id, time.GetUtcNow().UtcDateTime), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.Committed();
        return true;
    }

    /// <summary>Newest first, keyset on the primary key, with the look-ahead row.</summary>
    public async Task<List<User>> ListAsync(Keyset page, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var rows = await connection.QueryAsync<User>(new CommandDefinition(ListSql, new { page.Before, page.Take }, cancellationToken: cancellationToken));
        return rows.AsList();
    }

    /// <summary>Gives the admin role to the user with this (normalised) e-mail; false when there is none.</summary>
    public async Task<bool> PromoteAsync(string normalizedEmail, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            PromoteSql, new { Email = normalizedEmail, Role = Contracts.Roles.Admin, Now = UnixTime.Now(time) }, cancellationToken: cancellationToken)) > 0;
    }
}
