using System.CommandLine;
using Orchestrator.Client.Cluster;
using Orchestrator.Client.Rendering;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Models.Features.Extraction;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Grids;
using Spectre.Console;
using Grid = Orchestrator.Models.Grids.Grid;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator sweep submit | status | runs | run | pause | resume | cancel</c> and <c>orchestrator workers</c>:
/// grids run by the cluster. Without a database the embedded cluster runs the sweep in this process.
/// </summary>
public static class SweepCommands
{
    // Recursive on `sweep`: every subcommand takes them (and reads them through this instance).
    private static readonly TlsCommandOptions Tls = new(recursive: true);

    public static IEnumerable<Command> Create() =>
    [
        Tls.AddTo(new Command("sweep", "Submit grid sweeps to the cluster and follow, pause, resume or cancel them.")
        {
            CreateSubmit(), CreateStatus(), CreateRuns(), CreateRun(), CreateControl("pause", "Stop leasing the sweep's runs; runs under way stop at their next epoch and are handed back.", g => g.Pause()),
            CreateControl("resume", "Lease the sweep's runs again.", g => g.Resume()),
            CreateControl("cancel", "Cancel the sweep's unfinished runs (a run another active sweep also wants keeps going).", g => g.Cancel()),
        }),
        CreateWorkers(),
    ];

    /// <summary>--database, shared by every cluster command.</summary>
    internal static Option<string?> DatabaseOption() => new Option<string?>("--database")
    {
        Description = "The cluster's PostgreSQL connection string, without a password (default: the environment variable ORCHESTRATOR_DATABASE or the file ORCHESTRATOR_DATABASE_FILE names; without either, an embedded cluster: a private server and a silo in this process). A password here is refused: a command line is visible to every user.",
    }.RefusingPasswords();

    private static Option<int> SlotsOption() => new Option<int>("--slots")
    {
        Description = "Embedded cluster only: runs trained at once (default: one per core).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    }.AtLeast(1, "run at a time (with none, an embedded sweep would wait forever)");

    private static Command CreateSubmit()
    {
        var grid = new Argument<FileInfo>("grid") { Description = "The grid file (YAML), e.g. grids/demo.yaml." };
        var database = DatabaseOption();
        var slots = SlotsOption();
        var priority = new Option<int?>("--priority") { Description = "Overrides the grid's priority: higher runs first when sweeps compete for slots." };
        var watch = new Option<bool>("--watch") { Description = "Follow the sweep until it finishes (always, on the embedded cluster)." };
        var command = new Command("submit", "Submit a grid: every configuration x fold x repeat not run before becomes a queued run.") { grid, database, slots, priority, watch };
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            var path = result.GetValue(grid)!;
            var parsed = GridFile.Load(path.FullName);
            var store = await PrepareStore(parsed, path, cancellation);
            SweepRequest request;
            using (store) request = SweepRequests.FromGrid(parsed, store, File.ReadAllText(path.FullName), result.GetValue(priority));
            await using var cluster = await ClusterConnection.OpenAsync(result.GetValue(database), result.GetValue(slots), cancellation, Tls.Read(result));
            var submitted = await SweepFollower.SubmitAsync(cluster.Grains, request);
            Terminal.Error.MarkupLineInterpolated($"Sweep [bold]{submitted.SweepId}[/] ({parsed.Name}): {submitted.Runs} runs, {submitted.Queued} queued, {submitted.AlreadyFinished} finished before.");
            if (!cluster.Embedded && !result.GetValue(watch)) return 0;
            var status = await SweepView.WatchAsync(cluster.Grains.GetGrain<ISweepGrain>(submitted.SweepId), cancellation);
            return status.Configurations.Sum(c => c.Failed) > 0 ? 1 : 0;
        }));
        return command;
    }

    private static Command CreateStatus()
    {
        var id = new Argument<long?>("id") { Description = "The sweep (default: every sweep).", Arity = ArgumentArity.ZeroOrOne };
        var database = DatabaseOption();
        var watch = new Option<bool>("--watch") { Description = "Follow the sweep live until it finishes." };
        var command = new Command("status", "Progress per configuration: finished, running, queued, failed, and an estimate of the time left.") { id, database, watch };
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(result.GetValue(database), 0, cancellation, Tls.Read(result));
            if (result.GetValue(id) is { } sweep)
            {
                var grain = cluster.Grains.GetGrain<ISweepGrain>(sweep);
                if (result.GetValue(watch)) await SweepView.WatchAsync(grain, cancellation);
                else SweepView.Render(Terminal.Out, await grain.GetStatus());
                return 0;
            }
            SweepView.RenderList(Terminal.Out, await cluster.Grains.GetGrain<ISweepRegistryGrain>(0).List());
            return 0;
        }));
        return command;
    }

    private static Command CreateRuns()
    {
        var id = new Argument<long>("id") { Description = "The sweep." };
        var database = DatabaseOption();
        var configuration = new Option<string?>("--configuration") { Description = "Only this configuration's runs, by its key, e.g. late:T+F." };
        var state = new Option<string?>("--state") { Description = "Only the runs in this state." };
        state.AcceptOnlyFromAmong([.. Enum.GetValues<RunState>().Select(RunsView.Name)]);
        var log = new Option<bool>("--log") { Description = "Print the log tail of every listed run whose last attempt failed." };
        var json = new Option<bool>("--json") { Description = "Print the runs as a JSON array (times in UTC, UA as a fraction)." };
        var command = new Command("runs", "One row per run: configuration, fold, repeat, state, attempt, worker, epoch, UA and a failed attempt's reason; each configuration's UA so far.")
        {
            id, configuration, state, log, json, database,
        };
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(result.GetValue(database), 0, cancellation, Tls.Read(result));
            var sweep = result.GetValue(id);
            IReadOnlyList<string> keys = result.GetValue(configuration) is { } key ? [key]
                : (await cluster.Grains.GetGrain<ISweepGrain>(sweep).GetStatus()).Configurations.Select(c => c.Key).ToList();
            var configurations = await Task.WhenAll(keys.Select(k => cluster.Grains.GetGrain<IConfigurationGrain>(sweep, k).GetStatus()));
            RunState? only = result.GetValue(state) is { } name ? Enum.Parse<RunState>(name, ignoreCase: true) : null;
            if (result.GetValue(json))
            {
                // Straight to the writer: the console would wrap long lines (log tails) at its width.
                Terminal.Out.Profile.Out.Writer.WriteLine(RunsView.Json(RunsView.Select(configurations, only)));
                Terminal.Out.Profile.Out.Writer.Flush();
            }
            else RunsView.Render(Terminal.Out, sweep, configurations, only, result.GetValue(log));
            return 0;
        }));
        return command;
    }

    private static Command CreateRun()
    {
        var id = new Argument<long>("run-id") { Description = "The run (its id, as sweep runs lists it)." };
        var database = DatabaseOption();
        var attempt = new Option<int?>("--attempt") { Description = "Print the kept log of this attempt (numbered from 1 as the attempts table lists them) and nothing else." };
        var command = new Command("run", "One run: its state, attempts, worker, epoch reached, times, UA, its last failed attempt's reason, and every attempt with the end of what it printed.") { id, database, attempt };
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(result.GetValue(database), 0, cancellation, Tls.Read(result));
            var logs = await cluster.Queue.RunLogsAsync(result.GetValue(id), cancellation);
            if (result.GetValue(attempt) is { } number)
            {
                Terminal.Out.Profile.Out.Writer.Write(RunLogsView.Text(logs, number));
                return 0;
            }
            RunsView.RenderRun(Terminal.Out, await cluster.Grains.GetGrain<IRunGrain>(result.GetValue(id)).GetStatus());
            RunLogsView.Render(Terminal.Out, logs);
            return 0;
        }));
        return command;
    }

    private static Command CreateControl(string name, string description, Func<ISweepGrain, Task> act)
    {
        var id = new Argument<long>("id") { Description = "The sweep." };
        var database = DatabaseOption();
        var command = new Command(name, description) { id, database };
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(result.GetValue(database), 0, cancellation, Tls.Read(result));
            var grain = cluster.Grains.GetGrain<ISweepGrain>(result.GetValue(id));
            await act(grain);
            SweepView.Render(Terminal.Out, await grain.GetStatus());
            return 0;
        }));
        return command;
    }

    private static Command CreateWorkers()
    {
        var database = DatabaseOption();
        var tls = new TlsCommandOptions();
        var command = tls.AddTo(new Command("workers", "The worker silos: slots, runs training now, and how long ago each reported.") { database });
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            await using var cluster = await ClusterConnection.OpenAsync(result.GetValue(database), 0, cancellation, tls.Read(result));
            SweepView.RenderWorkers(Terminal.Out, await cluster.Grains.GetGrain<IWorkerRegistryGrain>(0).List(), DateTimeOffset.UtcNow);
            return 0;
        }));
        return command;
    }

    /// <summary>The grid's feature store: named, or extracted from its corpus first (once; a second extraction is a no-op).</summary>
    private static async Task<FeatureStore> PrepareStore(Grid grid, FileInfo file, CancellationToken cancellation)
    {
        if (grid.Store is { } named) return FeatureStore.Open(named);
        var directory = Path.Combine(file.DirectoryName!, $"{grid.Name}-features");
        var encoders = grid.Encoders!;
        var extracted = await FeaturesCommands.ExtractAsync(new DirectoryInfo(grid.Corpus!), encoders.Wav2Vec2, encoders.Bert, new DirectoryInfo(directory),
            new ExtractionOptions(), overwrite: false, json: false, cancellation);
        if (extracted != 0) throw new InvalidDataException($"{file.FullName}: extracting the features of {grid.Corpus} failed.");
        return FeatureStore.Open(directory);
    }


    private static async Task<int> Guard(Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception error) when (error is GridException or FormatException or ArgumentException or IOException or InvalidDataException
                                          or FeatureStoreException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{error.Message}[/]");
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
    }
}
