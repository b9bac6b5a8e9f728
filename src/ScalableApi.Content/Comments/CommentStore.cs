using System.Data.Common;
using Dapper;
using ScalableApi.Content.Posts;

namespace ScalableApi.Content.Comments;

/// <summary>
/// Comments in the content database, with every SQL statement (the same on both engines) as an internal constant
/// so tests can EXPLAIN exactly what runs.
/// </summary>
internal sealed class CommentStore(IDatabase database) : IAuthoredStore<Comment>
{
    private const string Columns =
        "id AS Id, post_id AS PostId, author_id AS AuthorId, body AS Body, created_at AS CreatedAt";

    // Bumping the counter first takes the post's row lock (the write lock on SQLite): a concurrent delete of the
    // post waits for us or we see it gone, so the insert below cannot race the cascade. It returns the post, whose
    // author's cached pages show the count, so the cache knows whose pages the comment changes.
    internal const string IncrementCountSql = $"UPDATE posts SET comment_count = comment_count + 1 WHERE id = @PostId RETURNING {PostStore.Columns}";

    internal const string InsertSql = $"""
        INSERT INTO comments (post_id, author_id, body, created_at) VALUES (@PostId, @AuthorId, @Body, @CreatedAt)
        RETURNING {Columns}
        """;

    internal const string GetByIdSql = $"SELECT {Columns} FROM comments WHERE id = @Id";

    internal const string ListByPostSql = $"""
        SELECT {Columns} FROM comments
        WHERE post_id = @PostId AND id < @Before
        ORDER BY id DESC
        LIMIT @Take
        """;

    internal const string ListByAuthorSql = $"SELECT {Columns} FROM comments {AuthoredStore.ByAuthorNewestFirst}";

    internal const string PostExistsSql = "SELECT 1 FROM posts WHERE id = @PostId";

    /// <summary>
    /// Adds the comment and counts it on its post in one transaction; null when the post does not exist. Returns
    /// the post too, with its new count. <paramref name="beforeCommit"/> (a keyed POST's record) joins the transaction.
    /// </summary>
    public async Task<(Comment Comment, Post Post)?> InsertAsync(
        long postId, long authorId, string body, long createdAt, Func<DbTransaction, Comment, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var counted = await connection.QuerySingleOrDefaultAsync<PostStore.PostRow>(new CommandDefinition(
            IncrementCountSql, new { PostId = postId }, transaction, cancellationToken: cancellationToken));
        if (counted is null)
        {
            return null; // Disposing the transaction rolls back; nothing was written anyway.
        }

        var row = await connection.QuerySingleAsync<CommentRow>(new CommandDefinition(
            InsertSql, new { PostId = postId, AuthorId = authorId, Body = body, CreatedAt = createdAt }, transaction, cancellationToken: cancellationToken));
        var comment = row.ToComment();
        if (beforeCommit is not null)
        {
            await beforeCommit(transaction, comment);
        }

        await transaction.CommitAsync(cancellationToken);
        return (comment, counted.ToPost());
    }

    public Task<Comment?> GetAsync(long id, ReadConsistency consistency, CancellationToken cancellationToken) =>
        database.ReadByIdAsync<CommentRow, Comment>(GetByIdSql, id, static row => row.ToComment(), consistency, cancellationToken);

    /// <summary>
    /// A page of a post's comments (with the look-ahead row), or null when the post does not exist. The existence check runs only when the
    /// page is empty (a non-empty page proves the post exists), so a request costs one or two queries whatever
    /// the page size.
    /// </summary>
    public async Task<List<Comment>?> ListByPostAsync(long postId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReadAsync(consistency, cancellationToken);
        var rows = (await connection.QueryAsync<CommentRow>(new CommandDefinition(
            ListByPostSql, new { PostId = postId, page.Before, page.Take }, cancellationToken: cancellationToken))).AsList();
        if (rows.Count == 0)
        {
            var exists = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
                PostExistsSql, new { PostId = postId }, cancellationToken: cancellationToken));
            if (exists is null)
            {
                return null;
            }
        }

        return rows.Select(r => r.ToComment()).ToList();
    }

    public Task<List<Comment>> ListByAuthorAsync(long authorId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken) =>
        database.ReadByAuthorAsync<CommentRow, Comment>(ListByAuthorSql, authorId, page, static row => row.ToComment(), consistency, cancellationToken);

    /// <summary>The row as stored: times in unix milliseconds.</summary>
    private sealed record CommentRow(long Id, long PostId, long AuthorId, string Body, long CreatedAt)
    {
        public Comment ToComment() => new(Id, PostId, AuthorId, Body, UnixTime.ToDateTime(CreatedAt));
    }
}
