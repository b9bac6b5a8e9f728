using ScalableApi.Catalog.Products;
using ScalableApi.Contracts;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>
/// Read-your-writes by consistency token on SQLite, with the read side frozen as a lagging replica (a snapshot, the
/// way a standby behind on replay looks): a write answers with a <c>Consistency-Token</c>; reads carrying it see the
/// write, items and pages, from the cache or the database; reads without it, signed in or not, are served by the
/// replica and the caches (not the primary), and a page filled there shows the old value.
/// </summary>
public sealed class ReadYourWritesTests(ReadYourWritesTests.Fixture factory) : IClassFixture<ReadYourWritesTests.Fixture>
{
    /// <summary>
    /// Right after a write, anonymous page fills read the primary on purpose (a standby may lag; see
    /// CollectionVersions): this fixture turns that window off to show the routing of every other read.
    /// </summary>
    public sealed class Fixture : StatementCountingSqliteFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Caching:FillFromPrimaryAfterWrite", "00:00:00")];
    }

    [Fact]
    public async Task A_writes_token_makes_its_reads_see_the_write_while_reads_without_it_use_the_replica()
    {
        // Its own service: the frozen replica would hide the other tests' rows.
        await using var factory = new Fixture();
        await factory.InitializeAsync();
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await factory.CreateAsync(name: $"{marker} old");
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        using var anonymous = factory.CreateClient();
        await factory.FreezeReadReplicaAsync();

        string token;
        using (var put = await admin.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body($"{marker} new")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            token = Assert.Single(put.Headers.GetValues("Consistency-Token"));
        }

        Assert.StartsWith("sqlite.", token, StringComparison.Ordinal);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"{marker} new", (await admin.GetWithTokenAsync<Product>($"/api/products/{created.Id}", token)).Name);
            var page = await admin.GetWithTokenAsync<Page<Product>>($"/api/products?q={marker}&limit={1 + (i % 10)}", token);
            Assert.Equal($"{marker} new", Assert.Single(page.Items).Name);
        }

        // Without the token: the replica, for the signed-in writer too (and never the primary); pages no one cached
        // are filled from it, and show what it has.
        var writes = factory.WriteOpens;
        for (var limit = 11; limit <= 15; limit++)
        {
            Assert.Equal($"{marker} old", Assert.Single((await admin.PageAsync($"/api/products?q={marker}&limit={limit}")).Items).Name);
            Assert.Equal($"{marker} old", Assert.Single((await anonymous.PageAsync($"/api/products?q={marker}&limit={limit + 10}")).Items).Name);
        }

        Assert.Equal(writes, factory.WriteOpens);
    }

    [Fact]
    public async Task A_read_without_a_token_opens_no_primary_connection_signed_in_or_not()
    {
        var (created, _) = await factory.CreateAsync();
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        using var anonymous = factory.CreateClient();

        foreach (var url in new[] { $"/api/products/{created.Id}", "/api/products?limit=7", "/api/products/export" })
        {
            var writes = factory.WriteOpens;
            foreach (var client in new[] { admin, anonymous })
            {
                using var response = await client.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal(writes, factory.WriteOpens);
        }
    }

    [Fact]
    public async Task A_malformed_token_is_a_400_problem()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/products");
        request.Headers.TryAddWithoutValidation("Consistency-Token", "not-a-token");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
