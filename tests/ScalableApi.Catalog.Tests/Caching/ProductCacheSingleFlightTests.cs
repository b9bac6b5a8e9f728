namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// Single flight: concurrent GETs of a product no cache has seen, on one replica or spread over two, make one database
/// query. On real replicas and a real Redis-protocol store (embedded Garnet and redis-server); the cache does not
/// depend on the engine, so SQLite shows it.
/// </summary>
public abstract class ProductCacheSingleFlightTests(RedisStoreKind storeKind) : CachedCatalogSuite(storeKind)
{
    [SkippableFact]
    public async Task Concurrent_gets_of_a_cold_product_make_one_database_query()
    {
        await using var replicas = await ReplicasAsync(1);
        var catalog = replicas[0];
        var id = await catalog.InsertBehindTheCacheAsync("Cold lamp");
        using var client = catalog.CreateClient();

        var before = catalog.Statements;
        await Burst.GetAllOkAsync(_ => client, $"/api/products/{id}");

        Assert.Equal(1, catalog.Statements - before);
    }

    // What 100 concurrent GETs through a balancing gateway look like to the replicas: spread over all of them.
    [SkippableFact]
    public async Task Concurrent_gets_of_a_cold_product_spread_over_two_replicas_make_one_database_query()
    {
        await using var replicas = await ReplicasAsync(2);
        var id = await replicas[0].InsertBehindTheCacheAsync("Cold chair");
        var clients = replicas.Select(r => r.CreateClient()).ToArray();

        var before = replicas.Sum(r => r.Statements);
        await Burst.GetAllOkAsync(i => clients[i % 2], $"/api/products/{id}");

        Assert.Equal(1, replicas.Sum(r => r.Statements) - before);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }
}

public sealed class GarnetProductCacheSingleFlightTests() : ProductCacheSingleFlightTests(RedisStoreKind.Garnet);

public sealed class RedisServerProductCacheSingleFlightTests() : ProductCacheSingleFlightTests(RedisStoreKind.RedisServer);
