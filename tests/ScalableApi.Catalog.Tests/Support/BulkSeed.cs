using Dapper;

namespace ScalableApi.Catalog.Tests.Support;

/// <summary>
/// Fills the products table straight through the database (the API would take minutes for 200,000 rows):
/// set-based inserts of <see cref="BatchSize"/> rows, one transaction each, so the FTS/GIN index work is batched too.
/// </summary>
internal static class BulkSeed
{
    private const int BatchSize = 20_000;

    /// <summary>Inserts <paramref name="count"/> rows named <c>bulk {i} {word}</c> with prices spread over 0–99,999.99.</summary>
    public static async Task InsertAsync(ServiceFactory<Program> factory, int count, string description)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var sql = factory.Engine == DatabaseEngine.Postgres
            ? """
              INSERT INTO products (name, description, price_cents, stock, created_at, updated_at)
              SELECT 'bulk ' || i || ' ' || (ARRAY['oak','steel','glass','linen','clay'])[i % 5 + 1],
                     @Description, (i * 7919) % 10000000, i % 1000, @Now, @Now
              FROM generate_series(@From, @To) AS s(i)
              """
            : """
              WITH RECURSIVE s(i) AS (SELECT @From UNION ALL SELECT i + 1 FROM s WHERE i < @To)
              INSERT INTO products (name, description, price_cents, stock, created_at, updated_at)
              SELECT 'bulk ' || i || ' ' || CASE i % 5 WHEN 0 THEN 'oak' WHEN 1 THEN 'steel' WHEN 2 THEN 'glass' WHEN 3 THEN 'linen' ELSE 'clay' END,
                     @Description, (i * 7919) % 10000000, i % 1000, @Now, @Now
              FROM s
              """;

        await using var connection = await factory.OpenDatabaseAsync();
        for (var from = 1; from <= count; from += BatchSize)
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await connection.ExecuteAsync(
                sql, new { From = from, To = Math.Min(count, from + BatchSize - 1), Description = description, Now = now }, transaction, commandTimeout: 300);
            await transaction.CommitAsync();
        }

        await AnalyzeAsync(factory);
    }

    /// <summary>
    /// Fresh statistics, as autovacuum would leave them. On PostgreSQL VACUUM also merges the GIN "fastupdate"
    /// pending list into the trigram indexes: until then the planner prices a trigram scan so high that it
    /// picks a sequential scan even for a rare word.
    /// </summary>
    public static async Task AnalyzeAsync(ServiceFactory<Program> factory)
    {
        await using var connection = await factory.OpenDatabaseAsync();
        await connection.ExecuteAsync(factory.Engine == DatabaseEngine.Postgres ? "VACUUM ANALYZE products" : "ANALYZE products");
    }
}
