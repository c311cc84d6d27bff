namespace Orchestrator.Silo.Hosting;

/// <summary>
/// A silo's settings, bound by name from the <c>Orchestrator:Silo</c> section of appsettings.json,
/// the environment (<c>Orchestrator__Silo__Slots=4</c>) and the command line, later sources winning.
/// </summary>
public sealed class SiloOptions
{
    public const string Section = "Orchestrator:Silo";

    public SiloRole Role { get; set; } = SiloRole.Both;

    /// <summary>The PostgreSQL connection string: run state, results and cluster membership.</summary>
    public string Database { get; set; } = "";

    /// <summary>Silos of one cluster share it; two clusters can share one database.</summary>
    public string ClusterId { get; set; } = "orchestrator";

    /// <summary>The address other silos and clients reach this one at.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Silo-to-silo port; 0 picks a free one.</summary>
    public int SiloPort { get; set; }

    /// <summary>Client gateway port (coordinators); 0 picks a free one.</summary>
    public int GatewayPort { get; set; }

    /// <summary>
    /// The port the silo listens on when others reach it at another one (<see cref="SiloPort"/>, the port it
    /// advertises): behind NAT, a container runtime's port mapping or a proxy. 0, the default, listens on
    /// <see cref="SiloPort"/> itself.
    /// </summary>
    public int SiloListenPort { get; set; }

    /// <summary>As <see cref="SiloListenPort"/>, for the client gateway (<see cref="GatewayPort"/> is then the advertised one).</summary>
    public int GatewayListenPort { get; set; }

    /// <summary>
    /// The HTTP port serving /healthz, /readyz and /metrics (deploy/README.md, "Health and metrics");
    /// 0, the default, serves nothing (the embedded cluster of a client command).
    /// </summary>
    public int HttpPort { get; set; }

    /// <summary>The address the HTTP port listens on: loopback unless set (<c>0.0.0.0</c> in a container, for probes and scrapes).</summary>
    public string HttpAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// A certificate file (PEM, or PKCS#12 without a password) that turns on mutual TLS for silo-to-silo and
    /// gateway connections (<see cref="ClusterTls"/>); empty, the default, leaves them plain TCP.
    /// </summary>
    public string TlsCertificate { get; set; } = "";

    /// <summary>The PEM private key of <see cref="TlsCertificate"/>, when that file holds none.</summary>
    public string TlsKey { get; set; } = "";

    /// <summary>PEM certificates (a CA) whose holders may connect; empty: the holders of <see cref="TlsCertificate"/> itself.</summary>
    public string TlsTrust { get; set; } = "";

    /// <summary>How often a coordinator reads its sweep gauges (runs by state, configuration scores) from the database.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromSeconds(10);
}
