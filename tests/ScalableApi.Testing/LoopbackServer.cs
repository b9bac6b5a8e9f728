using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ScalableApi.Testing;

/// <summary>
/// A real Kestrel server on a free loopback port answering what the test maps: a stand-in replica, JWKS endpoint or
/// OTLP collector, so the code under test talks to it over real HTTP with its real handler.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app) => _app = app;

    /// <summary>The base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Address => _app.Urls.First();

    /// <summary>Builds the server, lets <paramref name="map"/> add its middleware and endpoints, and starts it.</summary>
    public static async Task<LoopbackServer> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return new LoopbackServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
