using Dapper;
using ScalableApi.Catalog.Common;
using ScalableApi.Platform.Data;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Products in the catalog database. Reads that tolerate replica lag use the read connection; anything that must
/// see the latest committed row (the write path, the If-Match existence check) uses the primary.
/// </summary>
internal sealed class ProductStore(IDatabase database, TimeProvider time)
{
    public DatabaseEngine Engine => database.Engine;

    /// <param name="primary">Read from the primary (see <see cref="ReadSource"/>).</param>
    public async Task<ProductRow?> GetAsync(long id, bool primary, CancellationToken cancellationToken)
    {
        await using var connection = await ReadSource.OpenAsync(database, primary, cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ProductRow>(
            new CommandDefinition(ProductSql.GetById, new { Id = id }, cancellationToken: cancellationToken));
    }

    /// <summary>One page in a single query (constant command count whatever the page size: no N+1).</summary>
    public async Task<(IReadOnlyList<ProductRow> Rows, bool HasMore)> ListAsync(ProductFilter filter, bool primary, CancellationToken cancellationToken)
    {
        await using var connection = await ReadSource.OpenAsync(database, primary, cancellationToken);
        var rows = (await connection.QueryAsync<ProductRow>(new CommandDefinition(
            ProductSql.List(database.Engine, filter), ProductSql.ListParameters(filter), cancellationToken: cancellationToken))).AsList();
        var hasMore = rows.Count > filter.Limit;
        if (hasMore)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return (rows, hasMore);
    }

    public async Task<ProductRow> CreateAsync(ProductRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        return await connection.QuerySingleAsync<ProductRow>(new CommandDefinition(
            ProductSql.Insert, Values(request, id: 0), cancellationToken: cancellationToken));
    }

    /// <summary>Full replacement, conditional on <paramref name="ifMatch"/> when the client sent one.</summary>
    public async Task<ReplaceOutcome> ReplaceAsync(long id, ProductRequest request, ProductETag.IfMatch? ifMatch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var values = Values(request, id);
        ProductRow? row;
        if (ifMatch is null || ifMatch.MatchesAny)
        {
            row = await connection.QuerySingleOrDefaultAsync<ProductRow>(
                new CommandDefinition(ProductSql.Replace, values, cancellationToken: cancellationToken));
        }
        else if (ifMatch.Versions.Count == 0)
        {
            row = null; // No listed tag can be this product's: nothing to try.
        }
        else
        {
            values.Add("Versions", ifMatch.Versions.ToArray());
            row = await connection.QuerySingleOrDefaultAsync<ProductRow>(
                new CommandDefinition(ProductSql.ReplaceIfVersion(database.Engine), values, cancellationToken: cancellationToken));
        }

        if (row is not null)
        {
            return new ReplaceOutcome(row, PreconditionFailed: false);
        }

        // Zero rows: either the product is gone (404) or its version moved on (412).
        var exists = await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(ProductSql.Exists, new { Id = id }, cancellationToken: cancellationToken)) is not null;
        return new ReplaceOutcome(null, PreconditionFailed: exists);
    }

    /// <summary>Deletes the product, conditional on <paramref name="ifMatch"/> when the client sent one.</summary>
    public async Task<DeleteOutcome> DeleteAsync(long id, ProductETag.IfMatch? ifMatch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        int deleted;
        if (ifMatch is null || ifMatch.MatchesAny)
        {
            deleted = await connection.ExecuteAsync(new CommandDefinition(ProductSql.Delete, new { Id = id }, cancellationToken: cancellationToken));
        }
        else if (ifMatch.Versions.Count == 0)
        {
            deleted = 0;
        }
        else
        {
            deleted = await connection.ExecuteAsync(new CommandDefinition(
                ProductSql.DeleteIfVersion(database.Engine), new { Id = id, Versions = ifMatch.Versions.ToArray() }, cancellationToken: cancellationToken));
        }

        if (deleted > 0)
        {
            return DeleteOutcome.Deleted;
        }

        var exists = await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(ProductSql.Exists, new { Id = id }, cancellationToken: cancellationToken)) is not null;
        return exists ? DeleteOutcome.PreconditionFailed : DeleteOutcome.NotFound;
    }

    private DynamicParameters Values(ProductRequest request, long id)
    {
        var values = new DynamicParameters();
        values.Add("Id", id);
        values.Add("Name", request.NormalizedName);
        values.Add("Description", request.Description ?? "");
        values.Add("PriceCents", Money.ToCents(request.Price!.Value));
        values.Add("Stock", request.Stock!.Value);
        values.Add("Now", UnixTime.Now(time));
        return values;
    }

    /// <summary>The updated row, or why there is none: <see cref="PreconditionFailed"/> (412) or missing (404).</summary>
    public sealed record ReplaceOutcome(ProductRow? Row, bool PreconditionFailed);
}
