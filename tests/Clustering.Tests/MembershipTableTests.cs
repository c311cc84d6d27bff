using System.Net;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Orchestrator.Clustering.Tests;

/// <summary>The <see cref="IMembershipTable"/> contract of <see cref="PostgresMembershipTable"/>, against a real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MembershipTableTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly DateTime Now = Microseconds(DateTime.UtcNow);
    private readonly string _clusterId = $"cluster-{Guid.NewGuid():N}";
    private readonly List<PostgresMembershipTable> _tables = [];

    private string _connectionString = "";

    public async Task InitializeAsync() => _connectionString = await postgres.DatabaseForAsync<MembershipTableTests>();

    public async Task DisposeAsync()
    {
        foreach (var table in _tables) await table.DisposeAsync();
    }

    [Fact]
    public async Task Initialising_creates_the_version_row_at_0_and_a_second_initialisation_keeps_it()
    {
        var table = await TableAsync();
        Assert.Equal((new TableVersion(0, "0"), 0), ((await table.ReadAll()).Version, (await table.ReadAll()).Members.Count));
        Assert.True(await table.InsertRow(Entry(11111), (await table.ReadAll()).Version.Next()));

        await (await TableAsync()).InitializeMembershipTable(tryInitTableVersion: true);

        var data = await table.ReadAll();
        Assert.Equal(new TableVersion(1, "1"), data.Version);
        Assert.Single(data.Members);
    }

    [Fact]
    public async Task An_insert_with_the_version_read_adds_the_entry_and_moves_the_version()
    {
        var table = await TableAsync();
        var entry = Entry(11111, SiloStatus.Joining);
        entry.AddSuspector(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 22222), 7), Now.AddSeconds(-3));

        var inserted = await table.InsertRow(entry, (await table.ReadAll()).Version.Next());

        Assert.True(inserted);
        var data = await table.ReadAll();
        Assert.Equal(new TableVersion(1, "1"), data.Version);
        var (read, etag) = Assert.Single(data.Members);
        AssertSameEntry(entry, read);
        Assert.False(string.IsNullOrEmpty(etag));
    }

    [Fact]
    public async Task An_insert_with_a_stale_version_fails_and_changes_nothing()
    {
        var table = await TableAsync();
        var stale = (await table.ReadAll()).Version.Next();
        Assert.True(await table.InsertRow(Entry(11111), stale));

        var inserted = await table.InsertRow(Entry(11112), stale);

        Assert.False(inserted);
        var data = await table.ReadAll();
        Assert.Equal(1, data.Version.Version);
        Assert.Equal([11111], data.Members.Select(m => m.Item1.SiloAddress.Endpoint.Port));
    }

    [Fact]
    public async Task Inserting_a_silo_that_has_a_row_fails_and_leaves_the_version()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRow(Entry(11111), (await table.ReadAll()).Version.Next()));

        var inserted = await table.InsertRow(Entry(11111, SiloStatus.Active), (await table.ReadAll()).Version.Next());

        Assert.False(inserted);
        var data = await table.ReadAll();
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(SiloStatus.Joining, Assert.Single(data.Members).Item1.Status);
    }

    [Fact]
    public async Task Of_concurrent_inserts_with_the_same_version_exactly_one_wins()
    {
        // One table (one connection pool) per contender, as each silo has its own.
        var tables = new List<PostgresMembershipTable>();
        for (var i = 0; i < 8; i++) tables.Add(await TableAsync());
        var version = (await tables[0].ReadAll()).Version.Next();

        var results = await Task.WhenAll(tables.Select((table, i) => Task.Run(() => table.InsertRow(Entry(12000 + i), version))));

        Assert.Single(results, inserted => inserted);
        var data = await tables[0].ReadAll();
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(12000 + Array.IndexOf(results, true), Assert.Single(data.Members).Item1.SiloAddress.Endpoint.Port);
    }

    [Fact]
    public async Task An_update_with_the_etag_and_version_read_replaces_the_entry_and_renews_its_etag()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRow(Entry(11111), (await table.ReadAll()).Version.Next()));
        var before = await table.ReadRow(Entry(11111).SiloAddress);
        var (entry, etag) = Assert.Single(before.Members);
        entry.Status = SiloStatus.Active;
        entry.AddSuspector(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 22222), 7), Now);

        var updated = await table.UpdateRow(entry, etag, before.Version.Next());

        Assert.True(updated);
        var after = await table.ReadAll();
        Assert.Equal(2, after.Version.Version);
        var (read, newEtag) = Assert.Single(after.Members);
        AssertSameEntry(entry, read);
        Assert.NotEqual(etag, newEtag);
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_fails_and_changes_nothing()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRow(Entry(11111), (await table.ReadAll()).Version.Next()));
        var first = await table.ReadAll();
        var (entry, staleEtag) = Assert.Single(first.Members);
        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRow(entry, staleEtag, first.Version.Next()));
        var current = await table.ReadAll();
        entry.Status = SiloStatus.Dead;

        var updated = await table.UpdateRow(entry, staleEtag, current.Version.Next());

        Assert.False(updated);
        var after = await table.ReadAll();
        Assert.Equal(current.Version, after.Version);
        Assert.Equal(SiloStatus.Active, Assert.Single(after.Members).Item1.Status);
    }

    [Fact]
    public async Task An_update_with_a_stale_version_fails_and_changes_nothing()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRow(Entry(11111), (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();
        var (entry, etag) = read.Members.Single();
        Assert.True(await table.InsertRow(Entry(11112), read.Version.Next()));
        entry.Status = SiloStatus.Active;

        var updated = await table.UpdateRow(entry, etag, read.Version.Next());

        Assert.False(updated);
        var after = await table.ReadRow(entry.SiloAddress);
        Assert.Equal(2, after.Version.Version);
        Assert.Equal((SiloStatus.Joining, etag), (after.Members.Single().Item1.Status, after.Members.Single().Item2));
    }

    [Fact]
    public async Task An_update_of_a_silo_without_a_row_fails_and_leaves_the_version()
    {
        var table = await TableAsync();
        var version = (await table.ReadAll()).Version;

        var updated = await table.UpdateRow(Entry(11111, SiloStatus.Active), Guid.NewGuid().ToString(), version.Next());

        Assert.False(updated);
        Assert.Equal(version, (await table.ReadAll()).Version);
    }

    [Fact]
    public async Task A_heartbeat_writes_only_the_i_am_alive_time_and_spoils_no_pending_update()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRow(Entry(11111), (await table.ReadAll()).Version.Next()));
        var read = await table.ReadAll();
        var (entry, etag) = read.Members.Single();
        var beat = Entry(11111, SiloStatus.Dead, alive: Now.AddMinutes(1));   // only the time may be taken from it

        await table.UpdateIAmAlive(beat);

        var after = await table.ReadAll();
        Assert.Equal(read.Version, after.Version);
        var (beaten, etagAfter) = after.Members.Single();
        Assert.Equal((Now.AddMinutes(1), SiloStatus.Joining, etag), (beaten.IAmAliveTime, beaten.Status, etagAfter));
        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRow(entry, etag, read.Version.Next()));
    }

    [Fact]
    public async Task A_heartbeat_of_a_silo_without_a_row_is_an_error_naming_it()
    {
        var table = await TableAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => table.UpdateIAmAlive(Entry(11111)));

        Assert.Contains(Entry(11111).SiloAddress.ToString(), error.Message);
    }

    [Fact]
    public async Task Cleanup_deletes_the_entries_not_active_and_last_updated_before_the_date()
    {
        var table = await TableAsync();
        var old = Now.AddHours(-2);
        var cutoff = Now.AddHours(-1);
        var recentlySuspected = Entry(11115, SiloStatus.Dead, alive: old);
        recentlySuspected.AddSuspector(Entry(11111).SiloAddress, Now);
        MembershipEntry[] entries =
        [
            Entry(11111, SiloStatus.Active, alive: old),   // kept: active, however stale
            Entry(11112, SiloStatus.Dead, alive: old),     // deleted
            Entry(11113, SiloStatus.Joining, alive: old),  // deleted: never became active
            Entry(11114, SiloStatus.Dead, alive: Now),     // kept: beat after the cut-off
            recentlySuspected,                             // kept: declared dead after the cut-off
        ];
        foreach (var entry in entries)
        {
            entry.StartTime = old;
            Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        }
        var other = await TableAsync($"cluster-{Guid.NewGuid():N}");
        Assert.True(await other.InsertRow(Entry(11112, SiloStatus.Dead, alive: old), (await other.ReadAll()).Version.Next()));

        await table.CleanupDefunctSiloEntries(cutoff);

        var after = await table.ReadAll();
        Assert.Equal(entries.Length, after.Version.Version);
        Assert.Equal([11111, 11114, 11115], after.Members.Select(m => m.Item1.SiloAddress.Endpoint.Port).Order());
        Assert.Single((await other.ReadAll()).Members);   // another cluster's entries are its own silos' business
    }

    [Fact]
    public async Task Read_all_returns_the_version_and_every_entry_of_the_cluster_and_read_row_one()
    {
        var table = await TableAsync();
        MembershipEntry[] entries = [Entry(11111, SiloStatus.Active), Entry(11111, SiloStatus.Dead, generation: 2), Entry(11112, SiloStatus.ShuttingDown)];
        foreach (var entry in entries) Assert.True(await table.InsertRow(entry, (await table.ReadAll()).Version.Next()));
        var other = await TableAsync($"cluster-{Guid.NewGuid():N}");
        Assert.True(await other.InsertRow(Entry(11113), (await other.ReadAll()).Version.Next()));

        var all = await table.ReadAll();
        var row = await table.ReadRow(entries[1].SiloAddress);
        var missing = await table.ReadRow(Entry(11119).SiloAddress);

        Assert.Equal(new TableVersion(3, "3"), all.Version);
        Assert.Equal(3, all.Members.Count);
        foreach (var entry in entries) AssertSameEntry(entry, all.TryGet(entry.SiloAddress)!.Item1);
        Assert.Equal(all.Version, row.Version);
        Assert.Equal(all.TryGet(entries[1].SiloAddress)!.Item2, Assert.Single(row.Members).Item2);
        Assert.Equal(all.Version, missing.Version);
        Assert.Empty(missing.Members);
    }

    [Fact]
    public async Task Deleting_the_cluster_removes_its_version_and_entries_only()
    {
        var table = await TableAsync();
        Assert.True(await table.InsertRow(Entry(11111), (await table.ReadAll()).Version.Next()));
        var other = await TableAsync($"cluster-{Guid.NewGuid():N}");
        Assert.True(await other.InsertRow(Entry(11111), (await other.ReadAll()).Version.Next()));

        await table.DeleteMembershipTableEntries(_clusterId);

        var after = await table.ReadAll();
        Assert.Equal((0, 0), (after.Version.Version, after.Members.Count));
        Assert.False(await table.InsertRow(Entry(11112), after.Version.Next()));   // writes wait for a silo to initialise the cluster again
        Assert.Single((await other.ReadAll()).Members);
    }

    private async Task<PostgresMembershipTable> TableAsync(string? clusterId = null)
    {
        var table = new PostgresMembershipTable(
            Options.Create(new PostgresClusteringOptions { ConnectionString = _connectionString }),
            Options.Create(new ClusterOptions { ClusterId = clusterId ?? _clusterId }));
        _tables.Add(table);
        await table.InitializeMembershipTable(tryInitTableVersion: true);
        return table;
    }

    private static MembershipEntry Entry(int port, SiloStatus status = SiloStatus.Joining, int generation = 1, DateTime? alive = null) => new()
    {
        SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), generation),
        Status = status,
        ProxyPort = port + 1000,
        HostName = "test-host",
        SiloName = $"silo-{port}-{generation}",
        StartTime = Now.AddMinutes(-5),
        IAmAliveTime = alive ?? Now,
    };

    private static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(
            (expected.Status, expected.ProxyPort, expected.HostName, expected.SiloName, expected.StartTime, expected.IAmAliveTime),
            (actual.Status, actual.ProxyPort, actual.HostName, actual.SiloName, actual.StartTime, actual.IAmAliveTime));
        Assert.Equal(DateTimeKind.Utc, actual.IAmAliveTime.Kind);
        Assert.Equal(expected.SuspectTimes ?? [], actual.SuspectTimes ?? []);
    }

    /// <summary>A time as <c>timestamptz</c> keeps it: to the microsecond.</summary>
    private static DateTime Microseconds(DateTime time) => new(time.Ticks - time.Ticks % 10, DateTimeKind.Utc);
}
