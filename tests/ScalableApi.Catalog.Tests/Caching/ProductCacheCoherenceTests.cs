using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// What one replica writes, every replica reads next (invalidation through the backplane, list versions), and neither
/// a lagging read replica nor a racing put brings an older row back. On real replicas and a real Redis-protocol store
/// (embedded Garnet and redis-server); the cache does not depend on the engine, so SQLite shows it.
/// </summary>
public abstract class ProductCacheCoherenceTests(RedisStoreKind storeKind) : CachedCatalogSuite(storeKind)
{
    [SkippableFact]
    public async Task A_write_on_one_replica_is_seen_by_every_read_on_every_replica()
    {
        await using var replicas = await ReplicasAsync(2);
        var (a, b) = (replicas[0], replicas[1]);
        var (created, _) = await a.CreateAsync("Old name");
        using var readA = a.CreateClient();
        using var readB = b.CreateClient();
        // Both replicas hold the product in memory before the write.
        Assert.Equal("Old name", (await readA.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name);
        Assert.Equal("Old name", (await readB.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name);

        using var admin = a.CreateClient(a.Tokens.Admin());
        using (var put = await admin.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body("New name")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        // The writer sees its write at once. The backplane is Redis pub/sub, so B drops its copy a moment
        // (milliseconds) after the PUT returns: wait for that with a deadline, then no read may go back.
        Assert.Equal("New name", (await readA.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name);
        await Eventually.HoldsAsync(async () => (await readB.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name == "New name", "B reads the write");
        for (var i = 0; i < 20; i++)
        {
            var product = await (i % 2 == 0 ? readA : readB).GetFromJsonAsync<Product>($"/api/products/{created.Id}");
            Assert.Equal("New name", product!.Name);
        }

        // A delete evicts the product by its tag on both replicas.
        using (var delete = await admin.DeleteAsync($"/api/products/{created.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await Eventually.HoldsAsync(async () => (await readB.GetAsync($"/api/products/{created.Id}")).StatusCode == HttpStatusCode.NotFound, "B drops the deleted product");
        foreach (var client in new[] { readA, readB, readA, readB })
        {
            using var gone = await client.GetAsync($"/api/products/{created.Id}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [SkippableFact]
    public async Task A_new_product_appears_in_the_next_list_page_on_every_replica()
    {
        await using var replicas = await ReplicasAsync(2);
        var (a, b) = (replicas[0], replicas[1]);
        await a.CreateAsync("First");
        using var readA = a.CreateClient();
        using var readB = b.CreateClient();
        Assert.Single((await readA.PageAsync("/api/products?limit=10")).Items);
        Assert.Single((await readB.PageAsync("/api/products?limit=10")).Items);

        var (second, _) = await a.CreateAsync("Second");

        // The version moved on: A at once, B as soon as the backplane message arrives.
        await Eventually.HoldsAsync(async () => (await readB.PageAsync("/api/products?limit=10")).Items.Count == 2, "B lists the new product");
        foreach (var client in new[] { readA, readB })
        {
            var page = await client.PageAsync("/api/products?limit=10");
            Assert.Equal([second.Id, second.Id - 1], page.Items.Select(p => p.Id));
        }
    }

    [SkippableFact]
    public async Task A_delete_or_replace_is_not_undone_by_a_read_replica_that_lags_behind()
    {
        await using var replicas = await ReplicasAsync(2);
        var (a, b) = (replicas[0], replicas[1]);
        var (doomed, _) = await a.CreateAsync("Doomed");
        var (renamed, _) = await a.CreateAsync("Old name");
        using var readA = a.CreateClient();
        using var readB = b.CreateClient();
        foreach (var client in new[] { readA, readB })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/products/{doomed.Id}")).StatusCode);
            Assert.Equal(2, (await client.PageAsync("/api/products?limit=10")).Items.Count);
        }

        // From here on both replicas read from a standby that never replays anything: it still has both
        // products as they were. Writes go to the primary.
        var snapshot = await a.FreezeReadReplicaAsync();
        await b.FreezeReadReplicaAsync(snapshot);
        using var admin = a.CreateClient(a.Tokens.Admin());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/products/{doomed.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/products/{renamed.Id}", CatalogClient.Body("New name"))).StatusCode);

        // Every read after the backplane has carried the writes, on either replica, item or page, shows them:
        // none refilled the cache from the lagging standby.
        async Task<bool> CurrentAsync(HttpClient client)
        {
            using var gone = await client.GetAsync($"/api/products/{doomed.Id}");
            var item = await client.GetFromJsonAsync<Product>($"/api/products/{renamed.Id}");
            var page = await client.PageAsync("/api/products?limit=10");
            return gone.StatusCode == HttpStatusCode.NotFound && item!.Name == "New name"
                && page.Items.Select(p => (p.Id, p.Name)).SequenceEqual([(renamed.Id, "New name")]);
        }

        await Eventually.HoldsAsync(() => CurrentAsync(readB), "B shows the delete and the replace");
        for (var i = 0; i < 20; i++)
        {
            Assert.True(await CurrentAsync(i % 2 == 0 ? readA : readB), $"read {i} saw the lagging replica's rows");
        }
    }

    [SkippableFact]
    public async Task Two_puts_racing_leave_the_later_committed_row_cached_on_both_replicas()
    {
        await using var replicas = await ReplicasAsync(2);
        var (a, b) = (replicas[0], replicas[1]);
        var (created, _) = await a.CreateAsync("First");
        using var adminA = a.CreateClient(a.Tokens.Admin());
        using var adminB = b.CreateClient(b.Tokens.Admin());

        // A PUT through A commits "Second"; a PUT through B commits "Third" after it and puts it in the cache.
        Assert.Equal(HttpStatusCode.OK, (await adminA.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body("Second"))).StatusCode);
        var second = await a.Services.GetRequiredService<ProductStore>().GetAsync(created.Id, ReadConsistency.Latest, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await adminB.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body("Third"))).StatusCode);

        // A's cache update for "Second" arrives only now: each write puts after its own commit, and nothing orders two
        // replicas' puts. The older row must not stay cached (before: for the whole TTL).
        await a.Services.GetRequiredService<ProductCache>().WrittenAsync(second!, CancellationToken.None);

        using var readA = a.CreateClient();
        using var readB = b.CreateClient();
        async Task<string> NameAsync(HttpClient client) => (await client.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name;
        await Eventually.HoldsAsync(async () => await NameAsync(readA) == "Third" && await NameAsync(readB) == "Third", "both replicas read the later row");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("Third", await NameAsync(i % 2 == 0 ? readA : readB));
        }
    }
}

public sealed class GarnetProductCacheCoherenceTests() : ProductCacheCoherenceTests(RedisStoreKind.Garnet);

public sealed class RedisServerProductCacheCoherenceTests() : ProductCacheCoherenceTests(RedisStoreKind.RedisServer);
