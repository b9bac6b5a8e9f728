namespace ScalableApi.Gateway.Tests.RateLimiting;

/// <summary>
/// Gateway rate limits with small limits, counted in the shared Redis-protocol store: embedded Garnet and
/// redis-server (the Lua script must behave the same on both).
/// </summary>
public abstract class RateLimitTests(RedisStoreKind storeKind) : IAsyncLifetime
{
    private const int Limit = 5;
    private const string RightPassword = "right-password";
    private readonly string _prefix = "test-" + Guid.NewGuid().ToString("N");
    private readonly List<GatewayFactory> _gateways = [];
    private TestRedis _redis = null!;
    private UpstreamServer _upstream = null!;

    public async Task InitializeAsync()
    {
        _redis = TestRedis.Start(storeKind);
        _upstream = await UpstreamServer.StartAsync("up", app =>
        {
            // Stands in for the users service: 401 for a wrong password, as the real one does.
            app.MapPost("/api/auth/login", async (HttpRequest request) =>
            {
                using var body = await JsonDocument.ParseAsync(request.Body);
                return body.RootElement.GetProperty("password").GetString() == RightPassword ? Results.Ok() : Results.Unauthorized();
            });
            app.MapPost("/api/auth/register", () => Results.Created());
        });
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateways, _upstream, _redis);

    [SkippableFact]
    public async Task Anonymous_client_over_its_limit_gets_429_problem_with_rate_limit_headers()
    {
        var gateway = NewGateway();
        using var client = Client(gateway);
        var rejectionsBefore = await RejectionsAsync(gateway, "anonymous");
        for (var i = 0; i < Limit; i++)
        {
            using var ok = await client.GetAsync($"/api/products/{i}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("5", Header(ok, "RateLimit-Limit"));
            Assert.Equal((Limit - 1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(ok, "RateLimit-Remaining"));
            Assert.InRange(int.Parse(Header(ok, "RateLimit-Reset"), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        }

        using var rejected = await client.GetAsync("/api/products/x");
        await AssertTooManyAsync(rejected);
        Assert.Equal(0, _upstream.Requests - Limit);

        // Another client address has its own bucket.
        using var other = Client(_gateways[0]);
        using var otherResponse = await other.GetAsync("/api/products/1");
        Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);

        Assert.True(await RejectionsAsync(gateway, "anonymous") >= rejectionsBefore + 1);
    }

    [SkippableFact]
    public async Task Signed_in_users_have_their_own_bucket_keyed_by_a_validated_token()
    {
        var gateway = NewGateway();
        var ip = TestClientIp.NewAddress();
        using var anonymous = Client(gateway, ip);
        for (var i = 0; i < Limit; i++)
        {
            (await anonymous.GetAsync("/api/products/1")).Dispose();
        }

        using (var rejected = await anonymous.GetAsync("/api/products/1"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        }

        // Same address, signed in: a fresh bucket per user.
        var userRejectionsBefore = await RejectionsAsync(gateway, "user");
        var userId = Random.Shared.NextInt64(1, long.MaxValue);
        using var user = Client(gateway, ip, gateway.Tokens.Create(userId));
        for (var i = 0; i < Limit; i++)
        {
            using var ok = await user.GetAsync("/api/products/1");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        await AssertTooManyAsync(await user.GetAsync("/api/products/1"));
        Assert.True(await RejectionsAsync(gateway, "user") >= userRejectionsBefore + 1);
        using var otherUser = Client(gateway, ip, gateway.Tokens.Create(userId - 1));
        using (var otherResponse = await otherUser.GetAsync("/api/products/1"))
        {
            Assert.Equal(HttpStatusCode.OK, otherResponse.StatusCode);
        }

        // A token the gateway cannot validate names no user: it stays in the exhausted anonymous bucket.
        using var forgedTokens = new TestTokens();
        using var forged = Client(gateway, ip, forgedTokens.Create(userId + 1));
        using var forgedResponse = await forged.GetAsync("/api/products/1");
        Assert.Equal(HttpStatusCode.TooManyRequests, forgedResponse.StatusCode);
    }

    [SkippableFact]
    public async Task Failed_logins_lock_that_email_while_another_email_still_works()
    {
        var gateway = NewGateway(new() { ["Gateway:RateLimits:FailedLoginsPerEmail"] = "3" });
        var victim = $"victim-{Guid.NewGuid():N}@example.com";
        var rejectionsBefore = await RejectionsAsync(gateway, "login");

        // Failures from different addresses all count against the email.
        for (var i = 0; i < 3; i++)
        {
            using var attacker = Client(gateway);
            using var failed = await LoginAsync(attacker, i % 2 == 0 ? victim : victim.ToUpperInvariant(), "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        using var client = Client(gateway);
        using (var locked = await LoginAsync(client, $"  {victim} ", RightPassword))
        {
            await AssertTooManyAsync(locked);
        }

        using var other = await LoginAsync(client, $"other-{Guid.NewGuid():N}@example.com", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
        Assert.True(await RejectionsAsync(gateway, "login") >= rejectionsBefore + 1);
    }

    [SkippableFact]
    public async Task Failed_logins_per_ip_lock_that_address_and_successful_logins_never_count()
    {
        var gateway = NewGateway(new() { ["Gateway:RateLimits:FailedLoginsPerIp"] = "3", ["Gateway:RateLimits:AnonymousPerIp"] = "100" });
        using var client = Client(gateway);
        for (var i = 0; i < 6; i++)
        {
            using var ok = await LoginAsync(client, $"u{i}-{Guid.NewGuid():N}@example.com", RightPassword);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        for (var i = 0; i < 3; i++)
        {
            using var failed = await LoginAsync(client, $"u{i}-{Guid.NewGuid():N}@example.com", "wrong");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        await AssertTooManyAsync(await LoginAsync(client, $"fresh-{Guid.NewGuid():N}@example.com", RightPassword));
    }

    [SkippableFact]
    public async Task Registration_is_limited_per_ip()
    {
        var gateway = NewGateway(new() { ["Gateway:RateLimits:RegistrationsPerIp"] = "2", ["Gateway:RateLimits:AnonymousPerIp"] = "100" });
        using var client = Client(gateway);
        var rejectionsBefore = await RejectionsAsync(gateway, "register");
        for (var i = 0; i < 2; i++)
        {
            using var created = await client.PostAsJsonAsync("/api/auth/register", new { email = $"r{i}@example.com" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        await AssertTooManyAsync(await client.PostAsJsonAsync("/api/auth/register", new { email = "r9@example.com" }));
        Assert.True(await RejectionsAsync(gateway, "register") >= rejectionsBefore + 1);
    }

    [SkippableFact]
    public async Task A_client_that_accepts_only_html_or_xml_still_gets_its_429_as_problem_json()
    {
        // The framework's problem writer declines such an Accept and the rejection used to be an empty 500.
        var gateway = NewGateway(new() { ["Gateway:RateLimits:RegistrationsPerIp"] = "1", ["Gateway:RateLimits:AnonymousPerIp"] = "100" });
        using var client = Client(gateway);
        using var created = await client.PostAsJsonAsync("/api/auth/register?source=fuzz", new { email = "html@example.com" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        foreach (var accept in new[] { "text/html", "application/xml" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register?source=fuzz") { Content = JsonContent.Create(new { email = "again@example.com" }) };
            request.Headers.TryAddWithoutValidation("Accept", accept);
            await AssertTooManyAsync(await client.SendAsync(request));
        }
    }

    [SkippableFact]
    public Task Two_gateway_instances_together_allow_the_limit_not_twice_it() => AssertTwoGatewaysAllowExactlyAsync(Limit);

    [SkippableFact]
    public async Task A_large_allowance_is_taken_from_the_store_in_leases_and_the_remaining_count_stays_exact()
    {
        const int limit = 1000;
        var gateway = NewGateway(new() { ["Gateway:RateLimits:AnonymousPerIp"] = "1000" });
        var ip = TestClientIp.NewAddress();
        using var client = Client(gateway, ip);
        for (var i = 0; i < 40; i++)
        {
            using var ok = await client.GetAsync("/api/products/1");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal((limit - 1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(ok, "RateLimit-Remaining"));
        }

        // The store counted ahead of use (one lease covered many requests), never less than what was allowed.
        await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(_redis.ConnectionString);
        var counted = (long)await redis.GetDatabase().StringGetAsync($"{_prefix}:ip:{ip}");
        Assert.InRange(counted, 41, 200);
    }

    /// <summary>Large enough for leases of several requests (an eighth of what is left) at both gateways.</summary>
    [SkippableFact]
    public Task Two_gateway_instances_taking_leases_together_allow_exactly_the_limit() => AssertTwoGatewaysAllowExactlyAsync(40);

    /// <summary>
    /// One client's GETs alternately through two gateways sharing the store, twice its limit of them: exactly the
    /// limit allowed, the rest refused.
    /// </summary>
    private async Task AssertTwoGatewaysAllowExactlyAsync(int limit)
    {
        var extra = new Dictionary<string, string?> { ["Gateway:RateLimits:AnonymousPerIp"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var ip = TestClientIp.NewAddress();
        using var a = Client(NewGateway(extra), ip);
        using var b = Client(NewGateway(extra), ip);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 2 * limit; i++)
        {
            using var response = await (i % 2 == 0 ? a : b).GetAsync("/api/products/1");
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(limit, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(limit, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    /// <summary><c>gateway_ratelimit_rejections_total{policy}</c> as the gateway's /metrics shows it now.</summary>
    /// <summary>(From loopback, where /metrics is served; /metrics uses no client's allowance.)</summary>
    internal static async Task<double> RejectionsAsync(GatewayFactory gateway, string policy)
    {
        using var client = Client(gateway, ip: "127.0.0.1");
        return await MetricsPage.ValueAsync(client, $"gateway_ratelimit_rejections_total{{policy=\"{policy}\"}}");
    }

    private GatewayFactory NewGateway(Dictionary<string, string?>? extra = null, string? redis = null)
    {
        var limit = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var gateway = GatewayFactory.OnStore(
            redis ?? _redis.ConnectionString,
            [
                new("Gateway:RateLimits:AnonymousPerIp", limit),
                new("Gateway:RateLimits:SignedInPerUser", limit),
                new("ReverseProxy:Clusters:catalog:Destinations:d0:Address", _upstream.Address),
                new("ReverseProxy:Clusters:users:Destinations:d0:Address", _upstream.Address),
                .. extra ?? [],
            ],
            keyPrefix: _prefix);
        _gateways.Add(gateway);
        return gateway;
    }

    internal static HttpClient Client(GatewayFactory gateway, string? ip = null, string? token = null)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Add(TestClientIp.Header, ip ?? TestClientIp.NewAddress());
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    internal static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { email, password });

    private static async Task AssertTooManyAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
            Assert.True(problem.RootElement.TryGetProperty("traceId", out _));
            Assert.InRange(response.Headers.RetryAfter?.Delta?.TotalSeconds ?? 0, 1, 60);
            Assert.Equal("0", Header(response, "RateLimit-Remaining"));
            Assert.False(string.IsNullOrEmpty(Header(response, "RateLimit-Limit")));
            Assert.False(string.IsNullOrEmpty(Header(response, "RateLimit-Reset")));
        }
    }
}

public sealed class GarnetRateLimitTests() : RateLimitTests(RedisStoreKind.Garnet);

public sealed class RedisServerRateLimitTests() : RateLimitTests(RedisStoreKind.RedisServer);
