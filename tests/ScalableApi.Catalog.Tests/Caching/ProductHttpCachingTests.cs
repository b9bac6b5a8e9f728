namespace ScalableApi.Catalog.Tests.Caching;

/// <summary>
/// HTTP caching of products on a cached replica: a conditional GET answered from the cache, and Cache-Control by who is
/// asking (public for anonymous reads, private for signed-in ones).
/// </summary>
public abstract class ProductHttpCachingTests(RedisStoreKind storeKind) : CachedCatalogSuite(storeKind)
{
    [SkippableFact]
    public async Task A_cached_product_answers_if_none_match_with_304_without_the_database()
    {
        await using var replicas = await ReplicasAsync(1);
        var catalog = replicas[0];
        var (created, etag) = await catalog.CreateAsync("Tagged");
        using var client = catalog.CreateClient();
        using (var warm = await client.GetAsync($"/api/products/{created.Id}"))
        {
            Assert.Equal(etag, warm.Headers.ETag?.ToString());
        }

        var before = catalog.Statements;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{created.Id}");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag?.ToString());
        Assert.Equal(0, catalog.Statements - before);

        (await MetricsPage.ScrapeAsync(client)).AssertContains(
            $"cache_requests_total{{cache=\"{catalog.CacheName}\",level=\"memory\",result=\"hit\"}}",
            "cache_backplane_messages_total{");
    }

    [SkippableTheory]
    [InlineData(false, "public, max-age=30, stale-while-revalidate=60")]
    [InlineData(true, "no-store, private")] // as HttpClient formats "private, no-store"
    public async Task Anonymous_reads_are_public_and_signed_in_reads_private(bool signedIn, string cacheControl)
    {
        await using var replicas = await ReplicasAsync(1);
        var catalog = replicas[0];
        var (created, _) = await catalog.CreateAsync("Headers");
        using var client = catalog.CreateClient(signedIn ? catalog.Tokens.Create(7, "user") : null);

        foreach (var url in new[] { $"/api/products/{created.Id}", "/api/products?limit=5" })
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(cacheControl, response.Headers.CacheControl?.ToString());
            Assert.Contains("Authorization", response.Headers.Vary);
        }
    }
}

public sealed class GarnetProductHttpCachingTests() : ProductHttpCachingTests(RedisStoreKind.Garnet);

public sealed class RedisServerProductHttpCachingTests() : ProductHttpCachingTests(RedisStoreKind.RedisServer);
