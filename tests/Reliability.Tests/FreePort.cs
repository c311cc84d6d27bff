using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Reliability.Tests;

/// <summary>A loopback TCP port free a moment ago: silos restarted on the ports they had, as a deployment with fixed ports does.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
