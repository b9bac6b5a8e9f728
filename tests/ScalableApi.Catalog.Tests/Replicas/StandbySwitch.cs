using System.Net.Sockets;

namespace ScalableApi.Catalog.Tests.Replicas;

/// <summary>
/// A loopback port in front of the shared standby that a test can take down (listener closed, every open session cut,
/// as when the standby's server stops) and bring back on the same port, without stopping the standby other suites use.
/// </summary>
internal sealed class StandbySwitch : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly List<TcpClient> _sessions = [];
    private TcpListener? _listener;
    private CancellationTokenSource _down = new();

    public StandbySwitch(int targetPort)
    {
        _targetPort = targetPort;
        Port = LoopbackPorts.Free();
    }

    public int Port { get; }

    public void Up()
    {
        _down = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = AcceptAsync(_listener, _down.Token);
    }

    public async Task DownAsync()
    {
        await _down.CancelAsync();
        _listener?.Stop();
        lock (_sessions)
        {
            foreach (var session in _sessions)
            {
                try
                {
                    session.Client?.LingerState = new LingerOption(true, 0); // RST, like a server that went away
                }
                catch (ObjectDisposedException)
                {
                    // Already closed by its pump.
                }

                session.Dispose();
            }

            _sessions.Clear();
        }
    }

    public async ValueTask DisposeAsync() => await DownAsync();

    private async Task AcceptAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new TcpClient();
            try
            {
                await upstream.ConnectAsync(IPAddress.Loopback, _targetPort, cancellationToken);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                client.Dispose();
                upstream.Dispose();
                continue;
            }

            lock (_sessions)
            {
                _sessions.Add(client);
                _sessions.Add(upstream);
            }

            _ = PumpAsync(client, upstream, cancellationToken);
            _ = PumpAsync(upstream, client, cancellationToken);
        }
    }

    private static async Task PumpAsync(TcpClient from, TcpClient to, CancellationToken cancellationToken)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream(), cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // The switch went down, or one side closed: the other side is closed below.
        }

        from.Dispose();
        to.Dispose();
    }
}
