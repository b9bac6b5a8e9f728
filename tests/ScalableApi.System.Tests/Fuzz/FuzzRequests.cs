namespace ScalableApi.System.Tests.Fuzz;

/// <summary>The seeded generator: request <c>i</c> of a seed is always the same request.</summary>
internal sealed class FuzzRequests(int seed, Victims victims, SignedInUser stranger)
{
    private static readonly string[] Templates =
    [
        "GET /api/products", "GET /api/products/{id}", "POST /api/products", "PUT /api/products/{id}", "DELETE /api/products/{id}",
        "GET /api/products/export", "POST /api/products/import",
        "GET /api/posts", "GET /api/posts/{id}", "POST /api/posts", "DELETE /api/posts/{id}",
        "GET /api/posts/{id}/comments", "POST /api/posts/{id}/comments", "GET /api/comments/{id}",
        "GET /api/users", "GET /api/users/{id}", "PATCH /api/users/{id}", "DELETE /api/users/{id}",
        "GET /api/users/{id}/posts", "GET /api/users/{id}/comments", "GET /api/users/{id}/overview", "GET /api/profile",
        "POST /api/auth/register", "POST /api/auth/login", "POST /api/auth/refresh", "GET /.well-known/jwks.json",
        "GET /api/jobs", "GET /api/jobs/{id}", "POST /api/jobs/{id}/retry",
        "GET /health/ready", "GET /health/live",
        "GET /dashboard", "GET /dashboard/assets/{id}", "GET /dashboard/session", "POST /dashboard/session", "DELETE /dashboard/session",
        "GET /dashboard/stream", "GET /docs", "GET /openapi/gateway.json",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "a", "Ünïcödé ✓", "日本語のテキスト", "😀🚀", "\u0000", "\uFEFFbom", "\u202Eright-to-left", "<script>alert(1)</script>",
        "' OR '1'='1", "\"quoted\"", "\\\\", "%00", "%2e%2e%2f", "../../etc/passwd", "{\"$gt\":\"\"}", "null", "NaN", "-0",
        new string('x', 300), new string('y', 5_000), "user@example.com", "not-an-email", "ops@@example..com",
    ];

    private static readonly string[] Ids =
    [
        "0", "-1", "1", "+1", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999",
        "abc", "1.5", "1e3", "0x10", "%20", "🚀", "1;DROP", "1%00", "00000000001",
    ];

    private static readonly string[] Queries =
    [
        "", "?limit=0", "?limit=-1", "?limit=101", "?limit=abc", "?limit=1&limit=2", "?cursor=garbage", "?cursor=",
        "?before=abc", "?before=-5", "?q=%F0%9F%9A%80", "?q=%00", "?search=" + new string('q', 1000), "?minPrice=abc",
        "?minPrice=10&maxPrice=1", "?maxPrice=-1", "?page=1", "?%zz=1", "?a[b]=c", "?limit=5&cursor=eyJpZCI6MX0",
    ];

    public HttpRequestMessage Create(int index)
    {
        var random = new Random(HashCode.Combine(seed, index));
        var template = Templates[random.Next(Templates.Length)].Split(' ');
        var method = random.Next(20) == 0 ? Pick(random, ["PUT", "PATCH", "OPTIONS", "HEAD", "TRACE", "POST", "GET", "DELETE"]) : template[0];
        var path = template[1].Replace("{id}", Id(random), StringComparison.Ordinal) + Pick(random, Queries);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        var caller = Caller(random, method);
        if (caller is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", caller);
        }

        AddHeaders(random, request);
        if (method is "POST" or "PUT" or "PATCH" || random.Next(10) == 0)
        {
            request.Content = Body(random, template[1]);
        }

        return request;
    }

    /// <summary>Nobody, the stranger, garbage, forged tokens; the admin only for reads, so no fuzzed write is legitimate.</summary>
    private string? Caller(Random random, string method) => random.Next(8) switch
    {
        0 or 1 => null,
        2 or 3 => "Bearer " + stranger.AccessToken,
        4 => method is "GET" or "HEAD" ? "Bearer " + victims.Admin.AccessToken : "Bearer " + stranger.AccessToken,
        5 => "Bearer " + Garble(random, stranger.AccessToken),
        6 => Pick(random, ["Bearer", "Bearer ", "Basic YWRtaW46YWRtaW4=", "bearer x.y.z", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIiwicm9sZSI6ImFkbWluIn0.", "Bearer " + new string('a', 4000)]),
        _ => "Bearer " + AlgNone(victims.Admin.AccessToken),
    };

    private static void AddHeaders(Random random, HttpRequestMessage request)
    {
        if (random.Next(4) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-Request-Id", Pick(random, ["é-ü", new string('r', 500), "", "\t", "id with spaces"]));
        }

        if (random.Next(6) == 0)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", Pick(random, ["k", "ключ", new string('k', 300), "\"quoted\"", " "]));
        }

        if (random.Next(6) == 0)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", Pick(random, ["*", "\"x\"", "W/\"1\"", "garbage", "\"", new string('e', 200)]));
        }

        if (random.Next(8) == 0)
        {
            request.Headers.TryAddWithoutValidation("Accept", Pick(random, ["text/html", "*/*;q=abc", "application/xml", "", "✓/✓"]));
        }

        if (random.Next(10) == 0)
        {
            request.Headers.TryAddWithoutValidation("X-Forwarded-For", Pick(random, ["1.2.3.4", "not-an-ip", "::1, 10.0.0.1", new string('9', 100)]));
        }
    }

    private static HttpContent Body(Random random, string route)
    {
        var json = random.Next(10) switch
        {
            0 => "{",
            1 => "",
            2 => "[]",
            3 => "null",
            4 => new string('[', 2_000) + new string(']', 2_000),
            5 => "{\"a\":" + new string('{', 200) + new string('}', 200) + "}",
            6 => "{\"name\":\"\uD800\"}",
            _ => Object(random, route),
        };
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = random.Next(8) switch
        {
            0 => new MediaTypeHeaderValue("text/plain"),
            1 => MediaTypeHeaderValue.Parse("application/json; charset=utf-7"),
            2 => MediaTypeHeaderValue.Parse("application/json; charset=latin1"),
            3 => null,
            _ => MediaTypeHeaderValue.Parse("application/json"),
        };
        if (random.Next(15) == 0)
        {
            // Raw bytes that are not UTF-8 at all.
            var bytes = new byte[random.Next(1, 64)];
            random.NextBytes(bytes);
            var raw = new ByteArrayContent(bytes);
            raw.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json");
            return raw;
        }

        return content;
    }

    /// <summary>The route's own fields with wrong types and values, plus fields nobody may set (mass assignment).</summary>
    private static string Object(Random random, string route)
    {
        string[] fields = route switch
        {
            var r when r.StartsWith("/api/products", StringComparison.Ordinal) => ["name", "description", "price", "stock", "csv"],
            var r when r.Contains("comments", StringComparison.Ordinal) => ["body"],
            var r when r.StartsWith("/api/posts", StringComparison.Ordinal) => ["title", "body"],
            var r when r.StartsWith("/api/auth", StringComparison.Ordinal) => ["email", "password", "name", "refreshToken"],
            _ => ["name", "email"],
        };
        var members = fields.Concat(["id", "role", "userId", "authorId", "createdAt", "email", "isAdmin", "__proto__"])
            .Where(_ => random.Next(3) != 0)
            .Distinct()
            .Select(field => $"{JsonSerializer.Serialize(field)}:{Value(random)}");
        return "{" + string.Join(",", members) + "}";
    }

    private static string Value(Random random) => random.Next(10) switch
    {
        0 => "null",
        1 => "true",
        2 => Pick(random, ["0", "-1", "1.5", "1e308", "-1e308", "9223372036854775808", "12345678901234567890.123"]),
        3 => "[1,\"two\",{}]",
        4 => "{\"nested\":{\"deeper\":[null]}}",
        5 => "\"admin\"",
        _ => JsonSerializer.Serialize(Pick(random, Strings)),
    };

    /// <summary>
    /// An odd id, one of what exists (the victims' and the stranger's), or one far beyond anything the suite creates:
    /// the services cache "not found" too, and a probe of an id that another test of the collection is about to
    /// create would leave a replica answering 404 for it until the create's backplane message arrives.
    /// </summary>
    private string Id(Random random) => random.Next(3) switch
    {
        0 => Pick(random, Ids),
        1 => Pick(random, [victims.Product, victims.Post, victims.Comment, victims.Owner.Id, stranger.Id]).ToString(CultureInfo.InvariantCulture),
        _ => random.Next(1_000_000, 1_000_050).ToString(CultureInfo.InvariantCulture),
    };

    private static string Garble(Random random, string token)
    {
        var chars = token.ToCharArray();
        chars[random.Next(chars.Length)] = (char)('A' + random.Next(26));
        return new string(chars);
    }

    /// <summary>The admin's token with its header swapped for <c>alg: none</c> and the signature dropped.</summary>
    private static string AlgNone(string token)
    {
        var parts = token.Split('.');
        return "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0." + parts[1] + ".";
    }

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
