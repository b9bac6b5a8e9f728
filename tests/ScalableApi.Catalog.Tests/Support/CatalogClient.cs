using System.Data.Common;
using Dapper;
using ScalableApi.Catalog.Products;
using ScalableApi.Contracts;

namespace ScalableApi.Catalog.Tests.Support;

/// <summary>Shortcuts the product tests share: create through the API, read pages, look at the database directly.</summary>
internal static class CatalogClient
{
    /// <summary>A token no other test uses, to put in names so searches find only this test's products.</summary>
    public static string UniqueMarker() => "zq" + Guid.NewGuid().ToString("N")[..12];

    public static object Body(string name = "Widget", string? description = "A useful widget", decimal price = 9.99m, int stock = 5) =>
        new { name, description, price, stock };

    public static async Task<(Product Product, string ETag)> CreateAsync(
        this ServiceFactory<Program> factory, string name = "Widget", string? description = "A useful widget", decimal price = 9.99m, int stock = 5)
    {
        using var client = factory.CreateClient(factory.Tokens.Admin());
        using var response = await client.PostAsJsonAsync("/api/products", Body(name, description, price, stock));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var product = await response.Content.ReadFromJsonAsync<Product>();
        return (product!, response.Headers.ETag!.ToString());
    }

    public static async Task<Page<Product>> PageAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Page<Product>>())!;
    }

    /// <summary>A GET sending the <c>Consistency-Token</c> a write returned; it must be a 200.</summary>
    public static async Task<T> GetWithTokenAsync<T>(this HttpClient client, string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Consistency-Token", token);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    /// <summary>Follows nextCursor to the end and returns every item in order.</summary>
    public static async Task<List<Product>> WalkAsync(this HttpClient client, string query)
    {
        var all = new List<Product>();
        string? cursor = null;
        for (var pages = 0; pages < 10_000; pages++)
        {
            var url = "/api/products?" + query + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor));
            var page = await client.PageAsync(url);
            all.AddRange(page.Items);
            if (page.NextCursor is null)
            {
                return all;
            }

            Assert.NotEmpty(page.Items);
            cursor = page.NextCursor;
        }

        throw new InvalidOperationException("Pagination did not end.");
    }

    /// <summary>A direct connection to the service's database, bypassing the API.</summary>
    public static ValueTask<DbConnection> OpenDatabaseAsync(this ServiceFactory<Program> factory) =>
        factory.Services.GetRequiredService<IDatabase>().OpenWriteAsync();

    /// <summary>Row count and a checksum of every row's content: equal before and after means no data changed.</summary>
    public static async Task<string> SnapshotAsync(this ServiceFactory<Program> factory)
    {
        await using var connection = await factory.OpenDatabaseAsync();
        var rows = await connection.QueryAsync<(long Id, string Name, string Description, long Price, long Stock, long Version)>(
            "SELECT id, name, description, price_cents, stock, version FROM products ORDER BY id");
        return string.Join('\n', rows.Select(r => $"{r.Id}|{r.Name}|{r.Description}|{r.Price}|{r.Stock}|{r.Version}"));
    }
}
