using Npgsql;
using Orchestrator.Database.Migrations;

namespace Orchestrator.Database;

/// <summary>
/// The Orchestrator's PostgreSQL database, opened: a connection pool whose schema is up to date
/// with this build's migrations. Open it once per process and share it; disposing it closes the pool.
/// </summary>
public sealed class OrchestratorDatabase : IAsyncDisposable
{
    private OrchestratorDatabase(NpgsqlDataSource dataSource, IReadOnlyList<Migration> appliedNow)
    {
        DataSource = dataSource;
        AppliedNow = appliedNow;
    }

    /// <summary>The connection pool.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The migrations this open applied; empty when another process, or an earlier open, had applied them all.</summary>
    public IReadOnlyList<Migration> AppliedNow { get; }

    /// <summary>Connects to <paramref name="connectionString"/> and applies the pending migrations (<see cref="Migration.Embedded"/>).</summary>
    /// <exception cref="InvalidOperationException">A migration failed or an applied one has changed; the message names its file.</exception>
    /// <exception cref="ArgumentException">The connection string is malformed.</exception>
    /// <exception cref="DatabaseConnectionException">The server cannot be reached or refuses the login; the message names server, database and user.</exception>
    public static async Task<OrchestratorDatabase> OpenAsync(string connectionString, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = NpgsqlDataSource.Create(WithPreparedStatements(connectionString));
        }
        catch (ArgumentException e)
        {
            // Npgsql's "Couldn't set hots" does not say which string; the string itself may hold a password, so it is not repeated.
            throw new ArgumentException($"The database connection string is malformed ({e.Message}); expected key=value pairs such as Host=HOST;Database=NAME;Username=USER (--database or ORCHESTRATOR_DATABASE).", e);
        }
        try
        {
            // Connect once before migrating: a server that is not there or refuses the login is told
            // apart from a failing migration, and nothing has been written when it is refused.
            try
            {
                await using var probe = await dataSource.OpenConnectionAsync(ct);
            }
            catch (NpgsqlException error)
            {
                throw DatabaseConnectionException.For(connectionString, error);
            }
            var applied = await MigrationRunner.ApplyAsync(dataSource, Migration.Embedded, ct);
            return new OrchestratorDatabase(dataSource, applied);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Npgsql prepares the statements a connection runs again and again (the run queue's few, thousands of
    /// times a minute), so PostgreSQL parses and plans each once per connection instead of on every call.
    /// A connection string that sets <c>Max Auto Prepare</c> itself keeps its value.
    /// </summary>
    private static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
