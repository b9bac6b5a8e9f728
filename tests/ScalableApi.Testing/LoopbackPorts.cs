namespace ScalableApi.Testing;

/// <summary>Free TCP ports on loopback, for servers a test starts (stores, replicas, management listeners).</summary>
public static class LoopbackPorts
{
    /// <summary>A port the kernel hands out now (its ephemeral range); nothing listens on it once this returns.</summary>
    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
