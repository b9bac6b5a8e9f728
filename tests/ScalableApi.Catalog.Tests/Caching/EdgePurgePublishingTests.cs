using System.Collections.Concurrent;
using System.Net.Http.Json;
using ScalableApi.Platform.Caching;
using StackExchange.Redis;

namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// A write that reaches a replica without passing a gateway still reaches the gateways' edge caches: the service
/// publishes the keys it changed on the purge channel itself (the gateways' edge keeps entries 5 minutes). Only a
/// success does, and a replayed keyed POST, which changed nothing, does not.
/// </summary>
public abstract class EdgePurgePublishingTests(RedisStoreKind storeKind) : CachedCatalogSuite(storeKind)
{
    [SkippableFact]
    public async Task A_write_straight_to_a_replica_publishes_the_keys_it_changed_and_a_refused_or_replayed_one_nothing()
    {
        await using var replicas = await ReplicasAsync(1);
        var catalog = replicas[0];
        var heard = new ConcurrentQueue<string>();
        var subscriber = catalog.Services.GetRequiredService<IConnectionMultiplexer>().GetSubscriber();
        await subscriber.SubscribeAsync(RedisChannel.Literal(EdgePurges.Channel), (_, message) => heard.Enqueue(message.ToString()));
        using var admin = catalog.CreateClient(catalog.Tokens.Admin());

        using (var created = await KeyedPostAsync(admin, "edge-purge-key"))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await ExpectHeardAsync(heard, "products");
        var (product, _) = await catalog.CreateAsync("Published purge");
        await ExpectHeardAsync(heard, "products");
        using (var put = await admin.PutAsJsonAsync($"/api/products/{product.Id}", CatalogClient.Body("Renamed behind the gateways")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        await ExpectHeardAsync(heard, $"product:{product.Id} products");

        using (var refused = await admin.PutAsJsonAsync($"/api/products/{product.Id}", CatalogClient.Body(name: "")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using (var replayed = await KeyedPostAsync(admin, "edge-purge-key"))
        {
            Assert.Equal(HttpStatusCode.Created, replayed.StatusCode);
        }

        // A last write's purge arriving proves the two before it had their chance to publish (one connection, in order).
        using (var delete = await admin.DeleteAsync($"/api/products/{product.Id}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await ExpectHeardAsync(heard, $"product:{product.Id} products");
        Assert.Empty(heard);
    }

    private static async Task<HttpResponseMessage> KeyedPostAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/products") { Content = JsonContent.Create(CatalogClient.Body("Keyed edge purge")) };
        request.Headers.Add("Idempotency-Key", key);
        return await client.SendAsync(request);
    }

    /// <summary>The next message heard is the catalog's, naming exactly <paramref name="keys"/>.</summary>
    private static async Task ExpectHeardAsync(ConcurrentQueue<string> heard, string keys)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(!heard.IsEmpty), $"a purge of {keys} was published");
        Assert.True(heard.TryDequeue(out var message));
        var (sender, named) = EdgePurges.Parse(message);
        Assert.Equal("ScalableApi.Catalog:write", sender);
        Assert.Equal(keys, string.Join(' ', named));
    }
}

public sealed class GarnetEdgePurgePublishingTests() : EdgePurgePublishingTests(RedisStoreKind.Garnet);

public sealed class RedisServerEdgePurgePublishingTests() : EdgePurgePublishingTests(RedisStoreKind.RedisServer);
