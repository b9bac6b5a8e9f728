using System.Data.Common;
using Dapper;
using ScalableApi.Contracts.Events;
using ScalableApi.Platform.Data;
using ScalableApi.Platform.Messaging;

namespace ScalableApi.Users.Users;

/// <summary>The SQL of <c>users</c>; identical on both engines. Every lookup is by primary key or the unique email index.</summary>
public sealed class UserRepository(IDatabase database, TimeProvider time)
{
    private const string Columns = """
        id AS Id, email AS Email, name AS Name, age AS Age, role AS Role,
        password_hash AS PasswordHash, created_at AS CreatedAt, updated_at AS UpdatedAt
        """;

    /// <summary>Inserts a user; a taken e-mail surfaces as the unique violation (see <see cref="DbErrors.IsUniqueViolation"/>).</summary>
    public async Task<User> InsertAsync(string email, string name, int? age, string role, string passwordHash, CancellationToken ct)
    {
        var now = UnixTime.Now(time);
        await using var connection = await database.OpenWriteAsync(ct);
        return await connection.QuerySingleAsync<User>(new CommandDefinition(
            $"""
            INSERT INTO users (email, name, age, role, password_hash, created_at, updated_at)
            VALUES (@email, @name, @age, @role, @passwordHash, @now, @now)
            RETURNING {Columns}
            """,
            new { email, name, age, role, passwordHash, now },
            cancellationToken: ct));
    }

    /// <summary>From the primary: callers are about to act on the row (login, refresh, the caller's own profile).</summary>
    public async Task<User?> FindAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenWriteAsync(ct);
        return await FindAsync(connection, id, null, ct);
    }

    public static Task<User?> FindAsync(DbConnection connection, long id, DbTransaction? transaction, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, transaction, cancellationToken: ct));

    /// <summary>From a replica when there is one: public profile reads tolerate lag.</summary>
    public async Task<User?> FindPublicAsync(long id, CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<User?> FindByEmailAsync(string normalizedEmail, CancellationToken ct)
    {
        await using var connection = await database.OpenWriteAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE email = @normalizedEmail", new { normalizedEmail }, cancellationToken: ct));
    }

    /// <summary>
    /// Applies <paramref name="changes"/> in one statement (no read-modify-write race between two PATCHes);
    /// null when the user does not exist. A taken e-mail surfaces as the unique violation.
    /// </summary>
    public async Task<User?> UpdateAsync(long id, UserChanges changes, CancellationToken ct)
    {
        await using var connection = await database.OpenWriteAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var user = await connection.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"""
            UPDATE users SET
                email = CASE WHEN @setEmail THEN @email ELSE email END,
                name = CASE WHEN @setName THEN @name ELSE name END,
                age = CASE WHEN @setAge THEN @age ELSE age END,
                role = CASE WHEN @setRole THEN @role ELSE role END,
                password_hash = CASE WHEN @setPassword THEN @passwordHash ELSE password_hash END,
                updated_at = @now
            WHERE id = @id
            RETURNING {Columns}
            """,
            new
            {
                id,
                setEmail = changes.Email is not null,
                email = changes.Email ?? "",
                setName = changes.Name is not null,
                name = changes.Name ?? "",
                setAge = changes.SetAge,
                age = changes.Age,
                setRole = changes.Role is not null,
                role = changes.Role ?? "",
                setPassword = changes.PasswordHash is not null,
                passwordHash = changes.PasswordHash ?? "",
                now = UnixTime.Now(time),
            },
            transaction,
            cancellationToken: ct));
        if (user is not null && changes.PasswordHash is not null)
        {
            // A new password ends every session the old one opened.
            await Auth.RefreshTokenRepository.RevokeAllForUserAsync(connection, transaction, id, UnixTime.Now(time), ct);
        }

        await transaction.CommitAsync(ct);
        return user;
    }

    /// <summary>
    /// Deletes the user (their refresh tokens go with them: ON DELETE CASCADE) and, in the same transaction, writes
    /// <see cref="UserDeleted"/> to the outbox: the event exists iff the delete committed. False when there was none.
    /// </summary>
    public async Task<bool> DeleteAsync(long id, Outbox outbox, CancellationToken ct)
    {
        await using var connection = await database.OpenWriteAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        if (await connection.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE id = @id", new { id }, transaction, cancellationToken: ct)) == 0)
        {
            return false;
        }

        await outbox.AddAsync(transaction, new UserDeleted(id, time.GetUtcNow().UtcDateTime), ct);
        await transaction.CommitAsync(ct);
        outbox.Committed();
        return true;
    }

    /// <summary>Newest first, keyset on the primary key: <paramref name="limit"/> + 1 rows tell whether a next page exists.</summary>
    public async Task<List<User>> ListAsync(long beforeId, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenReadAsync(ct);
        var rows = await connection.QueryAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE id < @beforeId ORDER BY id DESC LIMIT @take",
            new { beforeId, take = limit + 1 },
            cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Gives the admin role to the user with this (normalised) e-mail; false when there is none.</summary>
    public async Task<bool> PromoteAsync(string normalizedEmail, CancellationToken ct)
    {
        await using var connection = await database.OpenWriteAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET role = @role, updated_at = @now WHERE email = @normalizedEmail AND role <> @role",
            new { normalizedEmail, role = Contracts.Roles.Admin, now = UnixTime.Now(time) },
            cancellationToken: ct)) > 0;
    }
}
