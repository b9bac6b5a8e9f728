using System.Net;
using System.Net.Sockets;

namespace ScalableApi.AppHost;

internal static class FreePort
{
    /// <summary>A loopback port nobody listens on right now (the OS picks it).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary><paramref name="preferred"/> when it is free, so URLs stay the same between runs; otherwise any free port.</summary>
    public static int PreferOrNext(int preferred)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, preferred);
            listener.Start();
            return preferred;
        }
        catch (SocketException)
        {
            return Next();
        }
    }
}
