using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Database;
using Orleans.TestingHost;

namespace Orchestrator.Grains.Tests;

/// <summary>
/// A private PostgreSQL server in a temp folder with a fresh, migrated database, and an in-process
/// cluster of two silos whose grains read and write it through <see cref="RunQueue"/>. The tests
/// play the workers themselves through <see cref="Queue"/>, and move the silos' clock with <see cref="Clock"/>.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("orchestrator-grains-tests-").FullName;
    private EmbeddedPostgres? server;
    private OrchestratorDatabase? database;

    /// <summary>The silos' clock: real time plus whatever the tests add.</summary>
    public ShiftedClock Clock { get; } = new();

    /// <summary>The queue over the cluster's database, as a worker sees it.</summary>
    public RunQueue Queue { get; private set; } = null!;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public async Task InitializeAsync()
    {
        server = await EmbeddedPostgres.StartAsync(directory);
        // The server is private to this folder: its database is fresh. OpenAsync applies the migrations.
        database = await OrchestratorDatabase.OpenAsync(server.ConnectionString);
        Queue = new RunQueue(database.DataSource);
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(new RunQueue(database.DataSource));
            silo.Services.AddSingleton<TimeProvider>(Clock);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>
    /// Cancels every sweep still active or paused, so that a test that leases sees only its own
    /// sweep's runs (leasing takes runs of any active sweep in the database).
    /// </summary>
    public async Task CancelOpenSweepsAsync()
    {
        foreach (var sweep in await Queue.ListSweepsAsync())
            if (sweep.State is SweepStates.Active or SweepStates.Paused) await Queue.SetSweepStateAsync(sweep.Id, SweepStates.Cancelled);
    }

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
        if (database is not null) await database.DisposeAsync();
        if (server is not null) await server.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary>The test classes that share <see cref="ClusterFixture"/>'s cluster and database, one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}

/// <summary>
/// The system clock moved forward on demand. Only the wall clock moves (timestamps and timers stay
/// real), so the silos' own timers and membership carry on as usual while a grain sees time pass.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
}
