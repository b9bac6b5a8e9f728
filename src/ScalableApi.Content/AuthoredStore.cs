using Dapper;

namespace ScalableApi.Content;

/// <summary>A post or a comment: what the reads they share need to know of a row.</summary>
internal interface IAuthored
{
    long Id { get; }

    long AuthorId { get; }
}

/// <summary>A store of authored rows: a user's rows, newest first.</summary>
internal interface IAuthoredStore<T>
    where T : IAuthored
{
    /// <summary>A page of a user's rows with its look-ahead row.</summary>
    Task<List<T>> ListByAuthorAsync(long authorId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken);
}

/// <summary>
/// The reads posts and comments share: one row by id, and a page of a user's rows newest first (a <see cref="Keyset"/>
/// with its look-ahead row). Each store keeps its own SQL as internal constants (the EXPLAIN tests read them) and maps
/// its own rows.
/// </summary>
internal static class AuthoredStore
{
    /// <summary>What follows a store's <c>SELECT … FROM</c> for a newest-first page of one author's rows.</summary>
    public const string ByAuthorNewestFirst = "WHERE author_id = @AuthorId AND id < @Before ORDER BY id DESC LIMIT @Take";

    /// <summary>The row <paramref name="getByIdSql"/> (parameter <c>@Id</c>) reads, mapped; null when there is none.</summary>
    public static async Task<T?> ReadByIdAsync<TRow, T>(
        this IDatabase database, string getByIdSql, long id, Func<TRow, T> map, ReadConsistency consistency, CancellationToken cancellationToken)
        where TRow : class
        where T : class
    {
        await using var connection = await database.OpenReadAsync(consistency, cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<TRow>(new CommandDefinition(
            getByIdSql, new { Id = id }, cancellationToken: cancellationToken));
        return row is null ? null : map(row);
    }

    /// <summary>The page of one author's rows <paramref name="listByAuthorSql"/> (see <see cref="ByAuthorNewestFirst"/>) reads, mapped.</summary>
    public static async Task<List<T>> ReadByAuthorAsync<TRow, T>(
        this IDatabase database, string listByAuthorSql, long authorId, Keyset page, Func<TRow, T> map, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(consistency, cancellationToken);
        var rows = await connection.QueryAsync<TRow>(new CommandDefinition(
            listByAuthorSql, new { AuthorId = authorId, page.Before, page.Take }, cancellationToken: cancellationToken));
        return rows.Select(map).ToList();
    }
}
