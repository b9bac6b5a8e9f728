using System.Net.Sockets;

namespace ScalableApi.Gateway.Tests.Resilience;

/// <summary>
/// A replica SIGKILLed between two requests leaves the gateway a pooled keep-alive connection to it. The next
/// request sent on that connection is read by nobody and reset: it failed before any response byte, so it is
/// retried on another replica like a refused connection.
/// </summary>
public sealed class StalePooledConnectionTests
{
    [Fact]
    public async Task A_get_sent_on_a_pooled_connection_to_a_dead_replica_is_retried_elsewhere()
    {
        await using var live = await UpstreamServer.StartAsync("live");
        await using var dying = DyingUpstream.Start();
        await using var gateway = new GatewayFactory(new Dictionary<string, string?>
        {
            ["ReverseProxy:Clusters:catalog:LoadBalancingPolicy"] = "RoundRobin",
            ["ReverseProxy:Clusters:catalog:Destinations:d0:Address"] = dying.Address,
            ["ReverseProxy:Clusters:catalog:Destinations:d1:Address"] = live.Address,
            // Probes would open their own connections to the one-connection replica.
            ["ReverseProxy:Clusters:catalog:HealthCheck:Active:Enabled"] = "false",
        });
        using var client = gateway.CreateClient();

        var bodies = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var response = await client.GetAsync(new Uri($"/api/products/{i}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync());
        }

        // The dying replica answered once, then took the request it died on: every request still succeeded.
        Assert.Equal("dying", bodies[0]);
        Assert.True(dying.Died);
        Assert.All(bodies.Skip(1), body => Assert.StartsWith("live:", body, StringComparison.Ordinal));
    }

    /// <summary>
    /// A raw one-connection HTTP/1.1 server: answers the first request (keep-alive), then reads the second one and
    /// dies as a killed process does: listening stops and the connection is reset with the request unanswered.
    /// </summary>
    private sealed class DyingUpstream : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _serving;
        private volatile bool _died;

        private DyingUpstream()
        {
            _listener.Start();
            Address = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
            _serving = ServeAsync();
        }

        public string Address { get; }

        public bool Died => _died;

        public static DyingUpstream Start() => new();

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (SocketException)
            {
                // never connected: the listener was stopped under Accept
            }
            catch (ObjectDisposedException)
            {
            }
        }

        private async Task ServeAsync()
        {
            using var socket = await _listener.AcceptSocketAsync();
            await ReadRequestAsync(socket);
            await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ndying"));
            await ReadRequestAsync(socket);
            _listener.Stop();
            socket.LingerState = new LingerOption(enable: true, seconds: 0); // close = RST, like a killed process with unread data
            _died = true;
            socket.Close();
        }

        // GETs without bodies: a request ends at the blank line.
        private static async Task ReadRequestAsync(Socket socket)
        {
            var buffer = new byte[8192];
            var received = new StringBuilder();
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer);
                if (read == 0)
                {
                    throw new IOException("The gateway closed the connection.");
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
    }
}
