using Dapper;
using ScalableApi.Content.Data;
using ScalableApi.Platform.Data;

namespace ScalableApi.Content.Posts;

/// <summary>
/// Every SQL statement on posts. The SQL is the same on both engines (both support RETURNING and LIMIT with a
/// parameter). The statements are internal constants so tests can EXPLAIN exactly what runs.
/// </summary>
public sealed class PostQueries(IDatabase database)
{
    // Aliases match the row record's constructor; Dapper matches names case-insensitively (PostgreSQL folds them).
    private const string Columns =
        "id AS Id, author_id AS AuthorId, title AS Title, body AS Body, created_at AS CreatedAt, comment_count AS CommentCount";

    internal const string InsertSql = $"""
        INSERT INTO posts (author_id, title, body, created_at) VALUES (@AuthorId, @Title, @Body, @CreatedAt)
        RETURNING {Columns}
        """;

    internal const string GetByIdSql = $"SELECT {Columns} FROM posts WHERE id = @Id";

    internal const string ListByAuthorSql = $"""
        SELECT {Columns} FROM posts
        WHERE author_id = @AuthorId AND id < @Before
        ORDER BY id DESC
        LIMIT @Take
        """;

    internal const string DeleteAsAdminSql = "DELETE FROM posts WHERE id = @Id RETURNING id";

    internal const string DeleteAsAuthorSql = "DELETE FROM posts WHERE id = @Id AND author_id = @AuthorId RETURNING id";

    internal const string ExistsSql = "SELECT 1 FROM posts WHERE id = @Id";

    public async Task<Post> InsertAsync(long authorId, string title, string body, long createdAt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<PostRow>(new CommandDefinition(
            InsertSql, new { AuthorId = authorId, Title = title, Body = body, CreatedAt = createdAt }, cancellationToken: cancellationToken));
        return row.ToPost();
    }

    public async Task<Post?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<PostRow>(new CommandDefinition(
            GetByIdSql, new { Id = id }, cancellationToken: cancellationToken));
        return row?.ToPost();
    }

    /// <summary>One query per page whatever its size: the comment count is a column, not a per-row lookup.</summary>
    public async Task<IReadOnlyList<Post>> ListByAuthorAsync(long authorId, long before, int take, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(cancellationToken);
        var rows = await connection.QueryAsync<PostRow>(new CommandDefinition(
            ListByAuthorSql, new { AuthorId = authorId, Before = before, Take = take }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToPost()).ToList();
    }

    /// <summary>
    /// Deletes the post (its comments go by ON DELETE CASCADE). The permission is part of the DELETE's WHERE, so
    /// there is no window between checking the author and deleting; only a refused delete pays a second query
    /// to tell "not yours" (403) from "not there" (404).
    /// </summary>
    public async Task<DeleteOutcome> DeleteAsync(long id, long callerId, bool callerIsAdmin, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var deleted = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            callerIsAdmin ? DeleteAsAdminSql : DeleteAsAuthorSql, new { Id = id, AuthorId = callerId }, cancellationToken: cancellationToken));
        if (deleted is not null)
        {
            return DeleteOutcome.Deleted;
        }

        var exists = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            ExistsSql, new { Id = id }, cancellationToken: cancellationToken));
        return exists is null ? DeleteOutcome.NotFound : DeleteOutcome.Forbidden;
    }

    /// <summary>The row as stored: times in unix milliseconds.</summary>
    private sealed record PostRow(long Id, long AuthorId, string Title, string Body, long CreatedAt, long CommentCount)
    {
        public Post ToPost() => new(Id, AuthorId, Title, Body, UnixTime.ToDateTime(CreatedAt), CommentCount);
    }
}
