using ScalableApi.Catalog.Tests.Support;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>
/// Which connection each read uses (one database here, so the choice is observed on the data-source seam):
/// a signed-in caller (every writer is one) reads from the primary and sees their write at once; anonymous
/// reads may go to a replica, or are answered by the cache. The choice does not depend on the engine, so SQLite alone shows it.
/// </summary>
public sealed class ReadYourWritesTests(ReadYourWritesTests.Fixture factory) : IClassFixture<ReadYourWritesTests.Fixture>
{
    /// <summary>
    /// Right after a write, anonymous page fills read the primary on purpose (a standby may lag; see
    /// CollectionVersions and the lagging-replica caching test): this fixture turns that window off to show the
    /// routing of every other read.
    /// </summary>
    public sealed class Fixture : StatementCountingSqliteFactory
    {
        protected override IEnumerable<KeyValuePair<string, string?>> ExtraSettings => [new("Caching:FillFromPrimaryAfterWrite", "00:00:00")];
    }

    [Fact]
    public async Task Signed_in_reads_use_the_primary_and_anonymous_reads_the_read_source()
    {
        var (created, _) = await factory.CreateAsync();
        using var admin = factory.CreateClient(factory.Tokens.Admin());
        using var anonymous = factory.CreateClient();

        foreach (var url in new[] { $"/api/products/{created.Id}", "/api/products?limit=5", "/api/products/export" })
        {
            var (reads, writes) = (factory.ReadOpens, factory.WriteOpens);
            using (var response = await admin.GetAsync(url))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            Assert.Equal((reads, writes + 1), (factory.ReadOpens, factory.WriteOpens));

            using (var response = await anonymous.GetAsync(url))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            // Never the primary; the read source unless the cache answers (the product is cached by its creation).
            Assert.Equal(writes + 1, factory.WriteOpens);
            Assert.InRange(factory.ReadOpens, reads, reads + 1);
        }
    }
}
