namespace ScalableApi.Gateway.Tests.Consistency;

/// <summary>
/// The gateway remembers each signed-in user's latest <c>Consistency-Token</c> per service in the shared store and
/// adds it to that user's later requests, on any gateway, for the window; other users and anonymous callers get none;
/// a client's own newer token wins. The upstream stands in for a service: its writes return a growing token, its
/// reads echo the token they received.
/// </summary>
public abstract class ConsistencyTokenForwardingTests(RedisStoreKind storeKind) : IAsyncLifetime
{
    private readonly List<GatewayFactory> _gateways = [];
    private TestRedis _redis = null!;
    private UpstreamServer _upstream = null!;
    private long _position = 0x1000;

    public async Task InitializeAsync()
    {
        _redis = TestRedis.Start(storeKind);
        _upstream = await UpstreamServer.StartAsync("up", app =>
        {
            app.MapPost("/api/posts", (HttpResponse response) =>
            {
                response.Headers["Consistency-Token"] = string.Create(
                    CultureInfo.InvariantCulture, $"pg.{Interlocked.Add(ref _position, 0x100):X16}");
                return Results.Created("/api/posts/1", new { id = 1 });
            });
            app.MapGet("/api/posts/{id}", (HttpRequest request) => Results.Text(request.Headers["Consistency-Token"].ToString()));
        });
    }

    public Task DisposeAsync() => Disposal.AllAsync(_gateways, _upstream, _redis);

    [SkippableFact]
    public async Task A_signed_in_writers_token_rides_on_their_later_reads_through_every_gateway()
    {
        var (a, b) = (NewGateway(), NewGateway());
        var userId = Random.Shared.NextInt64(1_000_000, 9_000_000);
        using var writer = Client(a, a.Tokens.Create(userId));
        using var writerOnB = Client(b, b.Tokens.Create(userId));
        using var other = Client(a, a.Tokens.Create(userId + 1));
        using var anonymous = Client(a);

        string token;
        using (var created = await writer.PostAsJsonAsync("/api/posts", new { title = "t", body = "b" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            token = created.Headers.GetValues("Consistency-Token").Single();
        }

        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(token, await writer.GetStringAsync($"/api/posts/{i}"));
            Assert.Equal(token, await writerOnB.GetStringAsync($"/api/posts/{i}"));
        }

        Assert.Equal("", await other.GetStringAsync("/api/posts/1"));
        Assert.Equal("", await anonymous.GetStringAsync("/api/posts/1"));

        // A client's own token passes through; the newer of it and the remembered one goes upstream.
        Assert.Equal("pg.7000000000000000", await GetWithTokenAsync(writer, "pg.7000000000000000"));
        Assert.Equal(token, await GetWithTokenAsync(writer, "pg.0000000000000001"));
        Assert.Equal("pg.0000000000000002", await GetWithTokenAsync(anonymous, "pg.0000000000000002"));
    }

    [SkippableFact]
    public async Task A_later_write_replaces_the_token_and_the_token_is_forgotten_after_the_window()
    {
        var gateway = NewGateway(windowSeconds: 1);
        using var writer = Client(gateway, gateway.Tokens.Create(Random.Shared.NextInt64(1_000_000, 9_000_000)));
        using (await writer.PostAsJsonAsync("/api/posts", new { title = "t", body = "b" }))
        {
        }

        string second;
        using (var again = await writer.PostAsJsonAsync("/api/posts", new { title = "t", body = "b" }))
        {
            second = again.Headers.GetValues("Consistency-Token").Single();
        }

        Assert.Equal(second, await writer.GetStringAsync("/api/posts/1"));
        await Eventually.HoldsAsync(async () => await writer.GetStringAsync("/api/posts/1") == "", "the token expires with its window");
    }

    private static async Task<string> GetWithTokenAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/posts/1");
        request.Headers.TryAddWithoutValidation("Consistency-Token", token);
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private GatewayFactory NewGateway(int windowSeconds = 10)
    {
        var gateway = GatewayFactory.OnStore(
            _redis.ConnectionString,
            [
                new("Gateway:RateLimits:Enabled", "false"),
                new("Gateway:ConsistencyTokens:WindowSeconds", windowSeconds.ToString(CultureInfo.InvariantCulture)),
                // A loaded CI machine can stall the store; a timeout would drop the token.
                new("Gateway:ConsistencyTokens:StoreTimeoutMilliseconds", "5000"),
                new("ReverseProxy:Clusters:content:Destinations:d0:Address", _upstream.Address),
            ]);
        _gateways.Add(gateway);
        return gateway;
    }

    private static HttpClient Client(GatewayFactory gateway, string? token = null)
    {
        var client = gateway.CreateClient();
        client.DefaultRequestHeaders.Add(TestClientIp.Header, TestClientIp.NewAddress());
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }
}

public sealed class GarnetConsistencyTokenForwardingTests() : ConsistencyTokenForwardingTests(RedisStoreKind.Garnet);

public sealed class RedisServerConsistencyTokenForwardingTests() : ConsistencyTokenForwardingTests(RedisStoreKind.RedisServer);
