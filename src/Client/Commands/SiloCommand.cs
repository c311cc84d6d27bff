using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Orchestrator.Client.Cluster;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator silo</c>: one node of a cluster. Every setting also comes from appsettings.json
/// (section Orchestrator:Silo / Orchestrator:Worker) and the environment (Orchestrator__Silo__Database);
/// options given here win.
/// </summary>
public static class SiloCommand
{
    public static Command Create()
    {
        var role = new Option<SiloRole?>("--role") { Description = "coordinator (sweep grains, client gateway), worker (trains runs) or both (default)." };
        var database = SweepCommands.DatabaseOption();
        var slots = new Option<int?>("--slots") { Description = "Worker: runs trained at once (default: one per core)." };
        var address = new Option<string?>("--address") { Description = "The address other nodes reach this one at (default 127.0.0.1)." };
        var siloPort = new Option<int?>("--silo-port") { Description = "Silo-to-silo port (default: a free one)." };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Client gateway port on coordinators (default: a free one)." };
        var httpPort = new Option<int?>("--http-port") { Description = "Serve /healthz, /readyz and /metrics on this port (default: none)." };
        var httpAddress = new Option<string?>("--http-address") { Description = "The address the HTTP port listens on (default 127.0.0.1; 0.0.0.0 for every address)." };
        var tlsCertificate = new Option<string?>("--tls-certificate") { HelpName = "FILE", Description = $"Mutual TLS between silos and on the gateway: this node's certificate (PEM, or PKCS#12 without a password); default: {ClusterTls.CertificateVariable}. Every node and client needs one the cluster trusts." };
        var tlsKey = new Option<string?>("--tls-key") { HelpName = "FILE", Description = $"The certificate's PEM private key, when the certificate file holds none (default: {ClusterTls.KeyVariable})." };
        var tlsTrust = new Option<string?>("--tls-trust") { HelpName = "FILE", Description = $"PEM certificates (a CA) a peer's certificate must chain to (default: {ClusterTls.TrustVariable}; without it, the node's own certificate)." };
        var command = new Command("silo", "Run a silo of the cluster until stopped (Ctrl-C or SIGTERM hands its runs back).")
        {
            role, database, slots, address, siloPort, gatewayPort, httpPort, httpAddress, tlsCertificate, tlsKey, tlsTrust,
        };
        command.SetAction(async (result, cancellation) =>
        {
            var builder = await SiloHost.CreateBuilderAsync([], o =>
            {
                o.Role = result.GetValue(role) ?? o.Role;
                o.Database = result.GetValue(database) ?? (o.Database is { Length: > 0 } ? o.Database : DatabaseSetting.FromEnvironment() ?? "");
                o.AdvertisedAddress = result.GetValue(address) ?? o.AdvertisedAddress;
                o.SiloPort = result.GetValue(siloPort) ?? o.SiloPort;
                o.GatewayPort = result.GetValue(gatewayPort) ?? o.GatewayPort;
                o.HttpPort = result.GetValue(httpPort) ?? o.HttpPort;
                o.HttpAddress = result.GetValue(httpAddress) ?? o.HttpAddress;
                // The same variables as a client's, so one environment serves a node's silo and its commands.
                o.TlsCertificate = result.GetValue(tlsCertificate) ?? (o.TlsCertificate is { Length: > 0 } ? o.TlsCertificate : Environment.GetEnvironmentVariable(ClusterTls.CertificateVariable) ?? "");
                o.TlsKey = result.GetValue(tlsKey) ?? (o.TlsKey is { Length: > 0 } ? o.TlsKey : Environment.GetEnvironmentVariable(ClusterTls.KeyVariable) ?? "");
                o.TlsTrust = result.GetValue(tlsTrust) ?? (o.TlsTrust is { Length: > 0 } ? o.TlsTrust : Environment.GetEnvironmentVariable(ClusterTls.TrustVariable) ?? "");
            }, w =>
            {
                w.Slots = result.GetValue(slots) ?? w.Slots;
                if (w.RunCommand.Length == 0) w.RunCommand = ClusterConnection.RunCommand();
            }, cancellation);
            using var host = builder.Build();
            await host.RunAsync(cancellation);
            return 0;
        });
        return command;
    }
}
