namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// What the cache counts on each replica's /metrics: hits and misses by level, and backplane messages, which writes
/// send and cache fills do not. On real replicas and a real Redis-protocol store (embedded Garnet and redis-server).
/// </summary>
public abstract class ProductCacheMetricsTests(RedisStoreKind storeKind) : CachedCatalogSuite(storeKind)
{
    [SkippableFact]
    public async Task Cache_fills_send_no_backplane_message_and_writes_do()
    {
        await using var replicas = await ReplicasAsync(2);
        var (a, b) = (replicas[0], replicas[1]);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await a.InsertBehindTheCacheAsync($"Cold {i}"));
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
    public async Task Hits_and_misses_by_level_and_backplane_messages_show_on_metrics()
    {
        // A loaded machine can take longer than the production soft timeout (250 ms) to answer; the read would then
        // skip Redis (as designed) and the test would see no distributed hit or miss.
        await using var replicas = await ReplicasAsync(2, new Dictionary<string, string?> { ["Caching:DistributedCacheSoftTimeout"] = "00:00:05" });
        var (a, b) = (replicas[0], replicas[1]);
        var id = await a.InsertBehindTheCacheAsync("Metered");
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
}

public sealed class GarnetProductCacheMetricsTests() : ProductCacheMetricsTests(RedisStoreKind.Garnet);

public sealed class RedisServerProductCacheMetricsTests() : ProductCacheMetricsTests(RedisStoreKind.RedisServer);
