using System.Diagnostics;
using System.Net.Sockets;

namespace ScalableApi.Testing;

/// <summary>A store this test owns (<see cref="TestRedis.StartStoppable"/>): taken away as a crash would, and started again on its port.</summary>
public sealed partial class TestRedis
{
    /// <summary>Takes the store away as a crash would (its data is lost); the port stays reserved for <see cref="Restart"/>.</summary>
    public void Stop()
    {
        EnsureOwned();
        if (_garnet is { } garnet)
        {
            _garnet = null;
            garnet.Dispose();
        }

        if (_process is { } process)
        {
            _process = null;
            // SHUTDOWN NOSAVE over the protocol (what redis-cli sends); the process exits once it has closed its port.
            try
            {
                Send("SHUTDOWN NOSAVE");
            }
            catch (SocketException)
            {
                // Already gone.
            }
            catch (IOException)
            {
                // The server closes the connection as it shuts down.
            }

            if (!process.WaitForExit(10_000))
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }

    /// <summary>Starts the store again on the same port, empty.</summary>
    public void Restart()
    {
        EnsureOwned();
        if (IsRunning)
        {
            return;
        }

        if (Kind == RedisStoreKind.Garnet)
        {
            _garnet = NewGarnet(Port);
            _garnet.Start();
        }
        else
        {
            StartProcess();
        }
    }

    private void StartProcess()
    {
        var start = new ProcessStartInfo(RedisServerBinary)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _folder!,
        };
        // Loopback only, nothing on disk but its log; in the foreground so this test owns the process.
        foreach (var arg in new[]
        {
            "--bind", "127.0.0.1", "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", _folder!,
            "--logfile", Path.Combine(_folder!, "redis.log"),
        })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                if (Send("PING").StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException)
            {
                // Not listening yet.
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = Path.Combine(_folder!, "redis.log");
                throw new InvalidOperationException(
                    $"redis-server did not answer on port {Port}: {(File.Exists(log) ? File.ReadAllText(log) : "no log")}");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>One inline command, one line of answer.</summary>
    private string Send(string command)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, Port);
        client.ReceiveTimeout = 2_000;
        using var stream = client.GetStream();
        stream.Write(Encoding.ASCII.GetBytes(command + "\r\n"));
        var buffer = new byte[256];
        var read = stream.Read(buffer);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private void EnsureOwned()
    {
        if (!Owned)
        {
            throw new InvalidOperationException("The shared redis-server is not this test's to stop: use TestRedis.StartStoppable.");
        }
    }
}
