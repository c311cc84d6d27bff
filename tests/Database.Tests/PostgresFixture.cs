using Npgsql;

namespace Orchestrator.Database.Tests;

/// <summary>
/// One private PostgreSQL server for the whole test run (initdb and start cost seconds); each
/// test class takes a database of its own from it, so classes never see each other's rows.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("orchestrator-db-tests-").FullName;

    public EmbeddedPostgres Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await EmbeddedPostgres.StartAsync(directory);

    /// <summary>A new, empty database <c>test_&lt;guid&gt;</c>; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return Server.ConnectionStringFor(name);
    }

    public async Task DisposeAsync()
    {
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
