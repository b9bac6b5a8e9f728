using System.Data.Common;
using Dapper;
using ScalableApi.Content.Comments;
using ScalableApi.Content.Posts;

namespace ScalableApi.Content.Tests.Data;

/// <summary>
/// Every statement the service runs is served by the index meant for it, on both engines: the plans of the exact
/// SQL constants in PostStore/CommentStore, on a table with enough rows (and statistics) to make a full scan
/// tempting. List queries also need no sort: the index order is the page order.
/// </summary>
public abstract class QueryPlanTests(ServiceFactory<Program> factory)
{
    private const int SeededPosts = 10_000;
    // A first page (no cursor) and a page in the middle of the hot author's and hot post's rows.
    private static readonly object FirstPage = new { Id = 42L, AuthorId = HotId, PostId = 42L, Before = long.MaxValue, Take = 21 };
    private static readonly object MiddlePage = new { Id = 42L, AuthorId = HotId, PostId = 42L, Before = 41_000L, Take = 21 };

    private const long HotId = 7;
    private const string PostKey = "posts_pkey";
    private const string CommentKey = "comments_pkey";
    private const string RowId = "INTEGER PRIMARY KEY";

    public static TheoryData<string, string, string, string, bool> Statements => new()
    {
        // name, SQL, PostgreSQL index (regex), SQLite access (regex), is it a list (no sort allowed)
        { "post by id", PostStore.GetByIdSql, PostKey, RowId, false },
        { "posts by author", PostStore.ListByAuthorSql, "ix_posts_author_id_id", "INDEX ix_posts_author_id_id", true },
        { "lock post to delete as admin", PostStore.LockAsAdminSql, PostKey, RowId, false },
        // Either index finds exactly one row here (id and author are both equalities).
        { "lock post to delete as author", PostStore.LockAsAuthorSql, $"{PostKey}|ix_posts_author_id_id", $"{RowId}|INDEX ix_posts_author_id_id", false },
        { "delete a post's comments", PostStore.DeleteCommentsSql, "ix_comments_post_id_id", "INDEX ix_comments_post_id_id", false },
        { "delete post", PostStore.DeleteSql, PostKey, RowId, false },
        { "post exists (delete)", PostStore.ExistsSql, PostKey, RowId, false },
        { "count a comment", CommentStore.IncrementCountSql, PostKey, RowId, false },
        { "comment by id", CommentStore.GetByIdSql, CommentKey, RowId, false },
        { "comments by post", CommentStore.ListByPostSql, "ix_comments_post_id_id", "INDEX ix_comments_post_id_id", true },
        { "comments by author", CommentStore.ListByAuthorSql, "ix_comments_author_id_id", "INDEX ix_comments_author_id_id", true },
        { "post exists (comments)", CommentStore.PostExistsSql, PostKey, RowId, false },
    };

    [SkippableTheory]
    [MemberData(nameof(Statements))]
    public async Task Statement_uses_its_index(string name, string sql, string postgresIndex, string sqliteAccess, bool isList)
    {
        var database = factory.Services.GetRequiredService<IDatabase>();
        await using var connection = await database.OpenWriteAsync();
        await SeedOnceAsync(connection, database.Engine);

        foreach (var parameters in new[] { FirstPage, MiddlePage })
        {
            if (database.Engine == DatabaseEngine.Sqlite)
            {
                var details = (await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
                    "EXPLAIN QUERY PLAN " + sql, parameters)).Select(r => r.Detail).ToList();
                var plan = string.Join(" | ", details);
                Assert.NotEmpty(details);
                // SEARCH = a lookup through an index or the rowid; a bare SCAN would read the whole table.
                Assert.All(details, d => Assert.StartsWith("SEARCH ", d, StringComparison.Ordinal));
                Assert.Matches($"USING (COVERING )?({sqliteAccess})", plan);
                Assert.False(isList && plan.Contains("TEMP B-TREE", StringComparison.Ordinal), $"{name} sorts: {plan}");
            }
            else
            {
                // A transaction so SET LOCAL dies with it and the pooled connection goes back clean.
                await using var transaction = await connection.BeginTransactionAsync();
                await connection.ExecuteAsync("SET LOCAL enable_seqscan = off", transaction: transaction);
                var plan = string.Join(" | ", await connection.QueryAsync<string>("EXPLAIN " + sql, parameters, transaction));
                await transaction.RollbackAsync();
                Assert.True(System.Text.RegularExpressions.Regex.IsMatch(plan, $"(Index (Only )?Scan (Backward )?using|Bitmap Index Scan on) ({postgresIndex}) "), $"{name}: {plan}");
                Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
                Assert.False(isList && plan.Contains("Sort", StringComparison.Ordinal), $"{name} sorts: {plan}");
            }
        }
    }

    /// <summary>
    /// 10,000 posts (5% by the hot author, the rest over 500 authors), four comments each over 700 commenters, plus
    /// 2,000 comments by the hot author on post 42, with fresh statistics. The sets a page is cut from are large but a
    /// small share of the table, as in production: the planner must walk the composite index backwards, neither
    /// fetching the whole set and sorting it nor walking the primary key and filtering.
    /// </summary>
    private static async Task SeedOnceAsync(DbConnection connection, DatabaseEngine engine)
    {
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM posts") >= SeededPosts)
        {
            return;
        }

        var series = engine == DatabaseEngine.Postgres
            ? "generate_series(1, @Count) AS n(i)"
            : "(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < @Count) SELECT i FROM s) AS n";
        await connection.ExecuteAsync(
            $"INSERT INTO posts (author_id, title, body, created_at) SELECT CASE WHEN n.i % 20 = 0 THEN @Hot ELSE n.i % 500 END, 'title', 'body', 0 FROM {series}",
            new { Count = SeededPosts, Hot = HotId });
        await connection.ExecuteAsync(
            $"INSERT INTO comments (post_id, author_id, body, created_at) SELECT p.id, (p.id * 4 + n.i) % 700, 'comment', 0 FROM posts p CROSS JOIN {series}",
            new { Count = 4 });
        await connection.ExecuteAsync(
            $"INSERT INTO comments (post_id, author_id, body, created_at) SELECT 42, @Hot, 'comment', 0 FROM {series}",
            new { Count = 2_000, Hot = HotId });
        await connection.ExecuteAsync("ANALYZE posts; ANALYZE comments;");
    }
}

public sealed class SqliteQueryPlanTests(SqliteFixture fixture) : QueryPlanTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresQueryPlanTests(PostgresFixture fixture) : QueryPlanTests(TestDatabase.RequirePostgres(fixture)), IClassFixture<PostgresFixture>;
