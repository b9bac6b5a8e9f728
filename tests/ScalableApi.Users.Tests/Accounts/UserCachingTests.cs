using ScalableApi.Platform.Caching;
using ScalableApi.Users.Accounts;
using ScalableApi.Users.Admins;
using ZiggyCreatures.Caching.Fusion;

namespace ScalableApi.Users.Tests.Accounts;

/// <summary>
/// Public profiles (<c>user:{id}</c>) cached on two real replicas sharing one database and one Redis-protocol store
/// (embedded Garnet, and redis-server): PATCH, DELETE and the <c>create-admin</c> command reach both replicas'
/// memory copies through Redis. The cache does not depend on the engine, so SQLite shows it.
/// </summary>
public abstract class UserCachingTests(RedisStoreKind storeKind)
{
    [SkippableFact]
    public async Task A_patch_or_delete_on_replica_A_is_seen_by_every_read_on_both_replicas()
    {
        await using var replicas = await CachedUsers.StartAsync(storeKind, 2);
        var (a, b) = (replicas[0], replicas[1]);
        var user = await a.NewUserAsync("Old name");
        Assert.All(await NamesAsync(replicas, user.Id), n => Assert.Equal("Old name", n));

        using var self = a.CreateClient(user.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await self.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "New name" })).StatusCode);
        await Eventually.HoldsAsync(async () => await NameAsync(b, user.Id) == "New name", "B sees the PATCH");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("New name", await NameAsync(replicas[i % 2], user.Id));
        }

        Assert.Equal(HttpStatusCode.NoContent, (await self.DeleteAsync($"/api/users/{user.Id}")).StatusCode);
        await Eventually.HoldsAsync(async () => await NameAsync(b, user.Id) is null, "B sees the DELETE");
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(await NameAsync(replicas[i % 2], user.Id));
        }
    }

    [SkippableFact]
    public async Task Two_patches_racing_leave_the_later_committed_profile_cached_on_both_replicas()
    {
        await using var replicas = await CachedUsers.StartAsync(storeKind, 2);
        var (a, b) = (replicas[0], replicas[1]);
        var user = await a.NewUserAsync("First");
        using var self = a.CreateClient(user.AccessToken);

        // A PATCH commits "Second"; a second PATCH commits "Third" after it and puts it in the cache.
        Assert.Equal(HttpStatusCode.OK, (await self.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "Second" })).StatusCode);
        var second = await a.Services.GetRequiredService<UserStore>().FindAsync(user.Id, ReadConsistency.Latest, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, (await self.PatchAsJsonAsync($"/api/users/{user.Id}", new { name = "Third" })).StatusCode);

        // The first PATCH's cache update arrives only now: each write puts after its own commit, and nothing orders two
        // writes' puts (two replicas, two requests). The older profile must not stay cached.
        await a.Services.GetRequiredService<UserCache>().ChangedAsync(user.Id, second, CancellationToken.None);

        await Eventually.HoldsAsync(async () => (await NamesAsync(replicas, user.Id)).All(n => n == "Third"), "both replicas show the later PATCH");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("Third", await NameAsync(replicas[i % 2], user.Id));
        }
    }

    [SkippableFact]
    public async Task Create_admin_of_a_new_user_replaces_a_cached_not_found_on_running_replicas()
    {
        await using var replicas = await CachedUsers.StartAsync(storeKind, 2);
        var a = replicas[0];
        // Ids are never reused: the next user's id is the newest one's plus one, and both replicas cache "not found" for it.
        var newest = await a.NewUserAsync("Newest");
        var gone = newest with { Id = newest.Id + 1 };

        await Eventually.HoldsAsync(async () => (await NamesAsync(replicas, gone.Id)).All(n => n is null), "both cache the 404");

        var (code, output, _) = await a.CreateAdminAsync("--email", UsersFactory.NewEmail(), "--password", "admin password 1", "--name", "Ops");
        Assert.Equal(CreateAdminCommand.ExitOk, code);
        Assert.Contains($"created admin user {gone.Id} ", output, StringComparison.Ordinal);

        await Eventually.HoldsAsync(async () => (await NamesAsync(replicas, gone.Id)).All(n => n == "Ops"), "both replicas see the new admin");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("Ops", await NameAsync(replicas[i % 2], gone.Id));
        }
    }

    [SkippableFact]
    public async Task Create_admin_promoting_a_user_replaces_the_memory_copy_on_running_replicas()
    {
        await using var replicas = await CachedUsers.StartAsync(storeKind, 2);
        var (a, b) = (replicas[0], replicas[1]);
        var user = await a.NewUserAsync("Promoted");
        Assert.All(await NamesAsync(replicas, user.Id), n => Assert.Equal("Promoted", n));
        // The role is not public, so a promotion reads the same. To see that B's memory copy is replaced, B
        // holds a stale copy of its own (as if filled before some change): only the command's eviction,
        // reaching B through Redis, can make B read the real profile again before the copy expires.
        await StaleMemoryCopyAsync(b, user.Id, "Stale");
        Assert.Equal("Stale", await NameAsync(b, user.Id));

        var (code, output, _) = await a.CreateAdminAsync("--email", user.Email, "--password", "promoted password");
        Assert.Equal(CreateAdminCommand.ExitOk, code);
        Assert.Contains("promoted", output, StringComparison.Ordinal);

        await Eventually.HoldsAsync(async () => await NameAsync(b, user.Id) == "Promoted", "B's copy replaced");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("Promoted", await NameAsync(replicas[i % 2], user.Id));
        }
    }

    [SkippableFact]
    public async Task Create_admin_tells_the_gateways_to_purge_that_users_profile_and_nothing_else()
    {
        await using var replicas = await CachedUsers.StartAsync(storeKind, 1);
        var a = replicas[0];
        var user = await a.NewUserAsync("Promoted");
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(a.Redis);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await redis.GetSubscriber().SubscribeAsync(
            StackExchange.Redis.RedisChannel.Literal(EdgePurges.Channel), (_, message) => heard.Enqueue(message.ToString()));

        var (code, _, _) = await a.CreateAdminAsync("--email", user.Email, "--password", "promoted password");

        Assert.Equal(CreateAdminCommand.ExitOk, code);
        // No gateway carried this write: the command published the one key it changed (not a purge of everything).
        await Eventually.HoldsAsync(() => Task.FromResult(heard.Contains($"users:create-admin|user:{user.Id}")), "the purge of the profile was published");
    }

    /// <summary>Puts a profile in the replica's memory level only: not in Redis, no backplane message.</summary>
    private static async Task StaleMemoryCopyAsync(CachedUsers replica, long id, string name)
    {
        var cache = replica.Services.GetRequiredService<IFusionCache>();
        await cache.SetAsync(
            UserCache.UserKey(id),
            new Positioned<PublicUserResponse?>(new PublicUserResponse(id, name, DateTime.UnixEpoch), 0),
            new FusionCacheEntryOptions { Duration = TimeSpan.FromMinutes(5), SkipDistributedCacheWrite = true, SkipBackplaneNotifications = true });
    }

    private static async Task<string?[]> NamesAsync(IReadOnlyList<CachedUsers> replicas, long id) =>
        await Task.WhenAll(replicas.Select(r => NameAsync(r, id)));

    /// <summary>The public profile's name, or null for 404.</summary>
    private static async Task<string?> NameAsync(CachedUsers replica, long id)
    {
        using var client = replica.CreateClient();
        using var response = await client.GetAsync($"/api/users/{id}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await response.Content.ReadFromJsonAsync<PublicUserResponse>())!.Name;
    }
}

public sealed class GarnetUserCachingTests() : UserCachingTests(RedisStoreKind.Garnet);

public sealed class RedisServerUserCachingTests() : UserCachingTests(RedisStoreKind.RedisServer);
