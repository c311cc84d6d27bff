using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Npgsql;
using Orchestrator.Client.Cluster;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Xunit.Abstractions;
using static Orchestrator.Reliability.Tests.FaultReport;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// Faults of the network: delay and loss on every link between silos and on the client's gateway, and
/// a worker cut off from PostgreSQL for longer than its lease. Each silo advertises the port of a
/// <see cref="FaultyLink"/> and listens behind it (<c>Orchestrator:Silo:SiloListenPort</c>), so all
/// traffic to it crosses the link.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class NetworkFaultTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(50);
    private const double Loss = 0.05;

    [Fact]
    public async Task Delay_and_loss_on_every_link_between_silos_and_to_the_gateway_slow_calls_down_but_nobody_is_suspected_and_the_sweep_completes()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(1), lease: TimeSpan.FromSeconds(10));
        await using var coordinatorLink = Link(1);
        await using var gatewayLink = Link(2);
        await using var linkA = Link(3);
        await using var linkB = Link(4);
        FaultyLink[] links = [coordinatorLink, gatewayLink, linkA, linkB];
        foreach (var link in links) (link.Delay, link.Loss) = (Delay, Loss);

        // Silos join, and find each other, through the faulty links.
        var watch = Stopwatch.StartNew();
        var silos = await SiloProcess.StartAllAsync(
            () => cluster.StartAsync("coordinator", "coordinator", 0, Behind(coordinatorLink, gatewayLink), "--silo-port", $"{coordinatorLink.Port}", "--gateway-port", $"{gatewayLink.Port}"),
            () => cluster.StartAsync("worker", "worker-a", 2, Behind(linkA, settings: settings), "--silo-port", $"{linkA.Port}"),
            () => cluster.StartAsync("worker", "worker-b", 2, Behind(linkB, settings: settings), "--silo-port", $"{linkB.Port}"));
        var started = watch.Elapsed.TotalSeconds;

        await using var client = await ClusterConnection.OpenAsync(cluster.Database, 0, CancellationToken.None);
        var submitted = await client.Grains.GetGrain<ISweepRegistryGrain>(0).Submit(new SweepRequest("network-delay", fixture.Store.Directory, fixture.Store.Fingerprint, "{}", "name: network-delay\n",
            [1, 2, 3, 4, 5], Repeats: 4, Priority: 0, [new ConfigurationSpec("linear:T", "linear", "T"), new ConfigurationSpec("linear:F", "linear", "F")], []));
        Assert.Equal(40, submitted.Queued);
        var faulty = await StatusTimesAsync(client, submitted.SweepId, 10);

        // The same calls on clean links, for comparison.
        foreach (var link in links) (link.Delay, link.Loss) = (TimeSpan.Zero, 0);
        var clean = await StatusTimesAsync(client, submitted.SweepId, 10);
        foreach (var link in links) (link.Delay, link.Loss) = (Delay, Loss);

        await cluster.WaitForCompletionAsync(submitted.SweepId, TimeSpan.FromSeconds(120));
        var status = await client.Grains.GetGrain<ISweepGrain>(submitted.SweepId).GetStatus();
        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, submitted.SweepId);
        ledger.AssertExactlyOnce(40);
        Assert.Equal(40, ledger.Attempts);
        Assert.Equal((SweepState.Completed, 40), (status.State, status.Configurations.Sum(c => c.Succeeded)));

        // Orleans' probes went through the links too: nobody was declared dead, and every silo saw the others active.
        var members = await MembersAsync(cluster);
        Assert.Equal(3, members.Count(m => m.Status == "Active"));
        Assert.DoesNotContain(members, m => m.Status == "Dead");
        Assert.All(silos, s => Assert.False(s.HasExited, $"{s.Name} exited:\n{s.Tail(20)}"));
        var (segments, lost) = (links.Sum(l => l.Counts.Segments), links.Sum(l => l.Counts.Lost));
        Assert.True(lost > 0, "no segment was lost: the test showed nothing of loss");
        // Silos know one another only by the advertised ports, so every connection between them crosses a link
        // (one connection per pair may carry both ways: not every link need carry traffic, but some must).
        output.WriteLine($"segments (lost) per link: {string.Join(", ", links.Select(l => $"{l.Counts.Segments} ({l.Counts.Lost})"))}");
        Assert.True(new[] { coordinatorLink, linkA, linkB }.Sum(l => l.Counts.Segments) > 0, "no silo-to-silo traffic crossed the links");
        Assert.True(gatewayLink.Counts.Segments > 0, "the client reached the gateway another way");
        var suspicions = members.Sum(m => m.Suspicions);
        Add(new Row("network delay and loss between silos and to the gateway",
            $"every silo-to-silo link and the client gateway through a faulty link: {Delay.TotalMilliseconds:0} ms each way, {Loss:P0} of segments lost (each costs a 200 ms retransmission timeout, doubled in a row); {lost} of {segments} segments lost; coordinator and 2 workers, no-op runs of 1 s",
            40, ledger, $"nothing to recover: silos joined in {S(started)} through the links; `sweep status` calls took {Ms(faulty)} (median, max) against {Ms(clean)} on clean links; no silo suspected ({suspicions} suspicion votes) or declared dead"));
        Assert.Equal(0, suspicions);
    }

    [Fact]
    public async Task A_worker_cut_off_from_PostgreSQL_longer_than_its_lease_loses_its_runs_to_another_worker_and_its_late_results_are_not_recorded_twice()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        var lease = TimeSpan.FromSeconds(4);
        var cut = TimeSpan.FromSeconds(20);
        var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(2), lease);
        await using var databaseLink = FaultyLink.To(new UnixDomainSocketEndPoint(Path.Combine(fixture.Server.SocketDirectory, $".s.PGSQL.{fixture.Server.Port}")), seed: 5);
        // worker-a reaches PostgreSQL only through the link (TCP to the link, the server's socket behind it).
        var throughLink = new NpgsqlConnectionStringBuilder(cluster.Database) { Host = "127.0.0.1", Port = databaseLink.Port }.ConnectionString;
        var cutOff = await cluster.StartOnAsync(throughLink, "worker", "worker-a", 2, settings);
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("database-cut", fixture.Store, ["linear:T", "linear:F"], folds: [1, 2, 3, 4, 5]));
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)).Count(r => r.Worker == "worker-a" && r.State == RunStates.Running) == 2,
            "worker-a runs two runs", TimeSpan.FromSeconds(30));
        var healthy = await cluster.Worker("worker-b", 2, settings)();

        databaseLink.Cut = true;
        var cutAt = await cluster.NowAsync();
        var stranded = (await cluster.Queue.RunsAsync(sweep.SweepId)).Where(r => r.Worker == "worker-a" && r.State is RunStates.Leased or RunStates.Running).Select(r => r.Id).ToHashSet();
        await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)).Where(r => stranded.Contains(r.Id)).All(r => r.Worker == "worker-b"),
            "worker-b takes over worker-a's runs", cut);
        var takenOver = (await cluster.NowAsync() - cutAt).TotalSeconds;
        var remaining = cut - TimeSpan.FromSeconds(takenOver);
        if (remaining > TimeSpan.Zero) await Task.Delay(remaining);
        databaseLink.Cut = false;
        var healedAt = await cluster.NowAsync();

        await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(90));
        var completed = (await cluster.Queue.GetSweepAsync(sweep.SweepId))!.FinishedAt!.Value;
        // worker-a holds results of runs it no longer leases: once the link is back it offers them, and must be refused or first.
        await cluster.WaitUntilAsync(async () =>
        {
            await using var connection = await cluster.Opened.DataSource.OpenConnectionAsync();
            return await connection.ExecuteScalarAsync<bool>("SELECT count(*) = 0 FROM runs WHERE worker = 'worker-a' AND state IN ('leased', 'running')");
        }, "worker-a, back, holds no run", TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3));      // what it might still write, after the sweep completed

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(10);
        Assert.NotEmpty(stranded);
        Assert.False(cutOff.HasExited, $"worker-a exited while cut off:\n{cutOff.Tail(20)}");
        Assert.False(healthy.HasExited);
        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        Assert.All(runs.Where(r => stranded.Contains(r.Id)), r => Assert.Equal(2, r.Attempts));
        // It did offer them: the queue answered that they were recorded already (RunWorker logs it so).
        var refused = cutOff.Log.Count(l => l.Contains("(already recorded)", StringComparison.Ordinal));
        Assert.True(refused > 0, $"worker-a offered no late result:\n{cutOff.Tail(20)}");
        Add(new Row("a worker cut off from PostgreSQL longer than its lease",
            $"worker-a's connections to the database stalled (a link that forwards nothing, connections left open) for {cut.TotalSeconds:0} s with {stranded.Count} runs in flight; worker-b alive; no-op runs of 2 s, lease {lease.TotalSeconds:0} s",
            10, ledger, $"its runs restarted on worker-b {S(takenOver)} after the cut; sweep completed {S((completed - cutAt).TotalSeconds)} after it; worker-a's {refused} late results, offered once the link was back ({S((healedAt - cutAt).TotalSeconds)} after the cut), were refused as recorded already; worker-a went on"));
    }

    private static FaultyLink Link(int seed) => FaultyLink.To(new IPEndPoint(IPAddress.Loopback, FreePort.Next()), seed);

    /// <summary>Settings for a silo that listens where <paramref name="silo"/> (and <paramref name="gateway"/>) forward to, and advertises the links' ports.</summary>
    private static Dictionary<string, string> Behind(FaultyLink silo, FaultyLink? gateway = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var behind = new Dictionary<string, string>(settings ?? new Dictionary<string, string>())
        {
            ["Orchestrator__Silo__SiloListenPort"] = $"{silo.TargetPort}",
        };
        if (gateway is not null) behind["Orchestrator__Silo__GatewayListenPort"] = $"{gateway.TargetPort}";
        return behind;
    }

    /// <summary>Wall times of <paramref name="count"/> <c>GetStatus</c> calls from the client, in ms.</summary>
    private static async Task<double[]> StatusTimesAsync(ClusterConnection client, long sweepId, int count)
    {
        var times = new double[count];
        for (var i = 0; i < count; i++)
        {
            var watch = Stopwatch.StartNew();
            await client.Grains.GetGrain<ISweepGrain>(sweepId).GetStatus();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        return times;
    }

    private static string Ms(double[] times)
    {
        var sorted = times.Order().ToArray();
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{sorted[sorted.Length / 2]:0} ms, {sorted[^1]:0} ms");
    }

    private sealed record Member(string Name, string Status, int Suspicions);

    private static async Task<IReadOnlyList<Member>> MembersAsync(TestCluster cluster)
    {
        await using var connection = await cluster.Opened.DataSource.OpenConnectionAsync();
        return (await connection.QueryAsync<Member>("SELECT silo_name AS Name, status AS Status, jsonb_array_length(suspect_times) AS Suspicions FROM cluster_members")).ToList();
    }
}
