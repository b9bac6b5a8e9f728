using ScalableApi.Catalog.Products;
using ScalableApi.Contracts;

namespace ScalableApi.Catalog.Tests.Products;

/// <summary>Create, read, replace, delete: happy paths, each error status, the authorization matrix and ETags.</summary>
public abstract class ProductsCrudTests(ServiceFactory<Program> factory)
{
    private const string CacheControl = "public, max-age=30, stale-while-revalidate=60";

    [SkippableFact]
    public async Task Create_returns_201_with_location_etag_and_the_product()
    {
        using var client = factory.CreateClient(factory.Tokens.Admin());
        var before = DateTime.UtcNow.AddSeconds(-5);

        using var response = await client.PostAsJsonAsync("/api/products", CatalogClient.Body("  Blue mug  ", "  Holds tea.\n ", 12.5m, 3));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var product = await response.Content.ReadFromJsonAsync<Product>();
        Assert.NotNull(product);
        Assert.Equal($"/api/products/{product.Id}", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        Assert.False(response.Headers.ETag.IsWeak);
        Assert.Equal("Blue mug", product.Name); // trimmed (SPEC)
        Assert.Equal("  Holds tea.\n ", product.Description); // exactly as sent
        Assert.Equal(12.5m, product.Price);
        Assert.Equal(3, product.Stock);
        Assert.Equal(DateTimeKind.Utc, product.CreatedAt.Kind);
        Assert.InRange(product.CreatedAt, before, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal(product.CreatedAt, product.UpdatedAt);

        var json = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"createdAt\":\"", json, StringComparison.Ordinal);
        Assert.Matches("\"createdAt\":\"[^\"]+Z\"", json);
        Assert.DoesNotContain("version", json, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Create_accepts_the_boundaries()
    {
        var name = " " + new string('n', ProductRequest.NameMaxLength) + " ";
        var description = new string('d', ProductRequest.DescriptionMaxLength);

        var (max, _) = await factory.CreateAsync(name, description, 1_000_000_000m, int.MaxValue);
        var (zero, _) = await factory.CreateAsync("x", "", 0m, 0);
        var (noDescription, _) = await factory.CreateAsync("no description", null, 0.01m, 1);

        Assert.Equal(name.Trim(), max.Name);
        Assert.Equal(description, max.Description);
        Assert.Equal(1_000_000_000m, max.Price);
        Assert.Equal(int.MaxValue, max.Stock);
        Assert.Equal(0m, zero.Price);
        Assert.Equal(0, zero.Stock);
        Assert.Equal("", noDescription.Description);
        Assert.Equal(0.01m, noDescription.Price);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"description":"d","price":1,"stock":1}""", "name" },
        { """{"name":null,"price":1,"stock":1}""", "name" },
        { """{"name":"   ","price":1,"stock":1}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}","price":1,"stock":1}""", "name" },
        { """{"name":"a\u0000b","price":1,"stock":1}""", "name" },
        { """{"name":"a\ud800b","price":1,"stock":1}""", "name" },
        { $$"""{"name":"n","description":"{{new string('d', 5001)}}","price":1,"stock":1}""", "description" },
        { """{"name":"n","description":"\u0000","price":1,"stock":1}""", "description" },
        { """{"name":"n","stock":1}""", "price" },
        { """{"name":"n","price":-0.01,"stock":1}""", "price" },
        { """{"name":"n","price":1.001,"stock":1}""", "price" },
        { """{"name":"n","price":1000000000.01,"stock":1}""", "price" },
        { """{"name":"n","price":"abc","stock":1}""", "price" },
        { """{"name":"n","price":1e400,"stock":1}""", "price" },
        { """{"name":"n","price":1}""", "stock" },
        { """{"name":"n","price":1,"stock":-1}""", "stock" },
        { """{"name":"n","price":1,"stock":1.5}""", "stock" },
        { """{"name":"n","price":1,"stock":"7"}""", "stock" },
        { """{"name":"n","price":1,"stock":99999999999}""", "stock" },
        { """{"name":123,"price":1,"stock":1}""", "name" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Create_with_an_invalid_field_is_400_naming_it_and_stores_nothing(string body, string field)
    {
        var before = await factory.SnapshotAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());

        using var response = await client.PostAsync("/api/products", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        await ProblemAssert.HasFieldErrorAsync(response, field);
        Assert.Equal(before, await factory.SnapshotAsync());
    }

    [SkippableFact]
    public async Task Unknown_fields_are_ignored()
    {
        using var client = factory.CreateClient(factory.Tokens.Admin());
        using var response = await client.PostAsync("/api/products", new StringContent(
            """{"name":"n","price":1,"stock":1,"id":999999,"version":42,"createdAt":"2000-01-01T00:00:00Z"}""",
            System.Text.Encoding.UTF8,
            "application/json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var product = await response.Content.ReadFromJsonAsync<Product>();
        Assert.NotEqual(999999, product!.Id);
        Assert.True(product.CreatedAt.Year > 2020);
    }

    [SkippableFact]
    public async Task Get_returns_the_product_with_etag_and_cache_control()
    {
        var (created, etag) = await factory.CreateAsync("Lamp", "Bright", 30m, 2);
        using var client = factory.CreateClient();

        using var response = await client.GetAsync($"/api/products/{created.Id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(etag, response.Headers.ETag?.ToString());
        Assert.Equal(CacheControl, response.Headers.CacheControl?.ToString());
        Assert.Equal(created, await response.Content.ReadFromJsonAsync<Product>());
    }

    [SkippableFact]
    public async Task Reads_name_their_surrogate_keys_and_writes_the_keys_they_change()
    {
        var (created, _) = await factory.CreateAsync("Kettle", "Hot", 20m, 1);
        using var anonymous = factory.CreateClient();
        using var admin = factory.CreateClient(factory.Tokens.Admin());

        using var item = await anonymous.GetAsync($"/api/products/{created.Id}");
        using var page = await anonymous.GetAsync("/api/products");
        using var create = await admin.PostAsJsonAsync("/api/products", CatalogClient.Body("Cup", "Small", 2m, 1));
        using var replace = await admin.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body("Kettle", "Hotter", 21m, 1));
        using var missing = await admin.PutAsJsonAsync("/api/products/999999999", CatalogClient.Body("Kettle", "Hotter", 21m, 1));
        using var delete = await admin.DeleteAsync($"/api/products/{created.Id}");

        Assert.Equal($"product:{created.Id}", item.Headers.GetValues("Surrogate-Key").Single());
        Assert.Equal("products", page.Headers.GetValues("Surrogate-Key").Single());
        Assert.Equal("products", create.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.Equal($"product:{created.Id} products", replace.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.Equal($"product:{created.Id} products", delete.Headers.GetValues("Surrogate-Key-Purge").Single());
        Assert.False(missing.Headers.Contains("Surrogate-Key-Purge")); // changed nothing
    }

    [SkippableTheory]
    [InlineData("/api/products/999999999")]
    [InlineData("/api/products/-1")]
    [InlineData("/api/products/abc")]
    [InlineData("/api/products/99999999999999999999999")]
    public async Task Get_a_missing_product_is_404_problem(string url)
    {
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(url);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task If_None_Match_with_the_current_etag_is_304_without_body()
    {
        var (created, etag) = await factory.CreateAsync();
        using var client = factory.CreateClient();

        foreach (var ifNoneMatch in new[] { etag, "W/" + etag, "\"other\", " + etag, "*" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{created.Id}");
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, response.Headers.ETag?.ToString());
            Assert.Equal(CacheControl, response.Headers.CacheControl?.ToString());
        }
    }

    [SkippableFact]
    public async Task If_None_Match_with_a_stale_or_foreign_etag_is_200()
    {
        var (created, etag) = await factory.CreateAsync();
        var (other, otherETag) = await factory.CreateAsync();
        Assert.NotEqual(etag, otherETag); // the id is part of the tag
        using var client = factory.CreateClient();

        foreach (var ifNoneMatch in new[] { otherETag, "\"garbage\"", "not even a tag" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/products/{created.Id}");
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(created.Id, (await response.Content.ReadFromJsonAsync<Product>())!.Id);
        }

        Assert.NotEqual(created.Id, other.Id);
    }

    [SkippableFact]
    public async Task Put_replaces_the_product_and_moves_the_etag()
    {
        var (created, etag) = await factory.CreateAsync("Old", "old text", 1m, 1);
        using var client = factory.CreateClient(factory.Tokens.Admin());

        using var response = await client.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body(" New ", null, 2.25m, 7));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.Content.ReadFromJsonAsync<Product>();
        Assert.Equal(created.Id, updated!.Id);
        Assert.Equal("New", updated.Name);
        Assert.Equal("", updated.Description); // full replacement: an omitted description is empty
        Assert.Equal(2.25m, updated.Price);
        Assert.Equal(7, updated.Stock);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt >= created.UpdatedAt);
        var newETag = response.Headers.ETag?.ToString();
        Assert.NotNull(newETag);
        Assert.NotEqual(etag, newETag);

        using var anonymous = factory.CreateClient();
        using var get = await anonymous.GetAsync($"/api/products/{created.Id}");
        Assert.Equal(newETag, get.Headers.ETag?.ToString());
        Assert.Equal(updated, await get.Content.ReadFromJsonAsync<Product>());
    }

    [SkippableFact]
    public async Task Put_with_the_same_content_still_moves_the_etag()
    {
        var (created, etag) = await factory.CreateAsync("Same", "same", 1m, 1);
        using var client = factory.CreateClient(factory.Tokens.Admin());

        using var response = await client.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body("Same", "same", 1m, 1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(etag, response.Headers.ETag?.ToString());
    }

    [SkippableFact]
    public async Task Put_with_a_matching_If_Match_succeeds_and_a_stale_one_is_412_without_change()
    {
        var (created, etag) = await factory.CreateAsync("Versioned", "v1", 1m, 1);
        using var client = factory.CreateClient(factory.Tokens.Admin());

        using var first = Put(created.Id, etag, CatalogClient.Body("Versioned", "v2", 1m, 1));
        using var firstResponse = await client.SendAsync(first);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        var current = firstResponse.Headers.ETag!.ToString();

        var before = await factory.SnapshotAsync();
        using var stale = Put(created.Id, etag, CatalogClient.Body("Versioned", "lost update", 1m, 1));
        using var staleResponse = await client.SendAsync(stale);
        await ProblemAssert.IsProblemAsync(staleResponse, HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await factory.SnapshotAsync());

        using var anonymous = factory.CreateClient();
        using var get = await anonymous.GetAsync($"/api/products/{created.Id}");
        Assert.Equal("v2", (await get.Content.ReadFromJsonAsync<Product>())!.Description);
        Assert.Equal(current, get.Headers.ETag?.ToString());
    }

    [SkippableTheory]
    [InlineData("W/\"{id}-1\"")] // weak tags never match If-Match
    [InlineData("\"{other}-1\"")] // another product's tag
    [InlineData("\"nonsense\"")]
    [InlineData("garbage without quotes")]
    public async Task Put_with_an_If_Match_that_cannot_match_is_412(string template)
    {
        var (created, _) = await factory.CreateAsync();
        var (other, _) = await factory.CreateAsync();
        var before = await factory.SnapshotAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());
        var ifMatch = template.Replace("{id}", created.Id.ToString(), StringComparison.Ordinal)
            .Replace("{other}", other.Id.ToString(), StringComparison.Ordinal);

        using var request = Put(created.Id, ifMatch, CatalogClient.Body("x"));
        using var response = await client.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await factory.SnapshotAsync());
    }

    [SkippableFact]
    public async Task Put_with_If_Match_star_or_a_list_containing_the_current_etag_succeeds()
    {
        var (created, etag) = await factory.CreateAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());

        using var star = Put(created.Id, "*", CatalogClient.Body("star"));
        using var starResponse = await client.SendAsync(star);
        Assert.Equal(HttpStatusCode.OK, starResponse.StatusCode);

        using var list = Put(created.Id, $"{etag}, {starResponse.Headers.ETag}", CatalogClient.Body("list"));
        using var listResponse = await client.SendAsync(list);
        Assert.Equal(HttpStatusCode.OK, listResponse.StatusCode);
        Assert.Equal("list", (await listResponse.Content.ReadFromJsonAsync<Product>())!.Name);
    }

    [SkippableFact]
    public async Task Concurrent_puts_with_the_same_If_Match_let_exactly_one_win()
    {
        var (created, etag) = await factory.CreateAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var request = Put(created.Id, etag, CatalogClient.Body($"writer {i}"));
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }));

        Assert.Equal(1, responses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(s => s == HttpStatusCode.PreconditionFailed));
    }

    [SkippableFact]
    public async Task Put_on_a_missing_product_is_404_with_or_without_If_Match()
    {
        using var client = factory.CreateClient(factory.Tokens.Admin());
        using var plain = await client.PutAsJsonAsync("/api/products/987654321", CatalogClient.Body());
        await ProblemAssert.IsProblemAsync(plain, HttpStatusCode.NotFound);

        using var conditional = Put(987654321, "\"987654321-1\"", CatalogClient.Body());
        using var response = await client.SendAsync(conditional);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Put_with_an_invalid_body_is_400_and_changes_nothing()
    {
        var (created, _) = await factory.CreateAsync();
        var before = await factory.SnapshotAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());

        using var response = await client.PutAsJsonAsync($"/api/products/{created.Id}", new { name = "", price = -1, stock = -1 });

        await ProblemAssert.HasFieldErrorAsync(response, "name");
        Assert.Equal(before, await factory.SnapshotAsync());
    }

    [SkippableFact]
    public async Task Delete_is_204_then_the_product_is_gone_and_a_second_delete_is_404_except_for_its_caller()
    {
        var (created, _) = await factory.CreateAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());

        using var first = await client.DeleteAsync($"/api/products/{created.Id}");
        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);

        using var get = await client.GetAsync($"/api/products/{created.Id}");
        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound);

        // The same caller's repeat answers as the first did (a retry whose first answer was lost; issue 15.4).
        using var repeated = await client.DeleteAsync($"/api/products/{created.Id}");
        Assert.Equal(HttpStatusCode.NoContent, repeated.StatusCode);
        using var otherAdmin = factory.CreateClient(factory.Tokens.Admin(2));
        using var second = await otherAdmin.DeleteAsync($"/api/products/{created.Id}");
        await ProblemAssert.IsProblemAsync(second, HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task Delete_with_a_stale_If_Match_is_412_and_with_the_current_one_204()
    {
        var (created, etag) = await factory.CreateAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());
        using var put = await client.PutAsJsonAsync($"/api/products/{created.Id}", CatalogClient.Body("changed"));
        var current = put.Headers.ETag!.ToString();
        var before = await factory.SnapshotAsync();

        using var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/products/{created.Id}");
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        using var staleResponse = await client.SendAsync(stale);
        await ProblemAssert.IsProblemAsync(staleResponse, HttpStatusCode.PreconditionFailed);
        Assert.Equal(before, await factory.SnapshotAsync());

        using var fresh = new HttpRequestMessage(HttpMethod.Delete, $"/api/products/{created.Id}");
        fresh.Headers.TryAddWithoutValidation("If-Match", current);
        using var freshResponse = await client.SendAsync(fresh);
        Assert.Equal(HttpStatusCode.NoContent, freshResponse.StatusCode);

        using var gone = new HttpRequestMessage(HttpMethod.Delete, $"/api/products/{created.Id}");
        gone.Headers.TryAddWithoutValidation("If-Match", current);
        using var otherAdmin = factory.CreateClient(factory.Tokens.Admin(2));
        using var goneResponse = await otherAdmin.SendAsync(gone);
        await ProblemAssert.IsProblemAsync(goneResponse, HttpStatusCode.NotFound);
    }

    [SkippableFact]
    public async Task A_new_product_never_reuses_the_id_of_a_deleted_one()
    {
        var (created, _) = await factory.CreateAsync();
        using var client = factory.CreateClient(factory.Tokens.Admin());
        using var delete = await client.DeleteAsync($"/api/products/{created.Id}");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);

        var (next, _) = await factory.CreateAsync();

        Assert.True(next.Id > created.Id);
    }

    public enum Caller
    {
        Anonymous,
        Expired,
        User,
        OtherUser,
    }

    public static TheoryData<string, Caller> WritesAndCallers()
    {
        var data = new TheoryData<string, Caller>();
        foreach (var method in new[] { "POST", "PUT", "DELETE" })
        {
            foreach (var caller in Enum.GetValues<Caller>())
            {
                data.Add(method, caller);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(WritesAndCallers))]
    public async Task Writes_need_an_admin_401_when_not_signed_in_403_for_users(string method, Caller caller)
    {
        var (created, _) = await factory.CreateAsync();
        var before = await factory.SnapshotAsync();
        var token = caller switch
        {
            Caller.Anonymous => null,
            Caller.Expired => factory.Tokens.Expired(1),
            Caller.User => factory.Tokens.Create(7),
            _ => factory.Tokens.Create(8, Roles.User),
        };
        using var client = factory.CreateClient(token);
        using var request = new HttpRequestMessage(new HttpMethod(method), method == "POST" ? "/api/products" : $"/api/products/{created.Id}");
        if (method != "DELETE")
        {
            request.Content = JsonContent.Create(CatalogClient.Body("intruder"));
        }

        using var response = await client.SendAsync(request);

        var expected = caller is Caller.Anonymous or Caller.Expired ? HttpStatusCode.Unauthorized : HttpStatusCode.Forbidden;
        await ProblemAssert.IsProblemAsync(response, expected);
        Assert.Equal(before, await factory.SnapshotAsync());
    }

    [SkippableFact]
    public async Task An_admin_token_can_do_every_write()
    {
        using var client = factory.CreateClient(factory.Tokens.Admin(42));
        using var post = await client.PostAsJsonAsync("/api/products", CatalogClient.Body("admin"));
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
        var location = post.Headers.Location!.OriginalString;

        using var put = await client.PutAsJsonAsync(location, CatalogClient.Body("admin 2"));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        using var delete = await client.DeleteAsync(location);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
    }

    private static HttpRequestMessage Put(long id, string ifMatch, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/products/{id}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }
}

public sealed class SqliteProductsCrudTests(SqliteFixture factory) : ProductsCrudTests(factory), IClassFixture<SqliteFixture>;

public sealed class PostgresProductsCrudTests(PostgresFixture factory) : ProductsCrudTests(TestDatabase.RequirePostgres(factory)), IClassFixture<PostgresFixture>;
