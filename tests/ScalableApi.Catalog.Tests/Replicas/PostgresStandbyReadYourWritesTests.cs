using ScalableApi.Catalog.Products;
using ScalableApi.Catalog.Tests.Support;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// The catalog service on <c>Host=primary,standby</c> with the standby's replay paused: the writer (signed in) reads
/// their own write every time, because signed-in reads go to the primary; an anonymous page, filled from the standby,
/// shows the old value until replay resumes.
/// </summary>
[Collection(TestStandby.Collection)]
[Trait("Category", "PostgresStandby")]
public sealed class PostgresStandbyReadYourWritesTests : IClassFixture<StandbyFixture>
{
    private readonly StandbyFixture _factory;

    public PostgresStandbyReadYourWritesTests(StandbyFixture factory)
    {
        TestStandby.SkipUnlessStandby();
        _factory = factory;
    }

    [SkippableFact]
    public async Task With_replay_paused_the_writer_sees_the_write_and_anonymous_readers_the_old_value_until_replay_resumes()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await _factory.CreateAsync(name: $"{marker} old");
        await _factory.StandbyServesReadsAsync();
        using var writer = _factory.CreateClient(_factory.Tokens.Admin());
        using var anonymous = _factory.CreateClient();

        await TestStandby.ExecuteOnStandbyAsync("SELECT pg_wal_replay_pause()");
        try
        {
            using (var put = await writer.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body($"{marker} new")))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            for (var i = 0; i < 100; i++)
            {
                var own = await writer.GetFromJsonAsync<Product>($"/api/products/{created.Id}");
                Assert.Equal($"{marker} new", own!.Name);
                var ownPage = await writer.PageAsync($"/api/products?q={marker}");
                Assert.Equal($"{marker} new", Assert.Single(ownPage.Items).Name);
            }

            // Each limit is a page no one has cached yet: it is filled from the standby, which has not replayed the write.
            for (var limit = 1; limit <= 10; limit++)
            {
                var page = await anonymous.PageAsync($"/api/products?q={marker}&limit={limit}");
                Assert.Equal($"{marker} old", Assert.Single(page.Items).Name);
            }
        }
        finally
        {
            await TestStandby.ExecuteOnStandbyAsync("SELECT pg_wal_replay_resume()");
        }

        var fresh = 10;
        await Eventually.HoldsAsync(
            async () =>
            {
                var page = await anonymous.PageAsync($"/api/products?q={marker}&limit={++fresh}");
                return Assert.Single(page.Items).Name == $"{marker} new";
            },
            "an anonymous page filled after replay resumed shows the write");
    }
}
