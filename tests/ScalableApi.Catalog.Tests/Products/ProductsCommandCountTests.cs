using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>
/// No N+1: a list request runs the same (small) number of SQL statements whether the page holds 5 items or 100,
/// with or without search and price filters.
/// </summary>
public abstract class ProductsCommandCountTests(ServiceFactory<Program> factory)
{
    /// <summary>Statements the service ran while <paramref name="action"/> ran.</summary>
    protected abstract Task<long> CountStatementsAsync(Func<Task> action);

    /// <summary>
    /// The most statements one list request may take: the query, plus on SQLite for a search the statements FTS5
    /// itself runs on its shadow tables, which SQLite's trace hook reports too.
    /// </summary>
    protected abstract int MaxStatementsPerList { get; }

    [SkippableTheory]
    [InlineData("")]
    [InlineData("&q=bulk")]
    [InlineData("&minPrice=0&maxPrice=100000")]
    [InlineData("&q=oak&minPrice=0")]
    public async Task A_list_request_runs_a_constant_number_of_statements(string filter)
    {
        await EnsureRowsAsync();
        using var client = factory.CreateClient();
        await client.PageAsync("/api/products?limit=1" + filter); // warm-up: first-use work is not per-row work

        var small = await CountStatementsAsync(async () => Assert.Equal(5, (await client.PageAsync("/api/products?limit=5" + filter)).Items.Count));
        var large = await CountStatementsAsync(async () => Assert.Equal(100, (await client.PageAsync("/api/products?limit=100" + filter)).Items.Count));

        Assert.Equal(small, large);
        Assert.InRange(small, 1, MaxStatementsPerList);
    }

    private async Task EnsureRowsAsync()
    {
        await using var connection = await factory.OpenDatabaseAsync();
        if (await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM products") == 0)
        {
            await BulkSeed.InsertAsync(factory, 1_000, "counted");
        }
    }
}

public sealed class SqliteProductsCommandCountTests(StatementCountingSqliteFixture factory)
    : ProductsCommandCountTests(factory), IClassFixture<StatementCountingSqliteFixture>
{
    protected override int MaxStatementsPerList => 4;

    protected override async Task<long> CountStatementsAsync(Func<Task> action)
    {
        var before = factory.Statements;
        await action();
        return factory.Statements - before;
    }
}

/// <summary>Npgsql starts an Activity (source "Npgsql") per command; those of this fixture's database are counted.</summary>
public sealed class PostgresProductsCommandCountTests(PostgresFixture factory)
    : ProductsCommandCountTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>
{

    protected override int MaxStatementsPerList => 1;

    protected override async Task<long> CountStatementsAsync(Func<Task> action)
    {
        // Other test classes run in parallel on other databases: only commands against ours count.
        var database = new NpgsqlConnectionStringBuilder(factory.Database.ConnectionString).Database!;
        var commands = new ConcurrentBag<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TagObjects.Any(t => t.Value is string s && s == database))
                {
                    commands.Add(activity.DisplayName);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        await action();
        return commands.Count;
    }
}
