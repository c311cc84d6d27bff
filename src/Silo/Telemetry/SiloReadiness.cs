using Microsoft.Extensions.Hosting;
using Npgsql;
using Orchestrator.Database;
using Orleans.Runtime;

namespace Orchestrator.Silo.Telemetry;

/// <summary>
/// Whether a silo should get traffic (<c>/readyz</c>): Active in the cluster's membership, its database
/// answering, its run worker (if it has one) started, and no stop begun. Liveness (<c>/healthz</c>)
/// asks none of this: an outage of PostgreSQL must not restart every silo.
/// </summary>
public sealed class SiloReadiness(ISiloStatusOracle membership, OrchestratorDatabase database, IHostApplicationLifetime lifetime, TimeProvider clock)
{
    private static readonly TimeSpan DatabaseTimeout = TimeSpan.FromSeconds(2);

    /// <summary>How long a database check's answer is reused: probes of several kinds must not each open a connection.</summary>
    private static readonly TimeSpan DatabaseCacheFor = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _checking = new(1, 1);
    private (DateTimeOffset At, string? Problem) _database = (DateTimeOffset.MinValue, null);
    private volatile bool _workerExpected;
    private volatile bool _workerStarted;

    /// <summary>Called by a worker silo's run worker: readiness waits for <see cref="WorkerStarted"/>.</summary>
    public void ExpectWorker() => _workerExpected = true;

    /// <summary>Called once the run worker leases.</summary>
    public void WorkerStarted() => _workerStarted = true;

    /// <summary>Whether the silo has joined the cluster (Active in the membership): before that, grain calls fail placement.</summary>
    public bool SiloActive => membership.CurrentStatus == SiloStatus.Active;

    /// <summary>Null when ready, else why not.</summary>
    public async Task<string?> ProblemAsync(CancellationToken cancellation)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested) return "stopping";
        if (membership.CurrentStatus != SiloStatus.Active) return $"silo is {membership.CurrentStatus} in the membership, not Active";
        if (_workerExpected && !_workerStarted) return "the run worker has not started";
        return await DatabaseProblemAsync(cancellation);
    }

    private async Task<string?> DatabaseProblemAsync(CancellationToken cancellation)
    {
        await _checking.WaitAsync(cancellation);
        try
        {
            if (clock.GetUtcNow() - _database.At < DatabaseCacheFor) return _database.Problem;
            string? problem = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                timeout.CancelAfter(DatabaseTimeout);
                await using var command = database.DataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(timeout.Token);
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException && !cancellation.IsCancellationRequested)
            {
                problem = $"database unreachable: {e.Message}";
            }
            _database = (clock.GetUtcNow(), problem);
            return problem;
        }
        finally
        {
            _checking.Release();
        }
    }
}
