using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.Http.Json;
using ScalableApi.Catalog.Products;
using ScalableApi.Platform.Caching;
using ScalableApi.Platform.Jobs;

namespace ScalableApi.Catalog.Imports;

/// <summary>
/// Runs an import: reads the stored lines after the checkpoint, and every <see cref="ImportOptions.BatchSize"/> lines
/// inserts the valid products, records the bad lines and moves the checkpoint in one transaction. A run that dies
/// loses at most its open transaction, and the next run (on any replica) starts after the last committed batch, so
/// every line becomes a product exactly once.
/// </summary>
internal sealed class ProductImportHandler(
    IValidator<ProductRequest> validator,
    IOptions<JsonOptions> json,
    IOptions<ImportOptions> options,
    ProductImportStore store,
    ProductCache cache,
    TimeProvider time,
    IServiceProvider services) : IJobHandler
{
    public const string JobType = "product-import";

    public string Type => JobType;

    public async Task RunAsync(JobContext job, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.BatchSize;
        var products = new List<ProductRequest>(batchSize);
        var errors = new List<JobError>();
        long lines = 0, lastLine = job.Checkpoint;
        await foreach (var (line, text) in job.ReadLinesAsync(cancellationToken))
        {
            lines++;
            lastLine = line;
            var (product, error) = Parse(text);
            if (product is null)
            {
                errors.Add(new JobError(line, error!));
            }
            else
            {
                products.Add(product);
            }

            if (lines == batchSize)
            {
                await CommitAsync();
            }
        }

        if (lines > 0)
        {
            await CommitAsync();
        }

        async Task CommitAsync()
        {
            await using var connection = await job.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            // The checkpoint first: it takes the job row's lock (PostgreSQL) and proves the lease is still ours.
            await job.SaveAsync(transaction, lastLine, lines, errors.Count, errors, cancellationToken);
            await store.InsertAsync(transaction, products, UnixTime(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            if (products.Count > 0)
            {
                await cache.ManyChangedAsync(cancellationToken);
                // No write through a gateway carries this batch: the gateways' edge caches hear of it here (new ids
                // had no cached item, a 404 is never cached: only the list pages change).
                await EdgePurges.PublishAsync(services, "catalog:import", [CatalogEdgeKeys.Products]);
            }

            products.Clear();
            errors.Clear();
            lines = 0;
        }
    }

    private long UnixTime() => Platform.Data.UnixTime.Now(time);

    private (ProductRequest? Product, string? Error) Parse(ReadOnlyMemory<byte> text)
    {
        ProductRequest? product;
        try
        {
            product = JsonSerializer.Deserialize<ProductRequest>(text.Span, json.Value.SerializerOptions);
        }
        catch (JsonException ex)
        {
            return (null, ex.Path is null or "$" ? "not a product object." : $"{ex.Path[2..]}: wrong type.");
        }

        if (product is null)
        {
            return (null, "not a product object.");
        }

        var result = validator.Validate(product);
        return result.IsValid ? (product, null) : (null, string.Join(" ", result.Errors.Select(e => e.ErrorMessage)));
    }
}
