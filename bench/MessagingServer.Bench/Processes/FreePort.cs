using System.Net;
using System.Net.Sockets;

namespace MessagingServer.Bench.Processes;

public static class FreePort
{
    /// <summary>A loopback port the OS just handed out and took back; free unless someone races for it.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
