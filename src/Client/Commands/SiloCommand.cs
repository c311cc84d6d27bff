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
        var tls = new TlsCommandOptions();
        var command = new Command("silo", "Run a silo of the cluster until stopped (Ctrl-C or SIGTERM hands its runs back).")
        {
            role, database, slots, address, siloPort, gatewayPort, httpPort, httpAddress,
        };
        tls.AddTo(command);
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
                // Options, then the ORCHESTRATOR_TLS_* variables a client reads too, then appsettings / Orchestrator__Silo__Tls*.
                var (certificate, key, trust) = tls.Files(result);
                (o.TlsCertificate, o.TlsKey, o.TlsTrust) = (Or(certificate, o.TlsCertificate), Or(key, o.TlsKey), Or(trust, o.TlsTrust));
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

    private static string Or(string given, string configured) => given.Length > 0 ? given : configured;
}
