using System.Net;
using Garnet;
using Garnet.server;

namespace ScalableApi.AppHost;

/// <summary>
/// A Redis-protocol server inside the AppHost process, so the default topology needs nothing installed.
/// It lives and dies with the AppHost: nothing to clean up after Ctrl+C.
/// </summary>
internal sealed class EmbeddedGarnet : IDisposable
{
    private readonly GarnetServer _server;

    private EmbeddedGarnet(GarnetServer server, int port)
    {
        _server = server;
        Port = port;
    }

    public int Port { get; }

    /// <summary>StackExchange.Redis connection string of this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static EmbeddedGarnet Start()
    {
        var port = FreePort.Next();
        var server = new GarnetServer(new GarnetServerOptions
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
            // Lua for rate limiting and atomic cache scripts; LuaOptions must be given or EnableLua throws.
            EnableLua = true,
            LuaOptions = new LuaOptions(null),
            QuietMode = true,
        });
        try
        {
            server.Start();
        }
        catch
        {
            server.Dispose();
            throw;
        }

        return new EmbeddedGarnet(server, port);
    }

    public void Dispose() => _server.Dispose();
}
