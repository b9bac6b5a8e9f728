using System.Data.Common;
using Dapper;
using ScalableApi.Catalog.Common;
using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Imports;

/// <summary>
/// Batched inserts of imported products inside the caller's transaction: one statement per batch on PostgreSQL
/// (<c>unnest</c> of column arrays), one prepared statement reused per row on SQLite (in-process: no round trips).
/// </summary>
internal sealed class ProductImportStore(IDatabase database)
{
    internal const string InsertSqlite = """
        INSERT INTO products (name, description, price_cents, stock, version, created_at, updated_at)
        VALUES (@Name, @Description, @PriceCents, @Stock, 1, @Now, @Now)
        """;

    internal const string InsertPostgres = """
        INSERT INTO products (name, description, price_cents, stock, version, created_at, updated_at)
        SELECT n, d, p, s, 1, @Now, @Now FROM unnest(@Names, @Descriptions, @Prices, @Stocks) AS t (n, d, p, s)
        """;

    public async Task InsertAsync(DbTransaction transaction, IReadOnlyList<ProductRequest> products, long now, CancellationToken cancellationToken)
    {
        if (products.Count == 0)
        {
            return;
        }

        var connection = transaction.Connection!;
        if (database.Engine == DatabaseEngine.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                InsertPostgres,
                new
                {
                    Now = now,
                    Names = products.Select(p => p.NormalizedName).ToArray(),
                    Descriptions = products.Select(p => p.Description ?? "").ToArray(),
                    Prices = products.Select(p => Money.ToCents(p.Price!.Value)).ToArray(),
                    Stocks = products.Select(p => p.Stock!.Value).ToArray(),
                },
                transaction,
                cancellationToken: cancellationToken));
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSqlite;
        var name = Parameter(command, "@Name");
        var description = Parameter(command, "@Description");
        var price = Parameter(command, "@PriceCents");
        var stock = Parameter(command, "@Stock");
        Parameter(command, "@Now").Value = now;
        await command.PrepareAsync(cancellationToken);
        foreach (var product in products)
        {
            name.Value = product.NormalizedName;
            description.Value = product.Description ?? "";
            price.Value = Money.ToCents(product.Price!.Value);
            stock.Value = product.Stock!.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
