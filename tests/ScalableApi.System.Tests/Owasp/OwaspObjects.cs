namespace ScalableApi.System.Tests.Owasp;

/// <summary>One of each object the routes name, owned by <see cref="Owner"/>, for filling <see cref="OwaspRoutes"/> paths.</summary>
public sealed record OwaspObjects(SignedInUser Owner, SignedInUser Other, SignedInUser Admin, long Product, long Post, long Job)
{
    public static async Task<OwaspObjects> CreateAsync(HttpClient client)
    {
        var owner = await client.NewUserAsync("owner");
        var other = await client.NewUserAsync("other");
        var admin = await client.AdminAsync();
        var product = await client.CreateProductAsync(admin, "Owasp");
        using var post = await client.SendAsync(HttpMethod.Post, "/api/posts", owner.AccessToken, new { title = "Owned", body = "by the owner" });
        await post.ExpectAsync(HttpStatusCode.Created);
        var job = await client.ImportAsync(admin, JobsApi.Ndjson("owasp" + Guid.NewGuid().ToString("N")[..6], 1));
        return new OwaspObjects(owner, other, admin, product, (await post.JsonAsync()).GetProperty("id").GetInt64(), job);
    }

    /// <summary><paramref name="template"/> with its <c>{user}</c>, <c>{product}</c>, <c>{post}</c>, <c>{job}</c> filled in.</summary>
    public string Fill(string template) => template
        .Replace("{user}", Owner.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{product}", Product.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{post}", Post.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("{job}", Job.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>A body the route accepts (so a rejection is about who calls, not what is sent).</summary>
    public static object? BodyFor(string method, string path) => (method, path) switch
    {
        ("POST", "/api/products") or ("PUT", _) => GatewayApi.NewProduct("Owasp body"),
        ("PATCH", _) => new { name = "Patched" },
        ("POST", "/api/posts") => new { title = "t", body = "b" },
        ("POST", _) when path.EndsWith("/comments", StringComparison.Ordinal) => new { body = "c" },
        _ => null,
    };
}
