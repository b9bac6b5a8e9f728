using Dapper;
using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// The product cache on real replicas and a real Redis-protocol store, once on embedded Garnet and once on
/// redis-server: single flight, invalidation through the backplane, list versions, HTTP caching, writes that a
/// lagging read replica cannot undo, and availability when the store goes away. The cache does not depend on
/// the engine, so SQLite shows it.
/// </summary>
public abstract class ProductCachingTests(RedisStoreKind storeKind)
{
    [SkippableFact]
    public async Task Concurrent_gets_of_a_cold_product_make_one_database_query()
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 1);
        var catalog = replicas[0];
        var id = await InsertBehindTheCacheAsync(catalog, "Cold lamp");
        using var client = catalog.CreateClient();

        var before = catalog.Statements;
        await Burst.GetAllOkAsync(_ => client, $"/api/products/{id}");

        Assert.Equal(1, catalog.Statements - before);
    }

    // What 100 concurrent GETs through a balancing gateway look like to the replicas: spread over all of them.
    [SkippableFact]
    public async Task Concurrent_gets_of_a_cold_product_spread_over_two_replicas_make_one_database_query()
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 2);
        var id = await InsertBehindTheCacheAsync(replicas[0], "Cold chair");
        var clients = replicas.Select(r => r.CreateClient()).ToArray();

        var before = replicas.Sum(r => r.Statements);
        await Burst.GetAllOkAsync(i => clients[i % 2], $"/api/products/{id}");

        Assert.Equal(1, replicas.Sum(r => r.Statements) - before);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [SkippableFact]
    public async Task A_write_on_one_replica_is_seen_by_every_read_on_every_replica()
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 2);
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
        await EventuallyAsync(async () => (await readB.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name == "New name");
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

        await EventuallyAsync(async () => (await readB.GetAsync($"/api/products/{created.Id}")).StatusCode == HttpStatusCode.NotFound);
        foreach (var client in new[] { readA, readB, readA, readB })
        {
            using var gone = await client.GetAsync($"/api/products/{created.Id}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
    }

    [SkippableFact]
    public async Task A_new_product_appears_in_the_next_list_page_on_every_replica()
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 2);
        var (a, b) = (replicas[0], replicas[1]);
        await a.CreateAsync("First");
        using var readA = a.CreateClient();
        using var readB = b.CreateClient();
        Assert.Single((await readA.PageAsync("/api/products?limit=10")).Items);
        Assert.Single((await readB.PageAsync("/api/products?limit=10")).Items);

        var (second, _) = await a.CreateAsync("Second");

        // The version moved on: A at once, B as soon as the backplane message arrives.
        await EventuallyAsync(async () => (await readB.PageAsync("/api/products?limit=10")).Items.Count == 2);
        foreach (var client in new[] { readA, readB })
        {
            var page = await client.PageAsync("/api/products?limit=10");
            Assert.Equal([second.Id, second.Id - 1], page.Items.Select(p => p.Id));
        }
    }

    [SkippableFact]
    public async Task Reads_and_writes_keep_working_when_the_store_goes_down()
    {
        using var store = TestRedis.StartStoppable(storeKind);
        await using var replicas = await CachedCatalog.StartAsync(store, 1);
        var catalog = replicas[0];
        var (created, _) = await catalog.CreateAsync("Survivor");
        using var anonymous = catalog.CreateClient();
        using var admin = catalog.CreateClient(catalog.Tokens.Admin());
        Assert.Equal("Survivor", (await anonymous.GetFromJsonAsync<Product>($"/api/products/{created.Id}"))!.Name);

        store.Stop();

        var cold = await InsertBehindTheCacheAsync(catalog, "Never cached");
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

    [SkippableFact]
    public async Task A_delete_or_replace_is_not_undone_by_a_read_replica_that_lags_behind()
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 2);
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

        await EventuallyAsync(() => CurrentAsync(readB));
        for (var i = 0; i < 20; i++)
        {
            Assert.True(await CurrentAsync(i % 2 == 0 ? readA : readB), $"read {i} saw the lagging replica's rows");
        }
    }

    [SkippableFact]
    public async Task Two_puts_racing_leave_the_later_committed_row_cached_on_both_replicas()
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 2);
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
        await EventuallyAsync(async () => await NameAsync(readA) == "Third" && await NameAsync(readB) == "Third");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("Third", await NameAsync(i % 2 == 0 ? readA : readB));
        }
    }

    [SkippableFact]
    public async Task Cache_fills_send_no_backplane_message_and_writes_do()
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 2);
        var (a, b) = (replicas[0], replicas[1]);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await InsertBehindTheCacheAsync(a, $"Cold {i}"));
        }

        using var readA = a.CreateClient();
        using var readB = b.CreateClient();
        var sent = $"cache_backplane_messages_total{{cache=\"{a.CacheName}\",direction=\"sent\"}}";
        Task<double> SentAsync(HttpClient replica) => MetricsPage.ValueAsync(replica, sent);
        var (sentByA, sentByB) = (await SentAsync(readA), await SentAsync(readB));

        // Cold reads on both replicas fill items and pages from the database: every other replica's memory copy (if it
        // had one) holds the same value, so telling it to drop it would only cost it a trip to Redis.
        foreach (var id in ids)
        {
            Assert.Equal(HttpStatusCode.OK, (await readA.GetAsync($"/api/products/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await readB.GetAsync($"/api/products/{id}")).StatusCode);
        }

        Assert.Equal(3, (await readA.PageAsync("/api/products?limit=3")).Items.Count);
        Assert.Equal(sentByA, await SentAsync(readA));
        Assert.Equal(sentByB, await SentAsync(readB));

        // A write does tell the others (its item and its collection's version).
        using var admin = a.CreateClient(a.Tokens.Admin());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/products/{ids[0]}", CatalogClient.Body("Written"))).StatusCode);
        Assert.True(await SentAsync(readA) >= sentByA + 2);
    }

    [SkippableFact]
    public async Task A_cached_product_answers_if_none_match_with_304_without_the_database()
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 1);
        var catalog = replicas[0];
        var (created, etag) = await catalog.CreateAsync("Tagged");
        using var client = catalog.CreateClient();
        using (var warm = await client.GetAsync($"/api/products/{created.Id}"))
        {
            Assert.Equal(etag, warm.Headers.ETag?.ToString());
        }

        var before = catalog.Statements;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{created.Id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag?.ToString());
        Assert.Equal(0, catalog.Statements - before);

        (await MetricsPage.ScrapeAsync(client)).AssertContains(
            $"cache_requests_total{{cache=\"{catalog.CacheName}\",level=\"memory\",result=\"hit\"}}",
            "cache_backplane_messages_total{");
    }

    [SkippableFact]
    public async Task Hits_and_misses_by_level_and_backplane_messages_show_on_metrics()
    {
        // A loaded machine can take longer than the production soft timeout (250 ms) to answer; the read would then
        // skip Redis (as designed) and the test would see no distributed hit or miss.
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 2, new Dictionary<string, string?> { ["Caching:DistributedCacheSoftTimeout"] = "00:00:05" });
        var (a, b) = (replicas[0], replicas[1]);
        var id = await InsertBehindTheCacheAsync(a, "Metered");
        using var readA = a.CreateClient();
        using var readB = b.CreateClient();
        // Each replica counts its own reads on its own /metrics (meters are per host), under the deployment's cache name.
        string Series(string level, string result) =>
            $"cache_requests_total{{cache=\"{a.CacheName}\",level=\"{level}\",result=\"{result}\"}}";
        string Backplane(string direction) => $"cache_backplane_messages_total{{cache=\"{a.CacheName}\",direction=\"{direction}\"}}";
        Task<double> ValueAsync(string series, HttpClient? replica = null) => MetricsPage.ValueAsync(replica ?? readA, series);

        // Cold: a miss at every level (and the database fills it).
        Assert.Equal(HttpStatusCode.OK, (await readA.GetAsync($"/api/products/{id}")).StatusCode);
        Assert.True(await ValueAsync(Series("memory", "miss")) >= 1);
        Assert.True(await ValueAsync(Series("distributed", "miss")) >= 1);
        Assert.True(await ValueAsync(Series("overall", "miss")) >= 1);

        // A again: from its memory. B: not in its memory, but in Redis.
        var memoryHits = await ValueAsync(Series("memory", "hit"));
        var distributedHits = await ValueAsync(Series("distributed", "hit"), readB);
        Assert.Equal(HttpStatusCode.OK, (await readA.GetAsync($"/api/products/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await readB.GetAsync($"/api/products/{id}")).StatusCode);
        Assert.True(await ValueAsync(Series("memory", "hit")) >= memoryHits + 1);
        Assert.True(await ValueAsync(Series("distributed", "hit"), readB) >= distributedHits + 1);
        Assert.True(await ValueAsync(Series("overall", "hit")) >= 1);
        Assert.True(await ValueAsync(Series("overall", "hit"), readB) >= 1);

        // A write on A: a backplane message sent by A and received by B.
        var (sent, received) = (await ValueAsync(Backplane("sent")), await ValueAsync(Backplane("received"), readB));
        using var admin = a.CreateClient(a.Tokens.Admin());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/products/{id}", CatalogClient.Body("Metered again"))).StatusCode);
        Assert.True(await ValueAsync(Backplane("sent")) >= sent + 1);
        await Eventually.HoldsAsync(async () => await ValueAsync(Backplane("received"), readB) >= received + 1, "B counts the message");
    }

    [SkippableTheory]
    [InlineData(false, "public, max-age=30, stale-while-revalidate=60")]
    [InlineData(true, "no-store, private")] // as HttpClient formats "private, no-store"
    public async Task Anonymous_reads_are_public_and_signed_in_reads_private(bool signedIn, string cacheControl)
    {
        await using var replicas = await CachedCatalog.StartAsync(storeKind, 1);
        var catalog = replicas[0];
        var (created, _) = await catalog.CreateAsync("Headers");
        using var client = catalog.CreateClient(signedIn ? catalog.Tokens.Create(7, "user") : null);

        foreach (var url in new[] { $"/api/products/{created.Id}", "/api/products?limit=5" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(cacheControl, response.Headers.CacheControl?.ToString());
            Assert.Contains("Authorization", response.Headers.Vary);
        }
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold within 10 s.");
            await Task.Delay(10);
        }
    }

    /// <summary>A product written straight to the database, so no cache has seen it.</summary>
    private static async Task<long> InsertBehindTheCacheAsync(ServiceFactory<Program> catalog, string name)
    {
        await using var connection = await catalog.OpenDatabaseAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO products (name, description, price_cents, stock, created_at, updated_at) VALUES (@Name, '', 100, 1, 0, 0) RETURNING id",
            new { Name = name });
    }
}

public sealed class GarnetProductCachingTests() : ProductCachingTests(RedisStoreKind.Garnet);

public sealed class RedisServerProductCachingTests() : ProductCachingTests(RedisStoreKind.RedisServer);
