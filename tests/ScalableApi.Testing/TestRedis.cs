using System.Net;
using System.Net.Sockets;
using Garnet;
using Garnet.server;

namespace ScalableApi.Testing;

/// <summary>
/// A Redis-protocol server for a test: the redis-server named by <see cref="EnvironmentVariable"/> (started by
/// .ci/run), or else an embedded Garnet on a free loopback port, the same store the AppHost runs by default.
/// </summary>
public sealed class TestRedis : IDisposable
{
    public const string EnvironmentVariable = "SCALABLEAPI_TEST_REDIS";

    private readonly GarnetServer? _garnet;

    private TestRedis(string connectionString, GarnetServer? garnet)
    {
        ConnectionString = connectionString;
        _garnet = garnet;
    }

    /// <summary>StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6390</c>.</summary>
    public string ConnectionString { get; }

    public static TestRedis Start() => Start(preferEmbedded: false);

    /// <summary>Starts an embedded Garnet even when a redis-server is configured (for tests that stop it).</summary>
    public static TestRedis StartEmbedded() => Start(preferEmbedded: true);

    private static TestRedis Start(bool preferEmbedded)
    {
        var external = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!preferEmbedded && !string.IsNullOrWhiteSpace(external))
        {
            return new TestRedis(external, null);
        }

        var port = FreePort();
        var garnet = new GarnetServer(new GarnetServerOptions
        {
            EndPoints = [new IPEndPoint(IPAddress.Loopback, port)],
            EnableLua = true,
            LuaOptions = new LuaOptions(null),
            QuietMode = true,
        });
        garnet.Start();
        return new TestRedis($"127.0.0.1:{port}", garnet);
    }

    public void Dispose() => _garnet?.Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
