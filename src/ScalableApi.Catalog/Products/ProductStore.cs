using System.Data.Common;
using Dapper;
using ScalableApi.Catalog.Common;

namespace ScalableApi.Catalog.Products;

/// <summary>
/// Products in the catalog database, with every SQL text it runs as a constant (or a builder of constant
/// fragments) so the index tests EXPLAIN exactly what the service executes; every value is a parameter. Reads name
/// their <see cref="ReadConsistency"/>; the write path and the If-Match existence check use the primary.
/// </summary>
internal sealed partial class ProductStore(IDatabase database, TimeProvider time)
{
    public DatabaseEngine Engine => database.Engine;

    public async Task<ProductRow?> GetAsync(long id, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        return await database.ReadAsync(
            consistency,
            connection => connection.QuerySingleOrDefaultAsync<ProductRow>(
                new CommandDefinition(GetByIdSql, new { Id = id }, cancellationToken: cancellationToken)),
            cancellationToken);
    }

    /// <summary>One page and its look-ahead row in a single query (constant command count whatever the page size: no N+1).</summary>
    public async Task<List<ProductRow>> ListAsync(ProductFilter filter, ReadConsistency consistency, CancellationToken cancellationToken)
    {
        return await database.ReadAsync(
            consistency,
            async connection => (await connection.QueryAsync<ProductRow>(new CommandDefinition(
                ListSql(database.Engine, filter), ListParameters(filter), cancellationToken: cancellationToken))).AsList(),
            cancellationToken);
    }

    /// <summary>Inserts the product; <paramref name="beforeCommit"/> (a keyed POST's record) joins its transaction.</summary>
    public async Task<ProductRow> CreateAsync(ProductRequest request, Func<DbTransaction, ProductRow, Task>? beforeCommit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        // One statement commits by itself; a transaction only when something joins it.
        await using var transaction = beforeCommit is null ? null : await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<ProductRow>(new CommandDefinition(
            InsertSql, Values(request, id: 0), transaction, cancellationToken: cancellationToken));
        if (transaction is not null)
        {
            await beforeCommit!(transaction, row);
            await transaction.CommitAsync(cancellationToken);
        }

        return row;
    }

    /// <summary>Full replacement, conditional on <paramref name="ifMatch"/> when the client sent one.</summary>
    public async Task<WriteResult<ProductRow>> ReplaceAsync(long id, ProductRequest request, ProductETag.IfMatch? ifMatch, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        var values = Values(request, id);
        ProductRow? row;
        if (ifMatch is null || ifMatch.MatchesAny)
        {
            row = await connection.QuerySingleOrDefaultAsync<ProductRow>(
                new CommandDefinition(ReplaceSql, values, cancellationToken: cancellationToken));
        }
        else if (ifMatch.Versions.Count == 0)
        {
            row = null; // No listed tag can be this product's: nothing to try.
        }
        else
        {
            values.Add("Versions", ifMatch.Versions.ToArray());
            row = await connection.QuerySingleOrDefaultAsync<ProductRow>(
                new CommandDefinition(ReplaceIfVersionSql(database.Engine), values, cancellationToken: cancellationToken));
        }

        return row is not null ? WriteResult<ProductRow>.Done(row) : await MissedAsync(connection, id, cancellationToken);
    }

    /// <summary>Deletes the product, conditional on <paramref name="ifMatch"/> when the client sent one.</summary>
    /// <summary>Deletes the product; <paramref name="beforeCommit"/> (the delete's tombstone) joins its transaction.</summary>
    public async Task<WriteOutcome> DeleteAsync(
        long id, ProductETag.IfMatch? ifMatch, Func<DbTransaction, Task> beforeCommit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenWriteAsync(cancellationToken);
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            int deleted;
            if (ifMatch is null || ifMatch.MatchesAny)
            {
                deleted = await connection.ExecuteAsync(new CommandDefinition(DeleteSql, new { Id = id }, transaction, cancellationToken: cancellationToken));
            }
            else if (ifMatch.Versions.Count == 0)
            {
                deleted = 0;
            }
            else
            {
                deleted = await connection.ExecuteAsync(new CommandDefinition(
                    DeleteIfVersionSql(database.Engine), new { Id = id, Versions = ifMatch.Versions.ToArray() }, transaction, cancellationToken: cancellationToken));
            }

            if (deleted > 0)
            {
                await beforeCommit(transaction);
                await transaction.CommitAsync(cancellationToken);
                return WriteOutcome.Done;
            }
        }

        return (await MissedAsync(connection, id, cancellationToken)).Outcome;
    }

    /// <summary>A conditional write matched no row: the product is gone (404), or its version moved on (412).</summary>
    private static async Task<WriteResult<ProductRow>> MissedAsync(System.Data.Common.DbConnection connection, long id, CancellationToken cancellationToken)
    {
        var exists = await connection.ExecuteScalarAsync<long?>(
            new CommandDefinition(ExistsSql, new { Id = id }, cancellationToken: cancellationToken)) is not null;
        return exists ? WriteOutcome.PreconditionFailed : WriteOutcome.NotFound;
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
}
