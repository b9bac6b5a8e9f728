using ScalableApi.Platform.Discovery;
using StackExchange.Redis;

namespace ScalableApi.Platform.Tests.Discovery;

/// <summary>A replica registers itself once it listens and leaves the registry when it stops gracefully.</summary>
public sealed class ServiceRegistrarTests
{
    [Fact]
    public async Task Replica_registers_on_start_and_deregisters_on_graceful_stop()
    {
        using var redis = TestRedis.Start();
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var registry = new ServiceRegistry(connection, TimeProvider.System);
        var address = $"http://probe-{Guid.NewGuid():N}.test:5000";

        var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Discovery:Enabled"] = "true",
            ["Discovery:Address"] = address,
            ["Discovery:Weight"] = "3",
        });
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (!(await registry.ListAsync("probe")).Any(i => i.Address == address))
            {
                Assert.True(DateTime.UtcNow < deadline, "the replica did not register");
                await Task.Delay(50);
            }

            var registered = (await registry.ListAsync("probe")).Single(i => i.Address == address);
            Assert.Equal(3, registered.Weight);
        }
        finally
        {
            await app.DisposeAsync();
        }

        Assert.DoesNotContain(await registry.ListAsync("probe"), i => i.Address == address);
    }

    [Fact]
    public async Task A_replica_registers_again_as_soon_as_a_store_that_restarted_empty_is_back()
    {
        using var redis = TestRedis.StartStoppable(RedisStoreKind.Garnet);
        var address = $"http://probe-{Guid.NewGuid():N}.test:5000";
        // A heartbeat far away: only the reconnection can bring the registration back within the test.
        await using var app = await ProbeApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis.ConnectionString,
            ["Discovery:Enabled"] = "true",
            ["Discovery:Address"] = address,
            ["Discovery:HeartbeatInterval"] = "00:05:00",
            ["Discovery:Ttl"] = "00:10:00",
        });
        await using (var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        {
            await Eventually.HoldsAsync(async () => (await new ServiceRegistry(connection, TimeProvider.System).ListAsync("probe")).Any(i => i.Address == address), "registered");
        }

        redis.Stop();
        redis.Restart();

        await using var fresh = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var registry = new ServiceRegistry(fresh, TimeProvider.System);
        await Eventually.HoldsAsync(async () => (await registry.ListAsync("probe")).Any(i => i.Address == address), "registered again after the restart");
    }
}
