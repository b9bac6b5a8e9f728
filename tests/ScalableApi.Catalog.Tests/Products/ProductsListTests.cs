using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>GET /api/products: keyset pages, search, price range, and every parameter's 400.</summary>
public abstract class ProductsListTests(ServiceFactory<Program> factory)
{
    [SkippableFact]
    public async Task A_page_defaults_to_20_newest_first_with_cache_control()
    {
        for (var i = 0; i < 21; i++)
        {
            await factory.CreateAsync($"default page {i}");
        }

        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/api/products");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=30, stale-while-revalidate=60", response.Headers.CacheControl?.ToString());
        var page = await client.PageAsync("/api/products");
        Assert.Equal(20, page.Items.Count);
        Assert.NotNull(page.NextCursor);
        Assert.Equal(page.Items.OrderByDescending(p => p.Id).Select(p => p.Id), page.Items.Select(p => p.Id));
    }

    [SkippableFact]
    public async Task Walking_all_pages_returns_every_match_once_in_order()
    {
        var marker = CatalogClient.UniqueMarker();
        var created = new List<long>();
        for (var i = 0; i < 23; i++)
        {
            created.Add((await factory.CreateAsync($"{marker} item {i}")).Product.Id);
        }

        using var client = factory.CreateClient();
        foreach (var limit in new[] { 1, 5, 7, 23, 100 })
        {
            var all = await client.WalkAsync($"q={marker}&limit={limit}");

            Assert.Equal(created.OrderByDescending(id => id), all.Select(p => p.Id));
        }

        var exact = await client.PageAsync($"/api/products?q={marker}&limit=23");
        Assert.Equal(23, exact.Items.Count);
        Assert.Null(exact.NextCursor); // no empty trailing page when the last page is exactly full
    }

    [SkippableFact]
    public async Task Search_is_a_case_insensitive_substring_of_name_or_description()
    {
        var marker = CatalogClient.UniqueMarker();
        var inName = (await factory.CreateAsync($"Red {marker} chair", "plain")).Product.Id;
        var inDescription = (await factory.CreateAsync("Blue table", $"goes with the {marker.ToUpperInvariant()} set")).Product.Id;
        await factory.CreateAsync("Unrelated", "nothing to see");

        using var client = factory.CreateClient();
        var page = await client.PageAsync($"/api/products?q={marker[2..10].ToUpperInvariant()}&limit=100");

        Assert.Equal(new[] { inDescription, inName }, page.Items.Select(p => p.Id));
    }

    [SkippableFact]
    public async Task Search_treats_wildcards_quotes_and_operators_as_plain_text()
    {
        var marker = CatalogClient.UniqueMarker();
        var percent = (await factory.CreateAsync($"{marker} 100% cotton_shirt")).Product.Id;
        await factory.CreateAsync($"{marker} 100 cotton shirt");
        var quoted = (await factory.CreateAsync($"{marker} say \"hi\" OR NOT*")).Product.Id;

        using var client = factory.CreateClient();
        var wildcard = await client.PageAsync("/api/products?q=" + Uri.EscapeDataString("0% cotton_") + "&limit=100");
        var operators = await client.PageAsync("/api/products?q=" + Uri.EscapeDataString("\"hi\" OR NOT*") + "&limit=100");

        Assert.Equal(new[] { percent }, wildcard.Items.Select(p => p.Id));
        Assert.Equal(new[] { quoted }, operators.Items.Select(p => p.Id));
    }

    [SkippableFact]
    public async Task Price_range_is_inclusive_and_pages_correctly()
    {
        var marker = CatalogClient.UniqueMarker();
        var prices = new[] { 0m, 0.99m, 1m, 5.5m, 10m, 10.01m, 250m };
        var ids = new Dictionary<long, decimal>();
        foreach (var price in prices)
        {
            ids[(await factory.CreateAsync($"{marker} priced", price: price)).Product.Id] = price;
            ids[(await factory.CreateAsync($"{marker} priced twin", price: price)).Product.Id] = price;
        }

        using var client = factory.CreateClient();
        var range = await client.WalkAsync($"q={marker}&minPrice=1&maxPrice=10&limit=2");
        var from = await client.WalkAsync($"q={marker}&minPrice=10.01&limit=3");
        var upTo = await client.WalkAsync($"q={marker}&maxPrice=0.99&limit=1");
        var exact = await client.WalkAsync($"q={marker}&minPrice=5.50&maxPrice=5.5");

        Assert.Equal(ids.Where(p => p.Value is >= 1 and <= 10).Select(p => p.Key).OrderDescending(), range.Select(p => p.Id));
        Assert.Equal(ids.Where(p => p.Value >= 10.01m).Select(p => p.Key).OrderDescending(), from.Select(p => p.Id));
        Assert.Equal(ids.Where(p => p.Value <= 0.99m).Select(p => p.Key).OrderDescending(), upTo.Select(p => p.Id));
        Assert.Equal(2, exact.Count);
        Assert.All(exact, p => Assert.Equal(5.5m, p.Price));
    }

    [SkippableFact]
    public async Task Price_range_without_search_walks_without_gaps()
    {
        // A price no other test uses, so the walk sees only these rows whatever else the class created.
        var created = new List<long>();
        for (var i = 0; i < 9; i++)
        {
            created.Add((await factory.CreateAsync("range only", price: 777_777.77m)).Product.Id);
        }

        using var client = factory.CreateClient();
        var all = await client.WalkAsync("minPrice=777777.77&maxPrice=777777.77&limit=4");

        Assert.Equal(created.OrderDescending(), all.Select(p => p.Id));
    }

    [SkippableFact]
    public async Task Writes_between_pages_neither_duplicate_nor_skip_older_rows()
    {
        var marker = CatalogClient.UniqueMarker();
        var created = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            created.Add((await factory.CreateAsync($"{marker} stable {i}")).Product.Id);
        }

        using var client = factory.CreateClient();
        var first = await client.PageAsync($"/api/products?q={marker}&limit=3");
        await factory.CreateAsync($"{marker} newer"); // lands before the cursor: not in later pages
        var second = await client.PageAsync($"/api/products?q={marker}&limit=3&cursor={Uri.EscapeDataString(first.NextCursor!)}");

        Assert.Equal(created.OrderDescending(), first.Items.Concat(second.Items).Select(p => p.Id));
        Assert.Null(second.NextCursor);
    }

    [SkippableFact]
    public async Task Search_with_no_match_is_an_empty_last_page()
    {
        using var client = factory.CreateClient();
        var page = await client.PageAsync($"/api/products?q={CatalogClient.UniqueMarker()}");

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [SkippableTheory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-5", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("limit=99999999999999999999", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("cursor=nonsense", "cursor")]
    [InlineData("cursor=AQAAAAAAAAAB%27%3B--", "cursor")]
    [InlineData("minPrice=abc", "minPrice")]
    [InlineData("minPrice=-1", "minPrice")]
    [InlineData("minPrice=1.001", "minPrice")]
    [InlineData("minPrice=1e3", "minPrice")]
    [InlineData("maxPrice=1000000000.01", "maxPrice")]
    [InlineData("maxPrice=99999999999999999999999999999999", "maxPrice")]
    [InlineData("minPrice=10&maxPrice=9.99", "minPrice")]
    [InlineData("q=ab", "q")]
    [InlineData("q=%00%00%00", "q")]
    public async Task Invalid_parameters_are_400_naming_the_field(string query, string field)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync("/api/products?" + query);
        await ProblemAssert.HasFieldErrorAsync(response, field);
    }

    [SkippableFact]
    public async Task Boundary_parameters_are_accepted()
    {
        using var client = factory.CreateClient();
        foreach (var query in new[] { "limit=1", "limit=100", "minPrice=0&maxPrice=1000000000", "q=%20%20abc%20", "q=", "cursor=", "limit=", "minPrice=", "minPrice=5&maxPrice=5" })
        {
            using var response = await client.GetAsync("/api/products?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var longest = new string('x', ProductListQuery.SearchMaxLength);
        using var longSearch = await client.GetAsync("/api/products?q=" + longest);
        Assert.Equal(HttpStatusCode.OK, longSearch.StatusCode);
        using var tooLong = await client.GetAsync("/api/products?q=" + longest + "x");
        await ProblemAssert.HasFieldErrorAsync(tooLong, "q");
    }

    [SkippableFact]
    public async Task The_openapi_document_describes_every_product_route()
    {
        using var client = factory.CreateClient();
        var document = await client.GetStringAsync("/openapi/v1.json");

        foreach (var path in new[] { "\"/api/products\"", "\"/api/products/export\"", "\"/api/products/{id}\"" })
        {
            Assert.Contains(path, document, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task A_cursor_from_the_last_row_returns_an_empty_last_page()
    {
        using var client = factory.CreateClient();
        var cursor = ScalableApi.Platform.Data.KeysetCursor.Encode(1);
        var page = await client.PageAsync("/api/products?cursor=" + cursor);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }
}

public sealed class SqliteProductsListTests(SqliteFixture factory) : ProductsListTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresProductsListTests(PostgresFixture factory) : ProductsListTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
