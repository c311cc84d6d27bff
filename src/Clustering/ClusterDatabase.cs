using Npgsql;
using Orchestrator.Database;

namespace Orchestrator.Clustering;

/// <summary>
/// The Orchestrator database as the membership table or the gateway list sees it: opened, and
/// migrated, on first use (Orleans' initialisation call), and owned by that table or list, which
/// disposes it, and with it the connection pool, when the service provider disposes them.
/// </summary>
/// <remarks>
/// Opening is deferred to the initialisation call rather than done in the constructor so that
/// an unreachable database fails Orleans' start-up with the database's error, where Orleans
/// reports it, instead of failing the service provider.
/// </remarks>
internal sealed class ClusterDatabase(string connectionString) : IAsyncDisposable
{
    private readonly SemaphoreSlim opening = new(1, 1);
    private OrchestratorDatabase? database;
    private bool disposed;

    /// <summary>The pool of the opened database.</summary>
    /// <exception cref="InvalidOperationException">Used before <see cref="OpenAsync"/> (Orleans initialises the table or the gateway list first) or after disposal.</exception>
    public NpgsqlDataSource DataSource =>
        database?.DataSource ?? throw new InvalidOperationException(
            "The cluster database is not open: it opens at the initialisation of the membership table or gateway list and closes when they are disposed.");

    /// <summary>Opens and migrates the database unless that was done already; safe to call concurrently.</summary>
    public async Task OpenAsync(CancellationToken ct)
    {
        await opening.WaitAsync(ct);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            database ??= await OrchestratorDatabase.OpenAsync(connectionString, ct);
        }
        finally
        {
            opening.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await opening.WaitAsync();
        try
        {
            if (disposed) return;
            disposed = true;
            if (database is not null) await database.DisposeAsync();
            database = null;
        }
        finally
        {
            opening.Release();
        }
    }
}
