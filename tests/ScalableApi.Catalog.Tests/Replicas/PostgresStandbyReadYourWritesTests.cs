using ScalableApi.Catalog.Products;
using ScalableApi.Contracts;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// The catalog service on <c>Host=primary,standby</c> with the standby's replay paused: the writer, sending the
/// <c>Consistency-Token</c> its write returned, reads their own write every time (the standby has not replayed the
/// token, so the primary answers: <c>token_ahead</c>); reads without a token, the writer's own included, are the
/// standby's and show the old value until replay resumes.
/// </summary>
public sealed class PostgresStandbyReadYourWritesTests(StandbyFixture factory) : StandbySuite<StandbyFixture>(factory)
{
    private const string TokenAheadReads = "db_reads_total{reason=\"token_ahead\",target=\"primary\"}";

    [SkippableFact]
    public async Task With_replay_paused_the_writers_token_shows_the_write_and_reads_without_it_the_old_value_until_replay_resumes()
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await Factory.CreateAsync(name: $"{marker} old");
        await Factory.StandbyServesReadsAsync();
        using var writer = Factory.CreateClient(Factory.Tokens.Admin());
        using var anonymous = Factory.CreateClient();
        var before = await MetricsPage.ValueAsync(anonymous, TokenAheadReads);

        await TestStandby.ExecuteOnStandbyAsync("SELECT pg_wal_replay_pause()");
        try
        {
            string token;
            using (var put = await writer.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body($"{marker} new")))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
                token = Assert.Single(put.Headers.GetValues("Consistency-Token"));
            }

            for (var i = 0; i < 100; i++)
            {
                Assert.Equal($"{marker} new", (await writer.GetWithTokenAsync<Product>($"/api/products/{created.Id}", token)).Name);
                var ownPage = await writer.GetWithTokenAsync<Page<Product>>($"/api/products?q={marker}&limit={1 + (i % 20)}", token);
                Assert.Equal($"{marker} new", Assert.Single(ownPage.Items).Name);
            }

            // Each limit is a page no one has cached yet: it is filled from the standby, which has not replayed the
            // write; signed in or not makes no difference without the token.
            for (var limit = 21; limit <= 30; limit++)
            {
                var client = limit % 2 == 0 ? anonymous : writer;
                var page = await client.PageAsync($"/api/products?q={marker}&limit={limit}");
                Assert.Equal($"{marker} old", Assert.Single(page.Items).Name);
            }

            var after = await MetricsPage.ValueAsync(anonymous, TokenAheadReads);
            Assert.True(after >= before + 100, $"token_ahead {before} -> {after}");
        }
        finally
        {
            await TestStandby.ExecuteOnStandbyAsync("SELECT pg_wal_replay_resume()");
        }

        var fresh = 30;
        await Eventually.HoldsAsync(
            async () =>
            {
                var page = await anonymous.PageAsync($"/api/products?q={marker}&limit={++fresh}");
                return Assert.Single(page.Items).Name == $"{marker} new";
            },
            "an anonymous page filled after replay resumed shows the write");
    }
}
