using ScalableApi.Catalog.Products;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>Malformed, oversized, mistyped and hostile input: always a 4xx (never a 5xx) and no data changed.</summary>
public abstract class ProductsHostileInputTests(ServiceFactory<Program> factory)
{
    public static TheoryData<string> Injections => new()
    {
        "'; DROP TABLE products;--",
        "\" OR 1=1 --",
        "Robert'); DELETE FROM products WHERE ('1'='1",
        "<script>alert('x')</script> &amp; <b>bold</b>",
        "NEAR(a b) AND \"x\" OR y* ^z",
        "%_\\%\\_ LIKE '%'",
        "Ünïcödé 名前 🚀 \u200b zero-width",
        "{{ 7*7 }} ${jndi:ldap://x/a}",
    };

    [SkippableTheory]
    [MemberData(nameof(Injections))]
    public async Task Injection_strings_are_stored_and_returned_verbatim_and_found_by_search(string text)
    {
        var marker = CatalogClient.UniqueMarker();
        var (created, _) = await factory.CreateAsync($"{marker} {text}", text, 1m, 1);
        Assert.Equal($"{marker} {text}", created.Name);
        Assert.Equal(text, created.Description);

        using var client = factory.CreateClient();
        var fetched = await client.GetFromJsonAsync<Product>($"/api/products/{created.Id}");
        Assert.Equal(created, fetched);

        // The raw JSON carries the text without HTML escaping (SPEC §2).
        var raw = await client.GetStringAsync($"/api/products/{created.Id}");
        if (text.Contains('<', StringComparison.Ordinal))
        {
            Assert.Contains("<script>", raw, StringComparison.Ordinal);
        }

        var search = await client.PageAsync("/api/products?limit=100&q=" + Uri.EscapeDataString(text.Trim()));
        Assert.Contains(search.Items, p => p.Id == created.Id);
        Assert.All(search.Items, p => Assert.True(
            p.Name.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase) || p.Description.Contains(text.Trim(), StringComparison.OrdinalIgnoreCase)));
    }

    [SkippableTheory]
    [MemberData(nameof(Injections))]
    public async Task Injection_strings_in_every_query_parameter_never_give_a_5xx(string text)
    {
        var before = await factory.SnapshotAsync();
        using var client = factory.CreateClient();
        var escaped = Uri.EscapeDataString(text);

        foreach (var query in new[] { "q=", "cursor=", "limit=", "minPrice=", "maxPrice=" })
        {
            using var response = await client.GetAsync("/api/products?" + query + escaped);
            Assert.True((int)response.StatusCode is 200 or 400, $"{query}{text} → {(int)response.StatusCode}");
        }

        using var byId = await client.GetAsync("/api/products/" + escaped);
        Assert.True((int)byId.StatusCode < 500);
        Assert.Equal(before, await factory.SnapshotAsync());
    }

    public static TheoryData<string> MalformedBodies => new()
    {
        "{",
        "{\"name\":\"x\",",
        "not json",
        "[]",
        "\"just a string\"",
        "{\"name\":\"x\",\"price\":1,\"stock\":1,}",
        "{\"name\":\"x\" \"price\":1}",
        "{\"name\":{\"nested\":true},\"price\":1,\"stock\":1}",
        "{\"name\":[\"a\"],\"price\":1,\"stock\":1}",
        "{\"name\":\"x\",\"price\":true,\"stock\":1}",
        "{\"name\":\"x\",\"price\":NaN,\"stock\":1}",
        "null",
        "",
    };

    [SkippableTheory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_json_is_400_on_post_and_put_and_changes_nothing(string body)
    {
        var (created, _) = await factory.CreateAsync();
        var before = await factory.SnapshotAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());

        using var post = await client.PostAsync("/api/products", new StringContent(body, Encoding.UTF8, "application/json"));
        using var put = await client.PutAsync($"/api/products/{created.Id}", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(post, HttpStatusCode.BadRequest);
        await ProblemAssert.IsProblemAsync(put, HttpStatusCode.BadRequest);
        Assert.Equal(before, await factory.SnapshotAsync());
    }

    [SkippableFact]
    public async Task Price_of_the_wrong_type_is_400_naming_price()
    {
        using var client = factory.CreateClient(factory.Tokens.Admin());
        using var response = await client.PostAsync(
            "/api/products", new StringContent("""{"name":"x","price":"abc","stock":1}""", Encoding.UTF8, "application/json"));

        await ProblemAssert.HasFieldErrorAsync(response, "price");
    }

    [SkippableFact]
    public async Task A_2_MiB_body_is_413_and_changes_nothing()
    {
        var before = await factory.SnapshotAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());
        var body = $$"""{"name":"big","description":"{{new string('x', 2 * 1024 * 1024)}}","price":1,"stock":1}""";

        using var response = await client.PostAsync("/api/products", new StringContent(body, Encoding.UTF8, "application/json"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, await factory.SnapshotAsync());
    }

    [SkippableFact]
    public async Task A_non_json_content_type_is_415()
    {
        using var client = factory.CreateClient(factory.Tokens.Admin());
        using var response = await client.PostAsync("/api/products", new StringContent("""{"name":"x","price":1,"stock":1}""", Encoding.UTF8, "text/plain"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [SkippableFact]
    public async Task A_huge_limit_is_400_not_a_huge_query()
    {
        using var client = factory.CreateClient();
        foreach (var limit in new[] { "1000000", "2147483648", "9223372036854775808" })
        {
            using var response = await client.GetAsync("/api/products?limit=" + limit);
            await ProblemAssert.HasFieldErrorAsync(response, "limit");
        }
    }

    [SkippableFact]
    public async Task An_unsupported_method_is_405_problem()
    {
        using var client = factory.CreateClient(factory.Tokens.Admin());
        using var response = await client.PatchAsync("/api/products", JsonContent.Create(CatalogClient.Body()));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }
}

public sealed class SqliteProductsHostileInputTests(SqliteFixture factory) : ProductsHostileInputTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresProductsHostileInputTests(PostgresFixture factory) : ProductsHostileInputTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
