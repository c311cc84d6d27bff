using Npgsql;

namespace Orchestrator.Database;

/// <summary>
/// Runs a unit of work in one transaction on a pooled connection, again from the start when
/// PostgreSQL aborted it to break a deadlock (two transactions locking runs and sweeps in opposite
/// orders: a completion and a pause of the same sweep, say). Nothing of an aborted try remains,
/// so running it again is safe.
/// </summary>
internal static class Transactions
{
    private const int MaxTries = 5;

    public static async Task<T> RunAsync<T>(NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            try
            {
                var result = await work(connection, transaction);
                await transaction.CommitAsync(ct);
                return result;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < MaxTries)
            {
                // Rolled back when the transaction is disposed; try again.
            }
        }
    }
}
