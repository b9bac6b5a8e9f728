using Dapper;
using ScalableApi.Catalog.Products;
using Xunit.Abstractions;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>
/// Every query path is served by an index: the exact SQL the service runs (from ProductSql) is EXPLAINed against
/// 20,000 analysed rows. PostgreSQL must not plan a sequential scan of products; SQLite must not SCAN the table.
/// These are the planner's own choices after VACUUM ANALYZE, with no enable_* settings forced.
/// </summary>
public abstract partial class ProductsQueryPlanTests(ServiceFactory<Program> factory, ITestOutputHelper output) : IAsyncLifetime
{
    private const string RareWord = "zebrawood";

    public async Task InitializeAsync()
    {
        if (factory.Engine == DatabaseEngine.Postgres && !TestDatabase.PostgresAvailable)
        {
            return;
        }

        await using var connection = await factory.OpenDatabaseAsync();
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM products") == 0)
        {
            await BulkSeed.InsertAsync(factory, 20_000, "sturdy and plain");
            for (var i = 0; i < 3; i++)
            {
                await factory.CreateAsync($"{RareWord} stool {i}", "rare", 42m, 1);
            }

            await BulkSeed.AnalyzeAsync(factory);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> ListFilters => new()
    {
        "first page",
        "after cursor",
        "price range",
        "price range after cursor",
        "min price only",
        "search rare",
        "search rare after cursor",
        "search rare in price range",
        "search common",
    };

    [SkippableFact]
    public async Task Get_update_and_delete_by_id_use_the_primary_key()
    {
        var parameters = new { Id = 12_345L, Name = "n", Description = "d", PriceCents = 1L, Stock = 1, Now = 1L, Versions = new[] { 1L } };
        foreach (var sql in new[] { ProductStore.GetByIdSql, ProductStore.ExistsSql, ProductStore.ReplaceSql, ProductStore.ReplaceIfVersionSql(factory.Engine), ProductStore.DeleteSql, ProductStore.DeleteIfVersionSql(factory.Engine) })
        {
            var plan = await ExplainAsync(sql, parameters);
            AssertIndexed(plan);
            if (factory.Engine == DatabaseEngine.Postgres)
            {
                Assert.Contains("products_pkey", plan, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("USING INTEGER PRIMARY KEY", plan, StringComparison.Ordinal);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(ListFilters))]
    public async Task Every_list_filter_is_served_by_an_index(string filterName)
    {
        var filter = filterName switch
        {
            "first page" => new ProductFilter(Keyset.First(20), null, null, null),
            "after cursor" => new ProductFilter(new Keyset(10_000, 20), null, null, null),
            "price range" => new ProductFilter(Keyset.First(20), null, 10_000, 10_100),
            "price range after cursor" => new ProductFilter(new Keyset(10_000, 20), null, 10_000, 20_000),
            "min price only" => new ProductFilter(Keyset.First(20), null, 9_999_000, null),
            "search rare" => new ProductFilter(Keyset.First(20), RareWord, null, null),
            "search rare after cursor" => new ProductFilter(new Keyset(long.MaxValue - 1, 20), RareWord, null, null),
            "search rare in price range" => new ProductFilter(Keyset.First(20), RareWord, 1_000, 5_000),
            _ => new ProductFilter(Keyset.First(20), "oak", null, null),
        };

        var plan = await ExplainAsync(ProductStore.ListSql(factory.Engine, filter), ProductStore.ListParameters(filter));

        AssertIndexed(plan);
        if (filterName is "search rare" or "search rare after cursor")
        {
            // A selective search goes through the text index, not a filter over rows found another way.
            Assert.Matches(factory.Engine == DatabaseEngine.Postgres ? "ix_products_(name|description)_trgm" : "VIRTUAL TABLE INDEX", plan);
        }

        if (filterName is "price range" or "price range after cursor")
        {
            Assert.Contains("ix_products_price", plan, StringComparison.Ordinal);
        }

        if (filterName is "first page" or "after cursor")
        {
            Assert.Matches(factory.Engine == DatabaseEngine.Postgres ? "Index Scan Backward using products_pkey" : @"USING INTEGER PRIMARY KEY \(rowid<\?\)", plan);
            Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal); // the keyset order comes from the key itself
            Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
        }
    }

    private async Task<string> ExplainAsync(string sql, object parameters)
    {
        await using var connection = await factory.OpenDatabaseAsync();
        string plan;
        if (factory.Engine == DatabaseEngine.Postgres)
        {
            plan = string.Join('\n', await connection.QueryAsync<string>("EXPLAIN " + sql, parameters));
        }
        else
        {
            var rows = await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>("EXPLAIN QUERY PLAN " + sql, parameters);
            plan = string.Join('\n', rows.Select(r => r.Detail));
        }

        output.WriteLine(sql);
        output.WriteLine(plan);
        output.WriteLine("");
        return plan;
    }

    private void AssertIndexed(string plan)
    {
        if (factory.Engine == DatabaseEngine.Postgres)
        {
            Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
        }
        else
        {
            // "SCAN p" / "SCAN products" is a full table scan; "SCAN f VIRTUAL TABLE INDEX n:M…" is the FTS index lookup.
            Assert.DoesNotMatch(FullTableScan(), plan);
            Assert.Matches("USING (INTEGER PRIMARY KEY|INDEX|COVERING INDEX)|VIRTUAL TABLE INDEX", plan);
        }
    }

    [GeneratedRegex(@"(?m)^SCAN (p|products)\b")]
    private static partial Regex FullTableScan();
}

public sealed class SqliteProductsQueryPlanTests(SqliteFixture factory, ITestOutputHelper output)
    : ProductsQueryPlanTests(factory, output), IClassFixture<SqliteFixture>;

public sealed class PostgresProductsQueryPlanTests(PostgresFixture factory, ITestOutputHelper output)
    : ProductsQueryPlanTests(TestDatabase.RequirePostgres(factory), output), IClassFixture<PostgresFixture>;
