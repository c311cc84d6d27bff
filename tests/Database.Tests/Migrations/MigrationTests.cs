using Dapper;
using Npgsql;
using Orchestrator.Database.Migrations;

namespace Orchestrator.Database.Tests.Migrations;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_new_database_gets_every_embedded_migration_once_and_reopening_applies_none()
    {
        var connectionString = await fixture.CreateDatabaseAsync();

        await using (var first = await OrchestratorDatabase.OpenAsync(connectionString))
        {
            Assert.Equal(Migration.Embedded.Select(m => m.Version), first.AppliedNow.Select(m => m.Version));
            Assert.Contains(first.AppliedNow, m => m.FileName == "0001_runs_and_results.sql");
        }
        await using var second = await OrchestratorDatabase.OpenAsync(connectionString);

        Assert.Empty(second.AppliedNow);
        await using var connection = await second.DataSource.OpenConnectionAsync();
        var recorded = (await connection.QueryAsync<(int Version, string Name, string Checksum)>("SELECT version, name, checksum FROM schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Migration.Embedded.Select(m => (m.Version, m.Name, m.Checksum)), recorded);
    }

    [Fact]
    public async Task Two_processes_opening_a_new_database_at_once_apply_each_migration_exactly_once()
    {
        var connectionString = await fixture.CreateDatabaseAsync();

        var opens = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => OrchestratorDatabase.OpenAsync(connectionString))));

        try
        {
            var applied = opens.SelectMany(o => o.AppliedNow.Select(m => m.Version)).ToList();
            Assert.Equal(Migration.Embedded.Select(m => m.Version), applied.Order());
            await using var connection = await opens[0].DataSource.OpenConnectionAsync();
            Assert.Equal(Migration.Embedded.Count, await connection.ExecuteScalarAsync<int>("SELECT count(*) FROM schema_migrations"));
        }
        finally
        {
            foreach (var open in opens) await open.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_applied_migration_whose_file_changed_is_refused_naming_the_file()
    {
        var connectionString = await fixture.CreateDatabaseAsync();
        await (await OrchestratorDatabase.OpenAsync(connectionString)).DisposeAsync();
        await using (var connection = new NpgsqlConnection(connectionString))
            await connection.ExecuteAsync("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 2");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => OrchestratorDatabase.OpenAsync(connectionString));

        Assert.Contains("0002_score_views.sql", error.Message);
        Assert.Contains("edited", error.Message);
    }
}
