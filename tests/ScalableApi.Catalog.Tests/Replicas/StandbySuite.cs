namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// What every standby suite on a catalog service shares: the standby collection (one of them pauses replay, which the
/// others would notice), the <c>PostgresStandby</c> trait, the skip without a standby, and the service under test.
/// xunit reads the collection and the trait from this base class.
/// </summary>
[Collection(TestStandby.Collection)]
[Trait("Category", "PostgresStandby")]
public abstract class StandbySuite<TFixture> : IClassFixture<TFixture>
    where TFixture : StandbyFixture
{
    protected StandbySuite(TFixture factory)
    {
        TestStandby.SkipUnlessStandby();
        Factory = factory;
    }

    protected TFixture Factory { get; }

    /// <summary>
    /// <paramref name="count"/> pages no one has cached (a new limit from <paramref name="nextLimit"/> each): each needs
    /// a read connection of its own; every one must be a 200 holding the product <paramref name="id"/> alone.
    /// </summary>
    protected static async Task ReadFreshPagesAsync(HttpClient client, string marker, long id, Func<int> nextLimit, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var page = await client.PageAsync($"/api/products?q={marker}&limit={nextLimit()}");
            Assert.Equal(id, Assert.Single(page.Items).Id);
        }
    }

    /// <summary>The one product's name on a page no one has cached (a new limit each time): a read connection of its own.</summary>
    protected static async Task<string> NameOnFreshPageAsync(HttpClient client, string query, int limit)
    {
        var page = await client.PageAsync($"/api/products?q={Uri.EscapeDataString(query)}&limit={limit}");
        return Assert.Single(page.Items).Name;
    }
}
