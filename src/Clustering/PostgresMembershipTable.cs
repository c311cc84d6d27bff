using Microsoft.Extensions.Options;
using Npgsql;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orchestrator.Clustering;

/// <summary>
/// Orleans' membership table in PostgreSQL (migration <c>0100_cluster_membership.sql</c>): the
/// silos of the cluster <see cref="ClusterOptions.ClusterId"/>, their status and suspicions, and the
/// cluster's table version.
/// </summary>
/// <remarks>
/// <para>
/// The membership protocol is optimistic. A silo reads the table with its version, decides a
/// change, and writes it with the next version: the write must fail, leaving nothing changed,
/// when another silo wrote in between, and the silo then rereads and decides again. Here each
/// write is one transaction that first moves <c>cluster_membership_versions.version</c> from the
/// version read to the new one, which fails when it has moved and otherwise holds the version
/// row's lock, so concurrent writers of a cluster take turns; then it inserts or updates the row,
/// whose own etag (a uuid renewed by every update) must still be the one read.
/// </para>
/// <para>
/// The table version's etag is its number as text. Heartbeats (<see cref="UpdateIAmAlive"/>) write
/// the silo's <c>i_am_alive_time</c> alone, moving neither the version nor the etag, so that a
/// silo's heartbeat never spoils another silo's pending update. Times are stored to the
/// microsecond.
/// </para>
/// </remarks>
public sealed class PostgresMembershipTable(IOptions<PostgresClusteringOptions> options, IOptions<ClusterOptions> clusterOptions)
    : IMembershipTable, IAsyncDisposable
{
    private readonly ClusterDatabase database = new(options.Value.ConnectionString);
    private readonly string clusterId = clusterOptions.Value.ClusterId;

    public Task InitializeMembershipTable(bool tryInitTableVersion) =>
        InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    /// <summary>Opens (and migrates) the database and, when asked, creates the cluster's version row at version 0 unless it exists.</summary>
    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        await database.OpenAsync(cancellationToken);
        if (!tryInitTableVersion) return;
        await using var command = database.DataSource.CreateCommand(
            "INSERT INTO cluster_membership_versions (cluster_id) VALUES (@cluster_id) ON CONFLICT (cluster_id) DO NOTHING");
        command.Parameters.AddWithValue("cluster_id", clusterId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task DeleteMembershipTableEntries(string clusterId) =>
        DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    /// <summary>Deletes the cluster's version row and, by its foreign key, every silo row of it.</summary>
    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand("DELETE FROM cluster_membership_versions WHERE cluster_id = @cluster_id");
        command.Parameters.AddWithValue("cluster_id", clusterId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) =>
        CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    /// <summary>
    /// Deletes the rows of silos that are not active and were last updated before
    /// <paramref name="beforeDate"/>: the latest of their start, their last heartbeat and the
    /// latest vote against them (a silo declared dead recently stays visible however long ago it
    /// last beat). As in Orleans' own tables, the version does not move: no live silo's view of the
    /// cluster changes.
    /// </summary>
    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            DELETE FROM cluster_members m
            WHERE m.cluster_id = @cluster_id
              AND m.status <> @active
              AND GREATEST(
                    m.start_time,
                    m.i_am_alive_time,
                    (SELECT max((vote ->> 'time')::timestamptz) FROM jsonb_array_elements(m.suspect_times) vote)
                  ) < @before
            """);
        command.Parameters.AddWithValue("cluster_id", clusterId);
        command.Parameters.AddWithValue("active", nameof(SiloStatus.Active));
        command.Parameters.AddWithValue("before", beforeDate.UtcDateTime);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    /// <summary>The table version and the silo's row with its etag (no row when the silo is unknown), read in one statement.</summary>
    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"""
            SELECT v.version, {MembershipRow.Columns}
            FROM cluster_membership_versions v
            LEFT JOIN cluster_members m
              ON m.cluster_id = v.cluster_id AND m.address = @address AND m.port = @port AND m.generation = @generation
            WHERE v.cluster_id = @cluster_id
            """);
        command.Parameters.AddWithValue("cluster_id", clusterId);
        MembershipRow.AddKey(command, key);
        return await ReadTableAsync(command, cancellationToken);
    }

    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    /// <summary>The table version and every silo row of the cluster with its etag, read in one statement (one snapshot).</summary>
    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var command = database.DataSource.CreateCommand(
            $"""
            SELECT v.version, {MembershipRow.Columns}
            FROM cluster_membership_versions v
            LEFT JOIN cluster_members m ON m.cluster_id = v.cluster_id
            WHERE v.cluster_id = @cluster_id
            """);
        command.Parameters.AddWithValue("cluster_id", clusterId);
        return await ReadTableAsync(command, cancellationToken);
    }

    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) =>
        InsertRowAsync(entry, tableVersion, CancellationToken.None);

    /// <summary>Adds the silo's row and moves the version to <paramref name="tableVersion"/>; false, with nothing changed, when the version moved since it was read or the silo has a row already.</summary>
    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        return await WriteWithVersionAsync(tableVersion, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO cluster_members
                    (cluster_id, address, port, generation, silo_name, host_name, status, proxy_port, suspect_times, start_time, i_am_alive_time)
                VALUES
                    (@cluster_id, @address, @port, @generation, @silo_name, @host_name, @status, @proxy_port, @suspect_times, @start_time, @i_am_alive_time)
                ON CONFLICT (cluster_id, address, port, generation) DO NOTHING
                """, connection, transaction);
            command.Parameters.AddWithValue("cluster_id", clusterId);
            MembershipRow.AddEntry(command, entry);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
    }

    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) =>
        UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    /// <summary>Replaces the silo's row, renews its etag and moves the version to <paramref name="tableVersion"/>; false, with nothing changed, when the version or the row's etag moved since they were read, or the silo has no row.</summary>
    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(etag);
        ArgumentNullException.ThrowIfNull(tableVersion);
        return await WriteWithVersionAsync(tableVersion, async (connection, transaction) =>
        {
            await using var command = new NpgsqlCommand(
                """
                UPDATE cluster_members
                SET silo_name = @silo_name, host_name = @host_name, status = @status, proxy_port = @proxy_port,
                    suspect_times = @suspect_times, start_time = @start_time, i_am_alive_time = @i_am_alive_time,
                    etag = gen_random_uuid()
                WHERE cluster_id = @cluster_id AND address = @address AND port = @port AND generation = @generation
                  AND etag::text = @etag
                """, connection, transaction);
            command.Parameters.AddWithValue("cluster_id", clusterId);
            command.Parameters.AddWithValue("etag", etag);
            MembershipRow.AddEntry(command, entry);
            return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
    }

    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    /// <summary>Writes the silo's heartbeat time alone: no version check, the version and the row's etag stay.</summary>
    /// <exception cref="InvalidOperationException">The silo has no row (it was never inserted, or deleted since).</exception>
    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var command = database.DataSource.CreateCommand(
            """
            UPDATE cluster_members SET i_am_alive_time = @i_am_alive_time
            WHERE cluster_id = @cluster_id AND address = @address AND port = @port AND generation = @generation
            """);
        command.Parameters.AddWithValue("cluster_id", clusterId);
        command.Parameters.AddWithValue("i_am_alive_time", ClusterTime.ToUtc(entry.IAmAliveTime));
        MembershipRow.AddKey(command, entry.SiloAddress);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            throw new InvalidOperationException($"Silo {entry.SiloAddress} has no membership row in cluster '{clusterId}': its heartbeat has nothing to update.");
    }

    public ValueTask DisposeAsync() => database.DisposeAsync();

    /// <summary>
    /// Runs <paramref name="writeRow"/> in a transaction that first moves the cluster's version
    /// from the one <see cref="TableVersion.VersionEtag"/> names to <see cref="TableVersion.Version"/>;
    /// commits only when both succeed.
    /// </summary>
    private async Task<bool> WriteWithVersionAsync(
        TableVersion tableVersion, Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> writeRow, CancellationToken ct)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Under READ COMMITTED the update waits for a concurrent writer's lock on the version row
        // and then re-checks the version it committed: exactly one of two racing writers succeeds.
        await using var moveVersion = new NpgsqlCommand(
            """
            UPDATE cluster_membership_versions SET version = @version, updated_at = now()
            WHERE cluster_id = @cluster_id AND version::text = @version_etag
            """, connection, transaction);
        moveVersion.Parameters.AddWithValue("cluster_id", clusterId);
        moveVersion.Parameters.AddWithValue("version", tableVersion.Version);
        moveVersion.Parameters.AddWithValue("version_etag", tableVersion.VersionEtag);
        if (await moveVersion.ExecuteNonQueryAsync(ct) == 0 || !await writeRow(connection, transaction))
        {
            await transaction.RollbackAsync(ct);
            return false;
        }
        await transaction.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// The table from rows of (version, <see cref="MembershipRow.Columns"/>): one per silo, or a
    /// single row with null silo columns when there is none (the left join). A cluster without a
    /// version row, which no silo initialised, reads as empty at version 0.
    /// </summary>
    private static async Task<MembershipTableData> ReadTableAsync(NpgsqlCommand command, CancellationToken ct)
    {
        await using var reader = await command.ExecuteReaderAsync(ct);
        var version = 0;
        var members = new List<Tuple<MembershipEntry, string>>();
        while (await reader.ReadAsync(ct))
        {
            version = reader.GetInt32(0);
            if (!reader.IsDBNull(1)) members.Add(MembershipRow.Read(reader, first: 1));
        }
        return new MembershipTableData(members, VersionOf(version));
    }

    /// <summary>The table version of a stored number, whose etag is the number as text.</summary>
    private static TableVersion VersionOf(int version) =>
        new(version, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
