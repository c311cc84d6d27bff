using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestrator.Clustering;
using Orchestrator.Database;
using Orchestrator.Grains.Sweeps;
using Orchestrator.Grains.Workers;
using Orchestrator.Silo.Telemetry;
using Orchestrator.Silo.Workers;
using Orleans.Configuration;

namespace Orchestrator.Silo.Hosting;

/// <summary>
/// Builds a silo host for a role: coordinators host the sweep and worker-registry grains and the
/// client gateway; workers lease runs and train them in child processes. Membership lives in the
/// PostgreSQL database that holds the runs, so one connection string is all a node needs.
/// </summary>
/// <remarks>
/// Grain classes are removed from worker-only silos (placement considers only silos whose manifest
/// has the grain type), so sweep bookkeeping never lands on a training machine. No silo loads
/// TorchSharp: training happens in the run processes a worker starts. Coordinators with an HTTP port
/// also run the Orleans dashboard there (<see cref="SiloDashboard"/>).
/// </remarks>
public static class SiloHost
{
    /// <summary>
    /// A host builder with configuration from appsettings.json, environment variables
    /// (<c>Orchestrator__Silo__Role=worker</c>) and <paramref name="args"/>, then
    /// <paramref name="configure"/> and <paramref name="configureWorker"/> on top.
    /// </summary>
    public static async Task<HostApplicationBuilder> CreateBuilderAsync(string[] args, Action<SiloOptions>? configure = null,
        Action<WorkerOptions>? configureWorker = null, CancellationToken cancellation = default)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = false });
        var silo = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();
        configure?.Invoke(silo);
        if (string.IsNullOrWhiteSpace(silo.Database))
            throw new ArgumentException($"No database: set {SiloOptions.Section}:Database (--database, or the environment variable Orchestrator__Silo__Database) to a PostgreSQL connection string.");

        // Loaded before anything starts: a wrong path stops the silo with the file's name, not a handshake failure later.
        var tls = ClusterTls.Load(silo.TlsCertificate, silo.TlsKey, silo.TlsTrust);

        // Migrations run before Orleans starts: membership needs its tables.
        var database = await OrchestratorDatabase.OpenAsync(silo.Database, cancellation);
        builder.Services.AddSingleton(_ => database);          // from a factory, so the host disposes it
        builder.Services.AddSingleton(_ => new RunQueue(database.DataSource));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.Configure<WorkerOptions>(builder.Configuration.GetSection(WorkerOptions.Section));
        if (configureWorker is not null) builder.Services.Configure(configureWorker);
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            // The run worker leases from PostgreSQL alone: started with Orleans rather than after its join, which
            // waits until every silo the membership table lists as active answers, killed ones included (a
            // restarted cluster leased nothing for 26 s, docs/reliability.md). Stopping stays in reverse order:
            // the worker hands its runs back before the silo leaves. With TLS the join is the certificate check,
            // so a worker leases only once it has joined: one the cluster refuses never trains.
            o.ServicesStartConcurrently = tls is null;
        });
        // Before Orleans: the HTTP endpoint answers /healthz while the silo joins, and says 503 on /readyz until it stops.
        var workerName = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>()?.Name ?? new WorkerOptions().Name;
        builder.AddSiloTelemetry(silo, workerName);

        builder.UseOrleans(orleans =>
        {
            orleans.UsePostgresClustering(o => o.ConnectionString = silo.Database);
            orleans.AddActivityPropagation();
            // Mutual TLS on every silo and gateway connection when a certificate is configured (docs/security.md).
            if (tls is not null) orleans.UseTls(tls.Configure);
            orleans.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (silo.ClusterId, "orchestrator"));
            // The silo's name in the membership table and the dashboard: the worker name it leases under.
            orleans.Configure<Orleans.Configuration.SiloOptions>(o => o.SiloName = workerName);
            var address = IPAddress.Parse(silo.AdvertisedAddress);
            orleans.ConfigureEndpoints(address, FreeOr(silo.SiloPort), silo.Role == SiloRole.Worker ? 0 : FreeOr(silo.GatewayPort), listenOnAnyHostAddress: false);
            // Others connect to the advertised ports (the membership table lists them); these are where this process listens.
            orleans.Configure<EndpointOptions>(o =>
            {
                if (silo.SiloListenPort != 0) o.SiloListeningEndpoint = new IPEndPoint(address, silo.SiloListenPort);
                if (silo.GatewayListenPort != 0 && o.GatewayPort != 0) o.GatewayListeningEndpoint = new IPEndPoint(address, silo.GatewayListenPort);
            });
            // The Orleans dashboard, at /dashboard on the HTTP port: coordinators with one. Its grains live only where its services do.
            var dashboard = silo.Role != SiloRole.Worker && silo.HttpPort > 0;
            if (dashboard) SiloDashboard.AddTo(orleans);
            orleans.Configure<GrainTypeOptions>(o =>
            {
                if (!dashboard) SiloDashboard.RemoveGrains(o);
                if (silo.Role != SiloRole.Worker) return;
                o.Classes.Remove(typeof(SweepGrain));
                o.Classes.Remove(typeof(SweepRegistryGrain));
                o.Classes.Remove(typeof(WorkerRegistryGrain));
                o.Classes.Remove(typeof(ConfigurationGrain));
                o.Classes.Remove(typeof(RunGrain));
            });
        });
        if (silo.Role != SiloRole.Coordinator) builder.Services.AddHostedService<RunWorker>();
        return builder;
    }

    /// <summary><paramref name="port"/>, or a free loopback port when 0.</summary>
    private static int FreeOr(int port)
    {
        if (port != 0) return port;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
