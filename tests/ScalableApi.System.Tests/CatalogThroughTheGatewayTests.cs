using static ScalableApi.System.Tests.Api.GatewayApi;

namespace ScalableApi.System.Tests;

/// <summary>SPEC §2, catalog service: each route once through the gateway, with its main error status.</summary>
public sealed class CatalogThroughTheGatewayTests(SystemTopology topology) : SharedTopologySuite(topology)
{
    [Fact]
    public async Task Listing_products_is_a_page_a_CDN_may_cache()
    {
        var admin = await Client.AdminAsync();
        await Client.CreateProductAsync(admin);

        using var page = await Client.SendAsync(HttpMethod.Get, "/api/products?limit=5");
        await page.ExpectAsync(HttpStatusCode.OK);
        Assert.NotNull(page.Headers.CacheControl);
        Assert.True(page.Headers.CacheControl.Public, $"Cache-Control: {page.Headers.CacheControl}");
        Assert.NotEmpty((await page.JsonAsync()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_product_has_an_ETag_that_answers_not_modified_and_an_unknown_id_is_not_found()
    {
        var admin = await Client.AdminAsync();
        var id = await Client.CreateProductAsync(admin);

        using var product = await Client.SendAsync(HttpMethod.Get, Path($"/api/products/{id}"));
        await product.ExpectAsync(HttpStatusCode.OK);
        var etag = product.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal(id, (await product.JsonAsync()).GetProperty("id").GetInt64());

        using var notModified = await Client.SendAsync(HttpMethod.Get, Path($"/api/products/{id}"), headers: h => h.IfNoneMatch.Add(etag));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        using var missing = await Client.SendAsync(HttpMethod.Get, "/api/products/987654321987");
        await missing.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Creating_a_product_is_for_admins_only()
    {
        var admin = await Client.AdminAsync();
        var user = await Client.NewUserAsync();

        using var created = await Client.SendAsync(HttpMethod.Post, "/api/products", admin.AccessToken, NewProduct());
        await created.ExpectAsync(HttpStatusCode.Created);
        var id = (await created.JsonAsync()).GetProperty("id").GetInt64();
        Assert.Equal(Path($"/api/products/{id}"), created.Headers.Location?.OriginalString);

        using var asUser = await Client.SendAsync(HttpMethod.Post, "/api/products", user.AccessToken, NewProduct());
        await asUser.ExpectProblemAsync(HttpStatusCode.Forbidden);

        using var anonymous = await Client.SendAsync(HttpMethod.Post, "/api/products", body: NewProduct());
        await anonymous.ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Replacing_a_product_with_a_stale_If_Match_is_a_failed_precondition()
    {
        var admin = await Client.AdminAsync();
        var id = await Client.CreateProductAsync(admin);
        using var original = await Client.SendAsync(HttpMethod.Get, Path($"/api/products/{id}"));
        var stale = original.Headers.ETag!;

        using var replaced = await Client.SendAsync(HttpMethod.Put, Path($"/api/products/{id}"), admin.AccessToken, NewProduct("Renamed", 12.5m), h => h.IfMatch.Add(stale));
        await replaced.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Renamed", (await replaced.JsonAsync()).GetProperty("name").GetString());

        using var conflicting = await Client.SendAsync(HttpMethod.Put, Path($"/api/products/{id}"), admin.AccessToken, NewProduct("Lost update"), h => h.IfMatch.Add(stale));
        await conflicting.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Deleting_a_product_answers_no_content_and_it_is_gone()
    {
        var admin = await Client.AdminAsync();
        var id = await Client.CreateProductAsync(admin);

        using var deleted = await Client.SendAsync(HttpMethod.Delete, Path($"/api/products/{id}"), admin.AccessToken);
        await deleted.ExpectAsync(HttpStatusCode.NoContent);

        // The writer reads its own delete at once, whichever replica answers (signed-in reads skip the cache).
        using var gone = await Client.SendAsync(HttpMethod.Get, Path($"/api/products/{id}"), admin.AccessToken);
        await gone.ExpectProblemAsync(HttpStatusCode.NotFound);

        // Anonymous reads come from each replica's cache: gone there as soon as the backplane message arrives
        // (milliseconds after the 204; a replica may answer from memory in between), on both replicas.
        var goneForEveryone = await Poll.UntilAsync(
            async () =>
            {
                for (var i = 0; i < 6; i++)
                {
                    using var anonymous = await Client.SendAsync(HttpMethod.Get, Path($"/api/products/{id}"));
                    if (anonymous.StatusCode != HttpStatusCode.NotFound)
                    {
                        return false;
                    }
                }

                return true;
            },
            TimeSpan.FromSeconds(10));
        Assert.True(goneForEveryone, "anonymous readers still got the deleted product 10 s after the delete");
    }

    [Fact]
    public async Task Exporting_products_as_NDJSON_streams_one_product_per_line()
    {
        var admin = await Client.AdminAsync();
        var id = await Client.CreateProductAsync(admin, "Exported");

        using var export = await Client.SendAsync(HttpMethod.Get, "/api/products/export", headers: h => h.Accept.Add(new MediaTypeWithQualityHeaderValue("application/x-ndjson")));
        await export.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("application/x-ndjson", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetInt64());
        Assert.Contains(id, ids);
    }
}
