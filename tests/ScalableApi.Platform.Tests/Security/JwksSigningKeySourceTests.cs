using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;
using ScalableApi.Platform.Security;

namespace ScalableApi.Platform.Tests.Security;

/// <summary>The JWKS cache fetches on unknown key ids, at most once per interval, and survives a failing issuer.</summary>
public sealed class JwksSigningKeySourceTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Unknown_kid_triggers_a_fetch_and_a_known_kid_does_not()
    {
        using var tokens = new TestTokens();
        using var server = new JwksServer(tokens);
        var source = CreateSource(server);

        await source.EnsureKeyAsync(tokens.SigningKey.KeyId, CancellationToken.None);
        await source.EnsureKeyAsync(tokens.SigningKey.KeyId, CancellationToken.None);

        Assert.Equal(1, server.Requests);
        Assert.Equal(tokens.SigningKey.KeyId, Assert.Single(source.GetKeys()).KeyId);
    }

    [Fact]
    public async Task Rotated_key_is_fetched_after_the_minimum_interval()
    {
        using var first = new TestTokens();
        using var second = new TestTokens();
        using var server = new JwksServer(first);
        var source = CreateSource(server);
        await source.EnsureKeyAsync(first.SigningKey.KeyId, CancellationToken.None);

        server.Serve(first, second);
        await source.EnsureKeyAsync(second.SigningKey.KeyId, CancellationToken.None); // within the interval: throttled
        Assert.Equal(1, server.Requests);

        _time.Advance(TimeSpan.FromSeconds(11));
        await source.EnsureKeyAsync(second.SigningKey.KeyId, CancellationToken.None);
        Assert.Equal(2, server.Requests);
        Assert.Contains(source.GetKeys(), k => k.KeyId == second.SigningKey.KeyId);
    }

    // A fresh replica under load: requests that arrive while the first fetch is in flight wait for its keys rather
    // than finding "fetched just now, no such key" and answering 401 to a valid token.
    [Fact]
    public async Task Requests_arriving_during_the_first_fetch_get_its_keys()
    {
        using var tokens = new TestTokens();
        using var server = new JwksServer(tokens) { Gate = new TaskCompletionSource() };
        var source = CreateSource(server);

        var first = source.EnsureKeyAsync(tokens.SigningKey.KeyId, CancellationToken.None).AsTask();
        await server.Started.Task;
        var others = Enumerable.Range(0, 8).Select(_ => source.EnsureKeyAsync(tokens.SigningKey.KeyId, CancellationToken.None).AsTask()).ToArray();
        Assert.All(others, t => Assert.False(t.IsCompleted));

        server.Gate.SetResult();
        await first;
        await Task.WhenAll(others);

        Assert.Equal(1, server.Requests);
        Assert.Equal(tokens.SigningKey.KeyId, Assert.Single(source.GetKeys()).KeyId);
    }

    [Fact]
    public async Task Failing_issuer_keeps_the_cached_keys()
    {
        using var tokens = new TestTokens();
        using var server = new JwksServer(tokens);
        var source = CreateSource(server);
        await source.EnsureKeyAsync(tokens.SigningKey.KeyId, CancellationToken.None);

        server.Fail = true;
        _time.Advance(TimeSpan.FromMinutes(11));
        await source.EnsureKeyAsync("some-unknown-kid", CancellationToken.None);

        Assert.Equal(2, server.Requests);
        Assert.Single(source.GetKeys());
    }

    private JwksSigningKeySource CreateSource(JwksServer server) => new(
        new HttpClient(server),
        Options.Create(new AuthOptions { JwksUrl = "http://users.test/.well-known/jwks.json" }),
        _time,
        NullLogger<JwksSigningKeySource>.Instance);

    /// <summary>Answers JWKS requests in-process with the public halves of the given keys.</summary>
    private sealed class JwksServer : HttpMessageHandler
    {
        private string _json = "{}";

        public JwksServer(params TestTokens[] keys) => Serve(keys);

        public int Requests { get; private set; }

        public bool Fail { get; set; }

        /// <summary>When set, a fetch waits for it (after signalling <see cref="Started"/>).</summary>
        public TaskCompletionSource? Gate { get; init; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Serve(params TestTokens[] keys)
        {
            var set = new { keys = keys.Select(k => Public(JsonWebKeyConverter.ConvertFromSecurityKey(k.SigningKey))).ToArray() };
            _json = System.Text.Json.JsonSerializer.Serialize(set);
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            Started.TrySetResult();
            if (Gate is not null)
            {
                await Gate.Task.WaitAsync(cancellationToken);
            }

            return Fail
                ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(_json) };
        }

        private static object Public(JsonWebKey key) => new { kty = key.Kty, crv = key.Crv, x = key.X, y = key.Y, kid = key.Kid, use = "sig", alg = "ES256" };
    }
}
