using Microsoft.IdentityModel.Tokens;

namespace ScalableApi.Platform.Tests.Owasp;

/// <summary>
/// A real Kestrel server on a loopback port standing in for the users service's <c>/.well-known/jwks.json</c>;
/// what it answers is set by the test (a key set, an oversized body, a redirect), so the platform's JWKS client is
/// exercised over real HTTP with its real handler.
/// </summary>
internal sealed class LoopbackJwksServer : IAsyncDisposable
{
    public const string JwksPath = "/.well-known/jwks.json";

    private LoopbackServer _server = null!;
    private volatile Func<HttpContext, Task> _respond = context => context.Response.WriteAsync("{\"keys\":[]}");

    private LoopbackJwksServer()
    {
    }

    public string JwksUrl => _server.Address + JwksPath;

    /// <summary>Requests the server received on <see cref="JwksPath"/>.</summary>
    public int Requests => Volatile.Read(ref _requests);

    private int _requests;

    public static async Task<LoopbackJwksServer> StartAsync()
    {
        var server = new LoopbackJwksServer();
        server._server = await LoopbackServer.StartAsync(app =>
        {
            app.MapGet(JwksPath, context =>
            {
                Interlocked.Increment(ref server._requests);
                return server._respond(context);
            });
            // Where a redirect points: a perfectly good key set, only not at the configured address.
            app.MapGet("/elsewhere/jwks.json", context => server.Elsewhere(context));
        });
        return server;
    }

    /// <summary>What <c>/elsewhere/jwks.json</c> answers.</summary>
    public Func<HttpContext, Task> Elsewhere { get; set; } = context => context.Response.WriteAsync("{\"keys\":[]}");

    public void Respond(Func<HttpContext, Task> respond) => _respond = respond;

    /// <summary>Answers the public halves of <paramref name="keys"/> as a JWKS.</summary>
    public void Serve(params TestTokens[] keys) => Respond(context => WriteJson(context, KeySet(keys)));

    public static string KeySet(params TestTokens[] keys) => KeySet(keys.Select(Public));

    public static string KeySet(IEnumerable<object> keys) => JsonSerializer.Serialize(new { keys });

    public static Dictionary<string, string> Public(TestTokens key)
    {
        var jwk = JsonWebKeyConverter.ConvertFromSecurityKey(key.SigningKey);
        return new() { ["kty"] = jwk.Kty, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y, ["kid"] = jwk.Kid, ["use"] = "sig", ["alg"] = "ES256" };
    }

    public static Task WriteJson(HttpContext context, string json)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
