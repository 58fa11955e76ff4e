using System.Net;
using System.Net.Sockets;

namespace MessagingServer.TestSupport;

/// <summary>A loopback TCP port the OS says is free right now.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
