using Dapper;
using Npgsql;

namespace Orchestrator.Database.Tests.Security;

/// <summary>The silos' least-privilege role (SiloDatabaseRole, docs/security.md) against a real server. A database per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SiloRoleTests(PostgresFixture fixture)
{
    [Fact]
    public async Task The_silo_role_opens_an_up_to_date_database_without_ddl_and_is_refused_a_pending_migration()
    {
        await using var owner = await fixture.OpenDatabaseAsync();
        var role = $"silo_{Guid.NewGuid():N}"[..24];
        await SiloDatabaseRole.GrantAsync(owner.DataSource, role, password: null);
        var silo = new NpgsqlConnectionStringBuilder(owner.DataSource.ConnectionString) { Username = role, Pooling = false }.ConnectionString;

        await using (var opened = await OrchestratorDatabase.OpenAsync(silo))
        {
            Assert.Empty(opened.AppliedNow);
            var queue = new RunQueue(opened.DataSource);
            var sweep = await queue.SubmitSweepAsync(TestRuns.Sweep("as-silo", "store", ["linear:T"], folds: 1));
            Assert.Equal(1, sweep.RunsNew);
        }
        // A migration this build has and the database lacks: only the owner may apply it.
        await using (var connection = await owner.DataSource.OpenConnectionAsync())
            await connection.ExecuteAsync("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => OrchestratorDatabase.OpenAsync(silo));
        Assert.Contains("permission denied", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("silo\"; DROP TABLE runs; --")]
    [InlineData("Silo")]
    [InlineData("silo role")]
    [InlineData("ρόλος")]
    public async Task A_role_name_that_is_not_a_plain_identifier_is_refused_before_any_sql(string name)
    {
        await using var owner = await fixture.OpenDatabaseAsync();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => SiloDatabaseRole.GrantAsync(owner.DataSource, name, "secret"));

        Assert.Contains("lower-case identifier", refused.Message, StringComparison.Ordinal);
        await using var connection = await owner.DataSource.OpenConnectionAsync();
        Assert.Equal("runs", await connection.ExecuteScalarAsync<string>("SELECT to_regclass('runs')::text"));
    }

    [Fact]
    public void A_scram_verifier_has_postgresql_s_stored_form_and_a_fresh_salt()
    {
        var first = SiloDatabaseRole.ScramSha256Verifier("correct horse");
        var second = SiloDatabaseRole.ScramSha256Verifier("correct horse");

        Assert.Matches(@"^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$", first);
        Assert.NotEqual(first, second);
        Assert.DoesNotContain("correct horse", first, StringComparison.Ordinal);
    }
}
