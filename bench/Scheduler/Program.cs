using System.Diagnostics;
using System.Globalization;
using Dapper;
using Orchestrator.Client.Cluster;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orchestrator.Scheduler.Bench;

// Usage: Scheduler.Bench [--runs 675,10000] [--rounds 3] [--workers 2] [--slots 32] [--poll 00:00:01]
// Starts a private PostgreSQL server (EmbeddedPostgres, in a temporary folder), one coordinator and
// --workers worker silos as processes of the built CLI with the no-op executor (a run trains nothing
// and returns a valid result at once), then, for each size and round, submits a sweep of that many new
// runs through the coordinator (configurations x 5 folds x 5 repeats, the paper grid's shape for 675)
// and waits for it to complete. Reports per sweep, from the database's own timestamps: the submit call,
// submit to first run started, runs dispatched (started) and recorded per second, and the bookkeeping
// time of the whole sweep (submitted to completed). Everything it started is stopped at the end.
var options = Options.Parse(args);
var cpus = Environment.ProcessorCount;
Console.WriteLine(FormattableString.Invariant($"Scheduler benchmark: {options.Workers} worker silo(s) x {options.Slots} slots, no-op runs, poll {options.Poll.TotalMilliseconds:0} ms, {cpus} cores, {string.Join(", ", options.Runs)} runs x {options.Rounds} round(s)"));

var folder = Directory.CreateTempSubdirectory("orchestrator-scheduler-bench-");
await using var server = await EmbeddedPostgres.StartAsync(folder.FullName);
var silos = new List<SiloProcess>();
var exitCode = 0;
try
{
    await using var database = await OrchestratorDatabase.OpenAsync(server.ConnectionString);
    var worker = new Dictionary<string, string>
    {
        ["Orchestrator__Worker__Executor"] = "noop",
        ["Orchestrator__Worker__Poll"] = options.Poll.ToString("c", CultureInfo.InvariantCulture),
    };
    var started = Stopwatch.StartNew();
    silos.AddRange(await Task.WhenAll(
        new[] { SiloProcess.StartAsync("coordinator", "coordinator", server.ConnectionString, 0, new Dictionary<string, string>()) }
            .Concat(Enumerable.Range(1, options.Workers).Select(w => SiloProcess.StartAsync("worker", $"worker-{w}", server.ConnectionString, options.Slots, worker)))));
    Console.WriteLine(FormattableString.Invariant($"cluster up in {started.Elapsed.TotalSeconds:0.0} s"));
    await using var client = await ClusterConnection.OpenAsync(server.ConnectionString, 0, CancellationToken.None);

    var cpuBefore = silos.ToDictionary(s => s.Name, s => s.Cpu);
    var postgresBefore = PostgresCpu.Read(server.DataDirectory);
    var wall = Stopwatch.StartNew();
    var total = 0;
    Console.WriteLine();
    Console.WriteLine("| runs | round | submit call (ms) | submit to first run (ms) | dispatched/s | recorded/s | bookkeeping (s) | retried |");
    Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var runs in options.Runs)
        for (var round = 1; round <= options.Rounds; round++)
        {
            var request = Request(runs, $"bench-{runs}-{round}-{Guid.NewGuid():N}");
            var submitting = Stopwatch.StartNew();
            var submitted = await client.Grains.GetGrain<ISweepRegistryGrain>(0).Submit(request);
            var submitMs = submitting.Elapsed.TotalMilliseconds;
            while ((await client.Queue.GetSweepAsync(submitted.SweepId))?.State != SweepStates.Completed)
            {
                if (submitting.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"Sweep {submitted.SweepId} of {runs} runs did not complete in 10 minutes.");
                await Task.Delay(50);
            }
            var stats = await SweepStats.ReadAsync(database, submitted.SweepId);
            if (stats.Succeeded != runs || stats.Results != runs)
                throw new InvalidOperationException($"Sweep {submitted.SweepId}: {stats.Succeeded} runs succeeded and {stats.Results} results recorded of {runs}.");
            Console.WriteLine(FormattableString.Invariant(
                $"| {runs} | {round} | {submitMs:0} | {stats.FirstRun.TotalMilliseconds:0} | {runs / stats.LastStart.TotalSeconds:0} | {runs / stats.LastFinish.TotalSeconds:0} | {stats.Bookkeeping.TotalSeconds:0.00} | {stats.Retried} |"));
            total += runs;
        }
    // Where the CPU went while the sweeps ran (the machine's other load not counted).
    Console.WriteLine();
    var seconds = wall.Elapsed.TotalSeconds;
    var used = silos.ToDictionary(s => s.Name, s => s.Cpu - cpuBefore[s.Name]);
    used["postgresql"] = PostgresCpu.Read(server.DataDirectory) - postgresBefore;
    // What the cluster burns doing nothing (Orleans' and Npgsql's own background work), measured after the
    // sweeps (the JIT has settled by then), to tell apart from the cost of runs.
    var idle = TimeSpan.FromSeconds(5);
    var idleBefore = silos.ToDictionary(s => s.Name, s => s.Cpu);
    var idlePostgres = PostgresCpu.Read(server.DataDirectory);
    await Task.Delay(idle);
    var idleCpu = silos.ToDictionary(s => s.Name, s => (s.Cpu - idleBefore[s.Name]) / idle.TotalSeconds);
    idleCpu["postgresql"] = (PostgresCpu.Read(server.DataDirectory) - idlePostgres) / idle.TotalSeconds;
    Console.WriteLine(FormattableString.Invariant($"CPU per run over {total} runs in {seconds:0.0} s of wall time (and, apart, what each process uses idle):"));
    foreach (var (name, cpu) in used)
        Console.WriteLine(FormattableString.Invariant(
            $"  {name,-12} {cpu.TotalMilliseconds / total:0.00} ms ({(cpu - idleCpu[name] * seconds).TotalMilliseconds / total:0.00} ms above idle; idle {idleCpu[name].TotalMilliseconds / 1000 * 100:0.0} % of a core)"));
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    exitCode = 1;
}
finally
{
    await Task.WhenAll(silos.Select(s => s.StopAsync(TimeSpan.FromSeconds(40))));
    foreach (var silo in silos)
    {
        foreach (var line in silo.Trouble().TakeLast(10)) Console.Error.WriteLine($"{silo.Name}: {line}");
        await silo.DisposeAsync();
    }
    Npgsql.NpgsqlConnection.ClearAllPools();
    await server.StopAsync();
    folder.Delete(recursive: true);
}
return exitCode;

// A sweep of `runs` new runs: runs / 25 configurations x 5 folds x 5 repeats on a store of its own.
static SweepRequest Request(int runs, string store)
{
    var configurations = Enumerable.Range(1, runs / 25).Select(c => new ConfigurationSpec($"linear:T[width={c}]", "linear", "T")).ToList();
    return new SweepRequest(store, $"/nonexistent/{store}", store, "{}", $"name: {store}\n", [1, 2, 3, 4, 5], Repeats: 5, Priority: 0, configurations, []);
}

/// <summary>CPU time of the PostgreSQL server: the postmaster and every process it started, living ones only (from /proc).</summary>
internal static class PostgresCpu
{
    public static TimeSpan Read(string dataDirectory)
    {
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var ticks = 0L;
        foreach (var stat in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)).Select(d => Path.Combine(d, "stat")))
        {
            string text;
            try { text = File.ReadAllText(stat); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
            // pid (comm) state ppid ... utime(14) stime(15): fields after the closing parenthesis of comm.
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            var pid = int.Parse(Path.GetFileName(Path.GetDirectoryName(stat)!), CultureInfo.InvariantCulture);
            if (pid != postmaster && fields[1] != $"{postmaster}") continue;
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        return TimeSpan.FromSeconds(ticks / 100.0);      // USER_HZ
    }
}

internal sealed record Options(IReadOnlyList<int> Runs, int Rounds, int Workers, int Slots, TimeSpan Poll)
{
    public static Options Parse(string[] args)
    {
        var options = new Options([675, 10_000], 3, 2, 32, TimeSpan.FromSeconds(1));
        for (var i = 0; i + 1 < args.Length; i += 2)
            options = args[i] switch
            {
                "--runs" => options with { Runs = args[i + 1].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList() },
                "--rounds" => options with { Rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--workers" => options with { Workers = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--slots" => options with { Slots = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--poll" => options with { Poll = TimeSpan.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {args[i]}: use --runs, --rounds, --workers, --slots, --poll."),
            };
        if (options.Runs.Any(r => r < 25 || r % 25 != 0)) throw new ArgumentException("--runs: multiples of 25 (configurations x 5 folds x 5 repeats).");
        return options;
    }
}

/// <summary>A completed sweep's timings, from the database's timestamps (one clock).</summary>
internal sealed record SweepStats(TimeSpan FirstRun, TimeSpan LastStart, TimeSpan LastFinish, TimeSpan Bookkeeping, int Succeeded, int Results, int Retried)
{
    public static async Task<SweepStats> ReadAsync(OrchestratorDatabase database, long sweepId)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var row = await connection.QuerySingleAsync<(double FirstRun, double LastStart, double LastFinish, double Bookkeeping, int Succeeded, int Results, int Retried)>("""
            SELECT extract(epoch FROM min(r.started_at) - s.submitted_at)::float8,
                   extract(epoch FROM max(r.started_at) - s.submitted_at)::float8,
                   extract(epoch FROM max(r.finished_at) - s.submitted_at)::float8,
                   extract(epoch FROM s.finished_at - s.submitted_at)::float8,
                   count(*) FILTER (WHERE r.state = 'succeeded')::integer,
                   (SELECT count(*) FROM results x JOIN sweep_runs y ON y.run_id = x.run_id WHERE y.sweep_id = s.id)::integer,
                   count(*) FILTER (WHERE r.attempts > 1)::integer
            FROM sweeps s JOIN sweep_runs sr ON sr.sweep_id = s.id JOIN runs r ON r.id = sr.run_id
            WHERE s.id = @SweepId
            GROUP BY s.id
            """, new { SweepId = sweepId });
        return new SweepStats(TimeSpan.FromSeconds(row.FirstRun), TimeSpan.FromSeconds(row.LastStart), TimeSpan.FromSeconds(row.LastFinish),
            TimeSpan.FromSeconds(row.Bookkeeping), row.Succeeded, row.Results, row.Retried);
    }
}
