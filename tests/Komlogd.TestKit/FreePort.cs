using System.Net;
using System.Net.Sockets;

namespace Komlogd.TestKit;

/// <summary>A loopback port nobody listens on right now (the OS picks it; no fixed ports, so tests run side by side).</summary>
public static class FreePort
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
