using Dapper;
using Npgsql;

namespace Orchestrator.Database.Migrations;

/// <summary>
/// Brings a database up to <see cref="Migration.Embedded"/>: each pending migration in its own
/// transaction, recorded in <c>schema_migrations</c> in that same transaction, so a migration is
/// applied whole or not at all.
/// </summary>
/// <remarks>
/// Every transaction first takes one transaction-scoped advisory lock, so silos starting at once
/// queue up: the first applies a migration, the others find it recorded when they get the lock
/// and skip it. An applied migration whose file changed since is an error, not silently skipped:
/// the database would no longer be what the files say.
/// A database that is already up to date is recognised by reading <c>schema_migrations</c> alone, with
/// no DDL and no lock: silos then connect as a role that may read and write rows but create nothing
/// (docs/security.md), and only the owner role that ran the migrations needs DDL rights.
/// </remarks>
internal static class MigrationRunner
{
    // Any constant shared by every starter; "orchestrator" in ASCII, for recognition in pg_locks.
    private const long LockKey = 0x6f72636865737472;

    private const string Prepare = """
        SELECT pg_advisory_xact_lock(@LockKey);
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        );
        """;

    /// <summary>Applies the pending migrations; returns those this call applied (none when the database was up to date).</summary>
    /// <exception cref="InvalidOperationException">An applied migration's file has changed (the message names the file), or a migration failed.</exception>
    public static async Task<IReadOnlyList<Migration>> ApplyAsync(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        var applied = new List<Migration>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await UpToDateAsync(connection, migrations, ct)) return applied;
        foreach (var migration in migrations)
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await connection.ExecuteAsync(new CommandDefinition(Prepare, new { LockKey }, transaction, cancellationToken: ct));
            var recorded = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT checksum FROM schema_migrations WHERE version = @Version", new { migration.Version }, transaction, cancellationToken: ct));
            if (recorded is not null)
            {
                if (recorded != migration.Checksum)
                    throw new InvalidOperationException(
                        $"Migration {migration.FileName} was applied to this database with checksum {recorded}, but the file now has {migration.Checksum}: applied migrations must never change; add a new migration instead.");
                continue;
            }
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: transaction, cancellationToken: ct));
            }
            catch (PostgresException e)
            {
                throw new InvalidOperationException($"Migration {migration.FileName} failed: {e.MessageText}{(e.Position > 0 ? $" (at character {e.Position})" : "")}.", e);
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES (@Version, @Name, @Checksum)",
                new { migration.Version, migration.Name, migration.Checksum }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            applied.Add(migration);
        }
        return applied;
    }

    /// <summary>
    /// Whether every migration is recorded with its checksum, read without DDL (<c>CREATE TABLE IF NOT
    /// EXISTS</c> needs the CREATE privilege even when the table exists). A changed checksum answers false,
    /// so that the locked pass reports it with the file's name.
    /// </summary>
    private static async Task<bool> UpToDateAsync(NpgsqlConnection connection, IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        if (await connection.ExecuteScalarAsync<string?>(new CommandDefinition("SELECT to_regclass('schema_migrations')::text", cancellationToken: ct)) is null)
            return false;
        var recorded = (await connection.QueryAsync<(int Version, string Checksum)>(new CommandDefinition(
            "SELECT version, checksum FROM schema_migrations", cancellationToken: ct))).ToDictionary(r => r.Version, r => r.Checksum);
        return migrations.All(m => recorded.TryGetValue(m.Version, out var checksum) && checksum == m.Checksum);
    }
}
