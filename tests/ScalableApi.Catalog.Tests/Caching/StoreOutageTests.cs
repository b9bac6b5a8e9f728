using Dapper;
using ScalableApi.Catalog.Products;
using StackExchange.Redis;
using Xunit.Abstractions;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// The Redis-protocol store stops in the middle of a run of reads and writes through two replicas, and comes back
/// on the same port, empty (a crash and a restart): a real redis-server process, and embedded Garnet. Throughout,
/// no request is a 5xx and every write succeeds; afterwards every write is visible on both replicas, Redis (L2)
/// is used again, and a write on one replica reaches the other's memory through the backplane again.
/// </summary>
public abstract class StoreOutageTests(RedisStoreKind storeKind, ITestOutputHelper output)
{
    private const int Products = 4;
    private const int OpsPerPhase = 24;

    /// <summary>
    /// Short circuit breakers: the test need not wait long for the cache to try Redis again. A long soft timeout:
    /// on a loaded machine a Redis read may take longer than the production 250 ms, and would then be skipped (by
    /// design), hiding that Redis answers again.
    /// </summary>
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Caching:DistributedCacheSoftTimeout"] = "00:00:05",
        ["Caching:DistributedCacheCircuitBreakerDuration"] = "00:00:01",
        ["Caching:BackplaneCircuitBreakerDuration"] = "00:00:01",
    };

    [SkippableFact]
    public async Task Reads_and_writes_never_fail_while_the_store_is_down_and_the_cache_recovers_when_it_returns()
    {
        using var store = TestRedis.StartStoppable(storeKind);
        await using var replicas = await CachedCatalog.StartAsync(store, 2, Settings);
        var (a, b) = (replicas[0], replicas[1]);
        var ids = new long[Products];
        for (var i = 0; i < Products; i++)
        {
            ids[i] = (await a.CreateAsync($"p{i}-v0")).Product.Id;
        }

        var run = new Run(replicas, ids);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Log(string step) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {step}");
        await run.PhaseAsync("store up", OpsPerPhase);
        Log("phase with the store up done; stopping the store");
        store.Stop();
        await run.PhaseAsync("store down", OpsPerPhase);
        Log("phase with the store down done; restarting the store");
        store.Restart();
        await run.PhaseAsync("store back", OpsPerPhase);
        Log("phase with the store back done");

        // No 5xx, and every write succeeded, whatever the store was doing.
        Assert.Empty(run.Failures);
        Assert.True(run.Writes >= 3 * OpsPerPhase / 3, $"only {run.Writes} writes ran");

        // Every write is visible on both replicas: a replica that missed an eviction while the backplane was
        // down gets it when the backplane is back (FusionCache's auto-recovery replays it).
        await Eventually.HoldsAsync(
            async () => await run.AllCurrentAsync(a) && await run.AllCurrentAsync(b),
            "every write visible on both replicas after the store returned",
            seconds: 30);
        Log("every write visible on both replicas");

        // L2 is used again: a product A reads lands in Redis, and B then gets it from Redis, not the database.
        // Each replica's connection comes back on its own schedule (and its circuit breaker stays open for
        // `DistributedCacheCircuitBreakerDuration` after its last failure), so this holds within a deadline.
        var distributedHitsOnB = 0;
        b.Services.GetRequiredService<IFusionCache>().Events.Distributed.Hit += (_, _) => Interlocked.Increment(ref distributedHitsOnB);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(store.ConnectionString);
        await Eventually.HoldsAsync(
            async () =>
            {
                var fresh = await InsertBehindTheCacheAsync(a, "fresh");
                using var client = a.CreateClient();
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/products/{fresh}")).StatusCode);
                if (!await KeyExistsAsync(redis, a.CacheName, ProductCache.ItemKey(fresh)))
                {
                    return false;
                }

                var (hitsBefore, statementsBefore) = (Volatile.Read(ref distributedHitsOnB), b.Statements);
                using var readB = b.CreateClient();
                Assert.Equal("fresh", (await readB.GetFromJsonAsync<Product>($"/api/products/{fresh}"))!.Name);
                return Volatile.Read(ref distributedHitsOnB) > hitsBefore && b.Statements == statementsBefore;
            },
            "a product read on A is in Redis, and B reads it from Redis without querying the database",
            seconds: 30);
        Log("L2 used again");

        // The backplane carries evictions again: B holds a product in memory (for a minute), A renames it, and
        // B shows the new name within seconds.
        var receivedOnB = 0;
        b.Services.GetRequiredService<IFusionCache>().Events.Backplane.MessageReceived += (_, _) => Interlocked.Increment(ref receivedOnB);
        var target = ids[0];
        await Eventually.HoldsAsync(
            async () =>
            {
                var name = "after-" + Guid.NewGuid().ToString("N")[..8];
                using var readB = b.CreateClient();
                await readB.GetFromJsonAsync<Product>($"/api/products/{target}"); // in B's memory now
                using var admin = a.CreateClient(a.Tokens.Admin());
                Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/products/{target}", CatalogClient.Body(name))).StatusCode);
                var deadline = DateTime.UtcNow.AddSeconds(3);
                while (DateTime.UtcNow < deadline)
                {
                    if ((await readB.GetFromJsonAsync<Product>($"/api/products/{target}"))!.Name == name)
                    {
                        return true;
                    }

                    await Task.Delay(20);
                }

                return false;
            },
            "a write on A reaches B's memory through the backplane",
            seconds: 30);
        Assert.True(Volatile.Read(ref receivedOnB) > 0);
        Log("backplane carries evictions again");
    }

    private static async Task<bool> KeyExistsAsync(ConnectionMultiplexer redis, string cacheName, string key)
    {
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        await foreach (var _ in server.KeysAsync(pattern: $"*{cacheName}:{key}"))
        {
            return true;
        }

        return false;
    }

    private static async Task<long> InsertBehindTheCacheAsync(ServiceFactory<Program> catalog, string name)
    {
        await using var connection = await catalog.OpenDatabaseAsync();
        return await connection.ExecuteScalarAsync<long>(
            "INSERT INTO products (name, description, price_cents, stock, created_at, updated_at) VALUES (@Name, '', 100, 1, 0, 0) RETURNING id",
            new { Name = name });
    }

    /// <summary>Reads and writes spread over the replicas, remembering the last name written to each product.</summary>
    private sealed class Run(IReadOnlyList<CachedCatalog> replicas, long[] ids)
    {
        private readonly string[] _names = [.. ids.Select((_, i) => $"p{i}-v0")];
        private int _op;

        public List<string> Failures { get; } = [];

        public int Writes { get; private set; }

        public async Task PhaseAsync(string phase, int ops)
        {
            for (var i = 0; i < ops; i++, _op++)
            {
                var replica = replicas[_op % replicas.Count];
                var k = _op % ids.Length;
                using var anonymous = replica.CreateClient();
                await CheckAsync(phase, "GET item", anonymous.GetAsync($"/api/products/{ids[k]}"));
                await CheckAsync(phase, "GET page", anonymous.GetAsync("/api/products?limit=10"));
                if (_op % 3 == 0)
                {
                    using var admin = replica.CreateClient(replica.Tokens.Admin());
                    var name = $"p{k}-op{_op}";
                    if (await CheckAsync(phase, "PUT", admin.PutAsJsonAsync($"/api/products/{ids[k]}", CatalogClient.Body(name))))
                    {
                        _names[k] = name;
                        Writes++;
                    }
                }
            }
        }

        /// <summary>Every product, as an anonymous reader of <paramref name="replica"/> sees it, has its last written name.</summary>
        public async Task<bool> AllCurrentAsync(CachedCatalog replica)
        {
            using var client = replica.CreateClient();
            for (var k = 0; k < ids.Length; k++)
            {
                if ((await client.GetFromJsonAsync<Product>($"/api/products/{ids[k]}"))!.Name != _names[k])
                {
                    return false;
                }
            }

            var page = await client.PageAsync("/api/products?limit=10");
            return ids.Select((id, k) => (id, _names[k])).All(p => page.Items.Any(item => item.Id == p.id && item.Name == p.Item2));
        }

        private async Task<bool> CheckAsync(string phase, string what, Task<HttpResponseMessage> request)
        {
            using var response = await request;
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            Failures.Add($"{phase}, op {_op}: {what} answered {(int)response.StatusCode}");
            return false;
        }
    }
}

public sealed class GarnetStoreOutageTests(ITestOutputHelper output) : StoreOutageTests(RedisStoreKind.Garnet, output);

public sealed class RedisServerStoreOutageTests(ITestOutputHelper output) : StoreOutageTests(RedisStoreKind.RedisServer, output);
