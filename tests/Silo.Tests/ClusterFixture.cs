using Npgsql;
using Orchestrator.Database;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// What every test of the collection shares: one private PostgreSQL server (initdb and start cost
/// seconds), from which each test takes a migrated database of its own, and a tiny feature store.
/// Disposing stops the server and deletes both.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    // Migrated once; each test database is a copy of it, faster than migrating again.
    private const string MigratedTemplate = "silo_tests_template";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("orchestrator-silo-tests-");

    // A folder of its own: run as root, the server runs as postgres, which must be able to enter it (the server owns it).
    private readonly DirectoryInfo _server = Directory.CreateTempSubdirectory("orchestrator-silo-tests-pg-");

    public EmbeddedPostgres Server { get; private set; } = null!;

    public TinyStore Store { get; private set; } = null!;

    /// <summary>A folder for one test's files, deleted with the fixture.</summary>
    public DirectoryInfo NewFolder(string name) => _directory.CreateSubdirectory($"{name}-{Guid.NewGuid():N}");

    public async Task InitializeAsync()
    {
        Server = await EmbeddedPostgres.StartAsync(_server.FullName);
        await (await OrchestratorDatabase.OpenAsync(await CreateDatabaseAsync(MigratedTemplate, "template1"))).DisposeAsync();
        Store = TinyStore.Write(Path.Combine(_directory.FullName, "store"));
    }

    /// <summary>A new database with the schema applied; its connection string.</summary>
    public Task<string> CreateDatabaseAsync() => CreateDatabaseAsync($"silo_{Guid.NewGuid():N}", MigratedTemplate);

    private async Task<string> CreateDatabaseAsync(string name, string template)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template}", connection);
        await create.ExecuteNonQueryAsync();
        return Server.ConnectionStringFor(name);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Server.DisposeAsync();
        _server.Delete(recursive: true);
        _directory.Delete(recursive: true);
    }
}

/// <summary>
/// The tests that start silo processes: one at a time, since each starts a cluster on a small
/// machine and measures how fast it recovers.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
