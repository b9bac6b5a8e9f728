using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>GET /api/products/export: both formats carry every product exactly as the item endpoint shows it.</summary>
public abstract class ProductsExportTests(ServiceFactory<Program> factory)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [SkippableFact]
    public async Task Export_defaults_to_a_json_array_of_every_product()
    {
        var created = await CreateSomeAsync();
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/products/export");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=30, stale-while-revalidate=60", response.Headers.CacheControl?.ToString());
        var items = await response.Content.ReadFromJsonAsync<List<Product>>();
        await AssertEveryProductAsync(items!, created);
    }

    [SkippableFact]
    public async Task Export_streams_ndjson_when_asked()
    {
        var created = await CreateSomeAsync();
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/export");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson"));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, line => Assert.StartsWith("{\"id\":", line, StringComparison.Ordinal)); // one object per line
        await AssertEveryProductAsync([.. lines.Select(l => JsonSerializer.Deserialize<Product>(l, Web)!)], created);
    }

    [SkippableFact]
    public async Task Export_with_any_other_or_malformed_accept_is_a_json_array()
    {
        await CreateSomeAsync();
        using var client = factory.CreateClient();
        foreach (var accept in new[] { "application/json", "*/*", "application/x-ndjson;q=0, application/json", "garbage;;;==,,", "text/html" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products/export");
            request.Headers.TryAddWithoutValidation("Accept", accept);
            using var response = await client.SendAsync(request);

            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotEmpty((await response.Content.ReadFromJsonAsync<List<Product>>())!);
        }
    }

    [SkippableFact]
    public async Task Reads_are_sent_whole_with_a_length_while_the_export_streams()
    {
        var created = await CreateSomeAsync();
        using var client = factory.CreateClient();

        // A replica killed mid-response must not leave the gateway with half a body: short reads go out sized.
        foreach (var path in new[] { $"/api/products/{created[0].Id}", "/api/products?limit=10", "/api/products/999999999" })
        {
            using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            var declared = response.Content.Headers.ContentLength;
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(body.Length > 0, path);
            Assert.Equal(body.Length, declared);
        }

        using var export = await client.GetAsync("/api/products/export", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Null(export.Content.Headers.ContentLength); // written as rows are read (memory bound: ProductsExportMemoryTests)
    }

    private async Task<List<Product>> CreateSomeAsync()
    {
        var created = new List<Product>();
        foreach (var text in new[] { "plain", "line\nbreak \"quoted\" <b>tag</b>", "Ünïcödé 🚀", "" })
        {
            created.Add((await factory.CreateAsync($"export {text}".Trim(), text, 3.3m, 2)).Product);
        }

        return created;
    }

    private async Task AssertEveryProductAsync(IReadOnlyList<Product> exported, IReadOnlyList<Product> created)
    {
        await using var connection = await factory.OpenDatabaseAsync();
        var count = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM products");
        Assert.Equal(count, exported.Count);
        Assert.Equal(exported.Select(p => p.Id).Order(), exported.Select(p => p.Id)); // id order, no duplicates
        Assert.Equal(exported.Count, exported.Select(p => p.Id).Distinct().Count());
        foreach (var product in created)
        {
            Assert.Contains(product, exported); // same shape and values as the item endpoint
        }
    }
}

public sealed class SqliteProductsExportTests(SqliteFixture factory) : ProductsExportTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresProductsExportTests(PostgresFixture factory) : ProductsExportTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
