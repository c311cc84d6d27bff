using System.Collections.Concurrent;
using Npgsql;

namespace Orchestrator.Database.Tests;

/// <summary>
/// One private PostgreSQL server for the whole test run (initdb and start cost seconds); each
/// test class takes a database of its own from it, so classes never see each other's rows.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("orchestrator-db-tests-").FullName;
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> shared = new();

    public EmbeddedPostgres Server { get; private set; } = null!;

    // Migrated once; each migrated test database is a copy of it, which is faster than migrating again.
    private const string MigratedTemplate = "test_migrated_template";

    public async Task InitializeAsync()
    {
        Server = await EmbeddedPostgres.StartAsync(directory);
        await (await OrchestratorDatabase.OpenAsync(await CreateDatabaseAsync(MigratedTemplate))).DisposeAsync();
    }

    /// <summary>A new, empty database <c>test_&lt;guid&gt;</c>; its connection string.</summary>
    public Task<string> CreateDatabaseAsync() => CreateDatabaseAsync($"test_{Guid.NewGuid():N}");

    /// <summary>A new database with the schema applied: for tests that lease, which see every sweep of their database.</summary>
    public async Task<OrchestratorDatabase> OpenDatabaseAsync() =>
        await OrchestratorDatabase.OpenAsync(await CreateDatabaseAsync($"test_{Guid.NewGuid():N}", MigratedTemplate));

    private async Task<string> CreateDatabaseAsync(string name, string template = "template1")
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template}", connection);
        await create.ExecuteNonQueryAsync();
        return Server.ConnectionStringFor(name);
    }

    /// <summary>
    /// What <paramref name="create"/> makes, once per <paramref name="name"/> for the whole run: the
    /// database a test class reads and arranges once, shared by its tests.
    /// </summary>
    public async Task<T> SharedAsync<T>(string name, Func<Task<T>> create) where T : class =>
        (T)await shared.GetOrAdd(name, _ => new Lazy<Task<object>>(async () => await create())).Value;

    public async Task DisposeAsync()
    {
        foreach (var value in shared.Values)
            if (await value.Value is IAsyncDisposable disposable) await disposable.DisposeAsync();
        await Server.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary>The test classes that share <see cref="PostgresFixture"/>'s server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
