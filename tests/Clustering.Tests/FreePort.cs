using System.Net;
using System.Net.Sockets;

namespace Orchestrator.Clustering.Tests;

/// <summary>A loopback TCP port free a moment ago, for a silo or gateway endpoint.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
