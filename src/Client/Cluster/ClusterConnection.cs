using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Clustering;
using Orchestrator.Database;
using Orchestrator.Silo.Hosting;
using Orchestrator.Silo.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Orchestrator.Silo.Workers;
using Orleans.Configuration;

namespace Orchestrator.Client.Cluster;

/// <summary>
/// What a cluster command talks to: the grains and the database. With a connection string, a
/// client joins the cluster whose gateways the database lists. Without one, the embedded default:
/// a private PostgreSQL server started from the system's binaries in the data folder, and a silo in
/// this process that plays every role, so one machine needs nothing set up.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly EmbeddedPostgres? _server;

    private ClusterConnection(IHost host, IGrainFactory grains, RunQueue queue, string database, EmbeddedPostgres? server)
    {
        _host = host;
        Grains = grains;
        Queue = queue;
        Database = database;
        _server = server;
    }

    public IGrainFactory Grains { get; }

    /// <summary>Read access to runs and results, for reports the grains do not serve.</summary>
    public RunQueue Queue { get; }

    /// <summary>The connection string in use (the private server's when embedded).</summary>
    public string Database { get; }

    /// <summary>Whether this process hosts the cluster itself (no connection string was given).</summary>
    public bool Embedded => _server is not null;

    /// <summary>
    /// Where the private server keeps its data: ORCHESTRATOR_DATA, else ~/.local/share/orchestrator;
    /// for root, /var/lib/orchestrator, since the server then runs as the postgres user, which cannot
    /// enter root's home folder.
    /// </summary>
    public static string DataDirectory =>
        Environment.GetEnvironmentVariable("ORCHESTRATOR_DATA") is { Length: > 0 } data ? data
        : Environment.IsPrivilegedProcess ? "/var/lib/orchestrator"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "orchestrator");

    /// <summary>
    /// Connects to the cluster of <paramref name="database"/>, or starts the embedded one with
    /// <paramref name="slots"/> training slots when <paramref name="database"/> is null. <paramref name="tls"/>
    /// (default: <see cref="ClusterTls.FromEnvironment"/>) is the client's certificate for a cluster that runs TLS.
    /// </summary>
    public static async Task<ClusterConnection> OpenAsync(string? database, int slots, CancellationToken cancellation, ClusterTls? tls = null)
    {
        database ??= DatabaseSetting.FromEnvironment();
        if (database is null)
        {
            var server = await EmbeddedPostgres.StartAsync(Path.Combine(DataDirectory, "postgres"), cancellation);
            var builder = await SiloHost.CreateBuilderAsync([], o => (o.Role, o.Database) = (SiloRole.Both, server.ConnectionString),
                w => (w.Slots, w.RunCommand) = (slots, RunCommand()), cancellation);
            // The command's own view shows progress; the embedded silo speaks only of trouble.
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            // Orleans' start-up notes (server GC, the watchdog's first tick) are not the user's concern on a local cluster.
            builder.Logging.AddFilter("Orleans.Runtime.Silo", LogLevel.Error).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
            var host = builder.Build();
            await host.StartAsync(cancellation);
            return new ClusterConnection(host, host.Services.GetRequiredService<IGrainFactory>(), host.Services.GetRequiredService<RunQueue>(), server.ConnectionString, server);
        }
        var client = Host.CreateApplicationBuilder();
        client.Logging.SetMinimumLevel(LogLevel.Warning);
        // A client's spans (sweep submit, its grain calls) go where the silos' go, when OTLP is configured;
        // the embedded cluster's silo host above exports them itself.
        if (SiloTelemetry.OtlpConfigured(client.Configuration))
            client.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService("orchestrator-client", serviceVersion: OrchestratorTelemetry.Version))
                .WithTracing(tracing => tracing.AddOrchestratorSources())
                .UseOtlpExporter();
        var opened = await OrchestratorDatabase.OpenAsync(database, cancellation);
        client.Services.AddSingleton(_ => opened);
        client.Services.AddSingleton(_ => new RunQueue(opened.DataSource));
        // Activity propagation: a trace started around a client call continues in the grains it calls.
        tls ??= ClusterTls.FromEnvironment();
        client.UseOrleansClient(orleans =>
        {
            orleans.AddActivityPropagation()
                .UsePostgresClustering(o => o.ConnectionString = database)
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (new Orchestrator.Silo.Hosting.SiloOptions().ClusterId, "orchestrator"));
            // A cluster whose silos run TLS (docs/security.md) answers only clients that present a certificate it trusts.
            if (tls is not null) orleans.UseTls(tls.Configure);
        });
        var clientHost = client.Build();
        await clientHost.StartAsync(cancellation);
        return new ClusterConnection(clientHost, clientHost.Services.GetRequiredService<IClusterClient>(), clientHost.Services.GetRequiredService<RunQueue>(), database, null);
    }

    /// <summary>
    /// The database alone, for commands that only read results: <paramref name="database"/>, else
    /// ORCHESTRATOR_DATABASE's, else the private server's (started when it is not running; it stays up).
    /// </summary>
    public static async Task<OrchestratorDatabase> OpenDatabaseAsync(string? database, CancellationToken cancellation)
    {
        database ??= DatabaseSetting.FromEnvironment();
        database ??= (await EmbeddedPostgres.StartAsync(Path.Combine(DataDirectory, "postgres"), cancellation)).ConnectionString;
        return await OrchestratorDatabase.OpenAsync(database, cancellation);
    }

    /// <summary>The command line of psql on the embedded cluster's private server, or null when this is not the embedded cluster.</summary>
    public string? PsqlCommand => _server is null ? null : Psql(_server);

    /// <summary>The psql command line that opens <paramref name="server"/>'s results database.</summary>
    public static string Psql(EmbeddedPostgres server) => $"psql -h {server.SocketDirectory} -p {server.Port} -U {EmbeddedPostgres.Superuser} {EmbeddedPostgres.DatabaseName}";

    /// <summary>The command a worker runs for one run: this program's <c>train</c>, machine-readable, one libtorch thread.</summary>
    public static string[] RunCommand()
    {
        var program = Environment.ProcessPath!;
        string[] entry = Path.GetFileNameWithoutExtension(program) == "dotnet" ? [typeof(ClusterConnection).Assembly.Location] : [];
        return [program, .. entry, "train", "--json", "--threads", "1"];
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        // The private server stays up, so psql can query the results and the next command starts at once;
        // `orchestrator database stop` stops it.
    }
}
