using System.Data.Common;
using Dapper;

namespace ScalableApi.Content.Posts;

/// <summary>
/// Posts in the content database. The SQL is the same on both engines (both support RETURNING and LIMIT with a
/// parameter); the statements are internal constants so tests can EXPLAIN exactly what runs.
/// </summary>
internal sealed class PostStore(IDatabase database) : IAuthoredStore<Post>
{
    // Aliases match the row record's constructor; Dapper matches names case-insensitively (PostgreSQL folds them).
    internal const string Columns =
        "id AS Id, author_id AS AuthorId, title AS Title, body AS Body, created_at AS CreatedAt, comment_count AS CommentCount";

    internal const string InsertSql = $"""
        INSERT INTO posts (author_id, title, body, created_at) VALUES (@AuthorId, @Title, @Body, @CreatedAt)
        RETURNING {Columns}
        """;

    internal const string GetByIdSql = $"SELECT {Columns} FROM posts WHERE id = @Id";

    internal const string ListByAuthorSql = $"SELECT {Columns} FROM posts {AuthoredStore.ByAuthorNewestFirst}";

    // A delete first locks the post with a no-op update (the row lock on PostgreSQL, the write lock on SQLite), with
    // the permission in its WHERE: a concurrent comment, which takes the same lock first, is then either fully in
    // (and among the comments deleted below, whose authors' cached pages must go) or finds the post gone.
    internal const string LockAsAdminSql = "UPDATE posts SET comment_count = comment_count WHERE id = @Id RETURNING author_id";

    internal const string LockAsAuthorSql =
        "UPDATE posts SET comment_count = comment_count WHERE id = @Id AND author_id = @AuthorId RETURNING author_id";

    // The cascade would delete them too, but silently: their authors' comment pages are cached.
    internal const string DeleteCommentsSql = "DELETE FROM comments WHERE post_id = @Id RETURNING author_id";

    internal const string DeleteSql = "DELETE FROM posts WHERE id = @Id";

    internal const string ExistsSql = "SELECT 1 FROM posts WHERE id = @Id";

    /// <summary>Inserts the post; <paramref name="beforeCommit"/> (a keyed POST's record) joins its transaction.</summary>
    public async Task<Post> InsertAsync(
        long authorId, string title, string body, long createdAt, Func<DbTransaction, Post, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        // One statement commits by itself; a transaction only when something joins it.
        await using var transaction = beforeCommit is null ? null : await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<PostRow>(new CommandDefinition(
            InsertSql, new { AuthorId = authorId, Title = title, Body = body, CreatedAt = createdAt }, transaction, cancellationToken: cancellationToken));
        var post = row.ToPost();
        if (transaction is not null)
        {
            await beforeCommit!(transaction, post);
            await transaction.CommitAsync(cancellationToken);
        }

        return post;
    }

    public Task<Post?> GetAsync(long id, ReadConsistency consistency, CancellationToken cancellationToken) =>
        database.ReadByIdAsync<PostRow, Post>(GetByIdSql, id, static row => row.ToPost(), consistency, cancellationToken);

    /// <summary>One query per page (with its look-ahead row) whatever its size: the comment count is a column, not a per-row lookup.</summary>
    public Task<List<Post>> ListByAuthorAsync(long authorId, Keyset page, ReadConsistency consistency, CancellationToken cancellationToken) =>
        database.ReadByAuthorAsync<PostRow, Post>(ListByAuthorSql, authorId, page, static row => row.ToPost(), consistency, cancellationToken);

    /// <summary>
    /// Deletes the post and its comments in one transaction. The permission is part of the locking statement's
    /// WHERE, so there is no window between checking the author and deleting; only a refused delete pays a second
    /// query to tell "not yours" (403) from "not there" (404). A deletion names the post's author and the authors
    /// of its comments: their cached pages change.
    /// </summary>
    public async Task<WriteResult<PostDeletion>> DeleteAsync(
        long id, long callerId, bool callerIsAdmin, Func<DbTransaction, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            var authorId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                callerIsAdmin ? LockAsAdminSql : LockAsAuthorSql, new { Id = id, AuthorId = callerId }, transaction, cancellationToken: cancellationToken));
            if (authorId is { } author)
            {
                var commenters = await connection.QueryAsync<long>(new CommandDefinition(
                    DeleteCommentsSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
                await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
                if (beforeCommit is not null)
                {
                    await beforeCommit(transaction);
                }

                await transaction.CommitAsync(cancellationToken);
                return WriteResult<PostDeletion>.Done(new PostDeletion(author, [.. commenters.Distinct()]));
            }
        }

        var exists = await connection.QuerySingleOrDefaultAsync<int?>(new CommandDefinition(
            ExistsSql, new { Id = id }, cancellationToken: cancellationToken));
        return exists is null ? WriteOutcome.NotFound : WriteOutcome.Forbidden;
    }

    /// <summary>The row as stored: times in unix milliseconds.</summary>
    internal sealed record PostRow(long Id, long AuthorId, string Title, string Body, long CreatedAt, long CommentCount)
    {
        public Post ToPost() => new(Id, AuthorId, Title, Body, UnixTime.ToDateTime(CreatedAt), CommentCount);
    }
}
