using ScalableApi.Catalog.Products;
using Xunit.Abstractions;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>
/// Measures the process's heap, so it must not share the process with other running tests: this collection runs
/// alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExportMemoryCollection
{
    public const string Name = "Export memory";
}

/// <summary>
/// 200,000 products exported in both formats with bounded memory. The bound: the live managed heap (after a full
/// GC, sampled every 10,000 rows while the response streams) may grow at most <see cref="HeapGrowthBound"/> over its
/// value before the request. The export is ~55 MB of JSON and the same rows as objects would be well over 60 MB, so a
/// buffered implementation (a list, a MemoryStream, an unflushed writer) fails by several times the bound, while a
/// streamed one holds only a flush window (1,000 rows ≈ 300 KB), the pipe's buffers and one row (~1–3 MB measured).
/// Live heap, not allocated bytes: streaming allocates garbage per row by design; what must not grow is what is kept.
/// </summary>
public abstract class ProductsExportMemoryTests(ServiceFactory<Program> factory, ITestOutputHelper output)
{
    private const int Rows = 200_000;
    private const long HeapGrowthBound = 16 * 1024 * 1024;
    private const int SampleEveryRows = 10_000;
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    // ~200 characters per row: makes the export large (the ratio to the bound is what proves streaming)
    // while the repeated words keep the trigram indexes cheap to build.
    private static readonly string Description = string.Concat(Enumerable.Repeat("solid build, ships fast; ", 8));

    [SkippableFact]
    public async Task Exporting_200k_rows_streams_both_formats_with_bounded_heap()
    {
        await BulkSeed.InsertAsync(factory, Rows, Description);
        using var client = factory.CreateClient();
        (await client.PageAsync("/api/products?limit=1")).Items.ToString(); // warm up: serializer metadata, pools, JIT

        var array = await MeasureAsync(client, ndjson: false);
        var ndjson = await MeasureAsync(client, ndjson: true);

        foreach (var (format, result) in new[] { ("json", array), ("ndjson", ndjson) })
        {
            output.WriteLine(
                $"{factory.Engine} {format}: {result.Count} rows, {result.Bytes / 1048576.0:F1} MiB streamed, " +
                $"peak live heap growth {result.PeakGrowth / 1048576.0:F2} MiB (bound {HeapGrowthBound / 1048576} MiB)");
            Assert.Equal(Rows, result.Count);
            Assert.True(result.Bytes > 3 * HeapGrowthBound, $"{format}: the export ({result.Bytes} B) is too small to prove the bound");
            Assert.True(result.PeakGrowth < HeapGrowthBound, $"{format}: live heap grew {result.PeakGrowth} B during the export (bound {HeapGrowthBound} B)");
        }
    }

    private static async Task<Measurement> MeasureAsync(HttpClient client, bool ndjson)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/export");
        if (ndjson)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(ProductExportResult.NdjsonMediaType));
        }

        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var peak = 0L;
        var count = 0;
        long lastId = 0;
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var body = new CountingStream(await response.Content.ReadAsStreamAsync());

        await foreach (var product in Read(body, ndjson))
        {
            Assert.True(product.Id > lastId, "rows out of order or repeated");
            lastId = product.Id;
            if (++count % SampleEveryRows == 0)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
            }
        }

        return new Measurement(count, body.BytesRead, peak);
    }

    private static async IAsyncEnumerable<Product> Read(Stream body, bool ndjson)
    {
        if (!ndjson)
        {
            await foreach (var product in JsonSerializer.DeserializeAsyncEnumerable<Product>(body, Web))
            {
                yield return product!;
            }

            yield break;
        }

        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync() is { } line)
        {
            yield return JsonSerializer.Deserialize<Product>(line, Web)!;
        }
    }

    private sealed record Measurement(int Count, long Bytes, long PeakGrowth);
}

[Collection(ExportMemoryCollection.Name)]
public sealed class SqliteProductsExportMemoryTests(SqliteFixture factory, ITestOutputHelper output)
    : ProductsExportMemoryTests(factory, output), IClassFixture<SqliteFixture>;

[Collection(ExportMemoryCollection.Name)]
public sealed class PostgresProductsExportMemoryTests(PostgresFixture factory, ITestOutputHelper output)
    : ProductsExportMemoryTests(TestDatabase.RequirePostgres(factory), output), IClassFixture<PostgresFixture>;
