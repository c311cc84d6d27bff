using System.Collections.Concurrent;
using Npgsql;
using Orchestrator.Database;

namespace Orchestrator.Clustering.Tests;

/// <summary>
/// One private PostgreSQL server for the whole test run (initdb and start cost seconds); each
/// test class takes a fresh database of its own from it, and its tests keep apart by cluster id.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orchestrator-clustering-tests-").FullName;
    private readonly ConcurrentDictionary<Type, Lazy<Task<string>>> _databases = new();
    private EmbeddedPostgres? _server;

    private EmbeddedPostgres Server => _server ?? throw new InvalidOperationException("The server is not started.");

    public async Task InitializeAsync() => _server = await EmbeddedPostgres.StartAsync(_directory);

    /// <summary>The connection string of <typeparamref name="TTestClass"/>'s database, created empty on its first request.</summary>
    public Task<string> DatabaseForAsync<TTestClass>() =>
        _databases.GetOrAdd(typeof(TTestClass), _ => new Lazy<Task<string>>(CreateDatabaseAsync)).Value;

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task<string> CreateDatabaseAsync()
    {
        var name = $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await create.ExecuteNonQueryAsync();
        return Server.ConnectionStringFor(name);
    }
}

/// <summary>The test classes that share <see cref="PostgresFixture"/>'s server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
