using ScalableApi.Platform.Data;
using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>
/// Read-your-writes through the gateway on a real streaming standby (issue 14.3/14.4): the catalog runs on
/// <c>Host=primary,standby</c>; with the standby's replay paused, a signed-in admin writes, then reads 100 times
/// through the gateway and always sees the write (the gateway adds their consistency token, the service sends those
/// reads to the primary), while anonymous pages, filled from the standby, show the old value until replay resumes.
/// The client sends no token itself.
/// </summary>
[Trait("Category", "PostgresStandby")]
public sealed class PostgresStandbyThroughTheGatewayTests : IAsyncLifetime
{
    private TestDatabase? _database;
    private SystemTopology? _topology;

    public async Task InitializeAsync()
    {
        if (!TestStandby.Available)
        {
            return;
        }

        _database = await TestDatabase.CreateAsync(DatabaseEngine.Postgres);
        var name = TestStandby.DatabaseName(_database);
        await TestStandby.CaughtUpAsync(name);
        var catalog = new Npgsql.NpgsqlConnectionStringBuilder(TestStandby.Replicated(name)) { HostRecheckSeconds = 1 }.ConnectionString;
        _topology = await SystemTopology.StartAsync(new SystemTopologyOptions
        {
            Replicas = 1,
            Environment = new Dictionary<string, IReadOnlyDictionary<string, string?>>
            {
                [SystemTopology.Users] = new Dictionary<string, string?> { ["Users__AdminEmails__0"] = SystemTopologyOptions.AdminEmail },
                [SystemTopology.Catalog] = new Dictionary<string, string?>
                {
                    ["Database__ConnectionString"] = catalog,
                    ["Database__Provider"] = "postgres",
                    // Page fills right after a write would read the primary: off, so anonymous pages show the standby.
                    ["Caching__FillFromPrimaryAfterWrite"] = "00:00:00",
                    // Replay stays paused while the 200 reads run, seconds on a loaded machine: past the default
                    // 5 s bound the standby would count as lagging and anonymous pages, too, would come from the
                    // primary (the bound has its own test). Off here.
                    ["Database__MaxStandbyLagMilliseconds"] = "0",
                },
            },
        });
    }

    public Task DisposeAsync() => Disposal.AllAsync(_topology, _database);

    [SkippableFact]
    public async Task With_replay_paused_a_signed_in_writer_reads_their_write_100_times_through_the_gateway()
    {
        TestStandby.SkipUnlessStandby();
        var client = _topology!.GatewayClient;
        var admin = await client.AdminAsync();
        var marker = "zq" + Guid.NewGuid().ToString("N")[..12];
        var id = await client.CreateProductAsync(admin, $"{marker} old");
        var limit = 0;
        await Eventually.HoldsAsync(
            async () => await AnonymousNameAsync(client, marker, ++limit) == $"{marker} old",
            "the standby serves the product");

        await TestStandby.ExecuteOnStandbyAsync("SELECT pg_wal_replay_pause()");
        try
        {
            using (var put = await client.SendAsync(HttpMethod.Put, $"/api/products/{id}", admin.AccessToken, NewProduct($"{marker} new")))
            {
                await put.ExpectAsync(HttpStatusCode.OK);
                Assert.True(put.Headers.Contains("Consistency-Token"));
            }

            for (var i = 0; i < 100; i++)
            {
                using var own = await client.SendAsync(HttpMethod.Get, $"/api/products/{id}", admin.AccessToken);
                await own.ExpectAsync(HttpStatusCode.OK);
                Assert.Equal($"{marker} new", (await own.JsonAsync()).GetProperty("name").GetString());
                using var page = await client.SendAsync(HttpMethod.Get, $"/api/products?q={marker}&limit={1 + (i % 20)}", admin.AccessToken);
                await page.ExpectAsync(HttpStatusCode.OK);
                Assert.Equal($"{marker} new", Assert.Single((await page.JsonAsync()).GetProperty("items").EnumerateArray()).GetProperty("name").GetString());
            }

            for (var i = 0; i < 5; i++)
            {
                Assert.Equal($"{marker} old", await AnonymousNameAsync(client, marker, 50 + ++limit));
            }
        }
        finally
        {
            await TestStandby.ExecuteOnStandbyAsync("SELECT pg_wal_replay_resume()");
        }

        await Eventually.HoldsAsync(
            async () => await AnonymousNameAsync(client, marker, 50 + ++limit) == $"{marker} new",
            "anonymous pages filled after replay resumed show the write");
    }

    /// <summary>A page no one has read (a fresh limit): past the gateway's edge cache and the service's cache.</summary>
    private static async Task<string?> AnonymousNameAsync(HttpClient client, string marker, int limit)
    {
        using var page = await client.SendAsync(HttpMethod.Get, $"/api/products?q={marker}&limit={limit}");
        await page.ExpectAsync(HttpStatusCode.OK);
        var items = (await page.JsonAsync()).GetProperty("items").EnumerateArray().ToList();
        return items.Count == 1 ? items[0].GetProperty("name").GetString() : null;
    }
}
