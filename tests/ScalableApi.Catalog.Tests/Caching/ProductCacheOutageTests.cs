using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// Availability when the Redis-protocol store (embedded Garnet or redis-server) goes away: reads and writes keep
/// working from the database.
/// </summary>
public abstract class ProductCacheOutageTests(RedisStoreKind storeKind) : CachedCatalogSuite(storeKind)
{
    [SkippableFact]
    public async Task Reads_and_writes_keep_working_when_the_store_goes_down()
    {
        using var store = TestRedis.StartStoppable(StoreKind);
        await using var replicas = await CachedCatalog.StartAsync(store, 1);
        var catalog = replicas[0];
        var (created, _) = await catalog.CreateAsync("Survivor");
        using var anonymous = catalog.CreateClient();
        using var admin = catalog.CreateClient(catalog.Tokens.Admin());
        Assert.Equal("Survivor", (await anonymous.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name);

        store.Stop();

        var cold = await catalog.InsertBehindTheCacheAsync("Never cached");
        foreach (var url in new[] { $"/api/products/{created.Id}", $"/api/products/{cold}", "/api/products?limit=5" })
        {
            using var response = await anonymous.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var put = await admin.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body("Still here")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using (var post = await admin.PostAsJsonAsync("/api/products", CatalogClient.Body("Born offline")))
        {
            Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        }

        Assert.Equal("Still here", (await anonymous.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name);
        Assert.Contains((await anonymous.PageAsync("/api/products?limit=5")).Items, p => p.Name == "Born offline");
    }
}

public sealed class GarnetProductCacheOutageTests() : ProductCacheOutageTests(RedisStoreKind.Garnet);

public sealed class RedisServerProductCacheOutageTests() : ProductCacheOutageTests(RedisStoreKind.RedisServer);
