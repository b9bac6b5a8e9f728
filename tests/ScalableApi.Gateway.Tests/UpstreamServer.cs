namespace ScalableApi.Gateway.Tests;

/// <summary>A real Kestrel server on a loopback port that answers with its own name: a stand-in replica.</summary>
internal sealed class UpstreamServer : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private int _requests;

    private UpstreamServer(string name) => Name = name;

    public string Name { get; }

    public string Address => _server.Address;

    /// <summary>API requests received (health probes excluded).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The X-Request-Id of the last request received, to check propagation.</summary>
    public string? LastRequestId { get; private set; }

    /// <summary>The W3C traceparent of the last request received, to check trace propagation.</summary>
    public string? LastTraceParent { get; private set; }

    public static async Task<UpstreamServer> StartAsync(string name, Action<WebApplication>? map = null)
    {
        var server = new UpstreamServer(name);
        server._server = await LoopbackServer.StartAsync(app =>
        {
            app.Use(async (context, next) =>
            {
                if (context.Request.Path.StartsWithSegments("/health"))
                {
                    await next(context); // the gateway's active health probes are not traffic
                    return;
                }

                Interlocked.Increment(ref server._requests);
                server.LastRequestId = context.Request.Headers["X-Request-Id"].ToString();
                server.LastTraceParent = context.Request.Headers["traceparent"].ToString();
                await next(context);
            });
            app.MapGet("/api/products/{id}", (string id) => Results.Text($"{name}:{id}"));
            app.MapPut("/api/products/{id}", async (HttpRequest request) => Results.Text($"{name}:{await new StreamReader(request.Body).ReadToEndAsync()}"));
            app.MapPost("/api/products", async (HttpRequest request) => Results.Text($"{name}:{await new StreamReader(request.Body).ReadToEndAsync()}"));
            app.MapGet("/health/ready", () => Results.Ok());
            map?.Invoke(app);
        });
        return server;
    }

    /// <summary>An address nothing listens on: connecting to it is refused at once.</summary>
    public static string DeadAddress() => $"http://127.0.0.1:{LoopbackPorts.Free()}/";

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
