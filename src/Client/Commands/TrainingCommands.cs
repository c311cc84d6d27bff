using System.CommandLine;
using System.Text.Json;
using Orchestrator.Client.Cluster;
using Orchestrator.Client.Rendering;
using Orchestrator.Database;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Training;
using Orchestrator.Silo.Telemetry;
using Spectre.Console;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator train | cv | combine</c>: one run here, a whole cross-validation on the cluster
/// (embedded by default), and the combination of two finished ones from the database.
/// </summary>
public static class TrainingCommands
{
    public static IEnumerable<Command> Create() => [CreateTrain(), CreateCrossValidate(), CreateCombine()];

    private static Command CreateTrain()
    {
        var options = new RunOptions();
        var fold = new Option<int>("--fold") { Description = "The session tested on (1-5 on IEMOCAP).", Required = true }.AtLeast(1, "(folds are session numbers)");
        var repeat = new Option<int>("--repeat") { Description = "The repeat (from 1): decides the validation split and, with the configuration and fold, the seed.", DefaultValueFactory = _ => 1 }.AtLeast(1, "(repeats count from 1)");
        var command = new Command("train", "Train and evaluate one run (configuration, fold, repeat) under the paper's protocol.") { fold, repeat };
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction((result, cancellation) => Guard(() =>
        {
            // Under a worker, the store's counters go to it (RunCounters), from before the store is opened and loaded.
            using var counters = ParentWatch.IsRunProcess && result.GetValue(options.Json) ? new RunCounters.Totals() : null;
            using var opened = options.Open(result);
            var (configuration, store, data) = (opened.Configuration, opened.Store, opened.Data);
            var plan = CrossValidation.Plan(data, configuration.Training);
            if (result.GetValue(options.Json))
            {
                // Machine-readable: the result on standard output, one JSON line per epoch on standard error
                // (worker silos follow a run's progress and renew its lease from these).
                // Under a traced worker run, each epoch is also a span, relayed to the worker ahead of its epoch line.
                using var tracing = RunProcessTracing.FromEnvironment(Console.Error);
                var epochStarted = DateTime.UtcNow;          // the first epoch's span includes building the model
                var epochs = new CallbackProgress<EpochReport>(e =>
                {
                    tracing?.Epoch(epochStarted, EpochTags(configuration.Key, result.GetValue(fold), result.GetValue(repeat), e));
                    epochStarted = DateTime.UtcNow;
                    Console.Error.WriteLine(JsonSerializer.Serialize(new EpochLine(e.Epoch, e.TrainingLoss, e.ValidationUnweightedAccuracy, e.Best), TrainingCommandsJson.Default.EpochLine));
                });
                var trained = RunTrainer.Run(data, plan, configuration, result.GetValue(fold), result.GetValue(repeat), progress: epochs, cancellation: cancellation);
                foreach (var line in counters?.Lines() ?? []) Console.Error.WriteLine(line);
                WriteJson(JsonSerializer.Serialize(trained, TrainingJsonContext.Default.RunResult));
                return 0;
            }
            var run = Terminal.WithProgress($"Training {configuration.Key} fold {result.GetValue(fold)} repeat {result.GetValue(repeat)} (epochs)", configuration.Training.MaxEpochs, progress =>
                RunTrainer.Run(data, plan, configuration, result.GetValue(fold), result.GetValue(repeat), progress: new CallbackProgress<EpochReport>(e => progress.Report(e.Epoch)), cancellation: cancellation));
            RunResultView.Render(Terminal.Out, run, data, configuration.Streams);
            return 0;
        }));
        return command;
    }

    /// <summary>An epoch span's attributes: the run's identity as this process knows it, and the epoch's metrics.</summary>
    private static KeyValuePair<string, object?>[] EpochTags(string configuration, int fold, int repeat, EpochReport epoch) =>
    [
        new("orchestrator.configuration", configuration), new("orchestrator.fold", fold), new("orchestrator.repeat", repeat),
        new("orchestrator.epoch", epoch.Epoch), new("orchestrator.training_loss", epoch.TrainingLoss),
        new("orchestrator.validation_ua", epoch.ValidationUnweightedAccuracy), new("orchestrator.best", epoch.Best),
        new("orchestrator.samples_per_second", epoch.SamplesPerSecond), new("process.pid", Environment.ProcessId),
    ];

    private static Command CreateCrossValidate()
    {
        var options = new RunOptions();
        var repeats = new Option<int>("--repeats") { Description = "Repeats of the leave-one-session-out folds (the paper: 5, i.e. 25 runs).", DefaultValueFactory = _ => 5 }.AtLeast(1, "repeat");
        var parallel = new Option<int>("--parallel") { Description = "Embedded cluster: runs trained side by side (default: one per core); results do not depend on it.", DefaultValueFactory = _ => RunOptions.DefaultParallelism }.AtLeast(1, "run at a time");
        var database = SweepCommands.DatabaseOption();
        var command = new Command("cv", "Cross-validate a configuration on the cluster: every fold x repeat not finished before; prints mean and standard deviation of UA, WA and F1.")
        { repeats, parallel, database };
        var tls = new TlsCommandOptions();
        tls.AddTo(command);
        // Not --threads: every run trains in a worker's process on one libtorch thread.
        foreach (var option in options.All.Where(o => o != options.Threads)) command.Options.Add(option);
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            var configuration = options.Configuration(result);
            var count = result.GetValue(repeats);
            using var store = FeatureStore.Open(result.GetValue(options.Store)!.FullName);
            RunOptions.WarnAbout(store);
            var request = SweepRequests.CrossValidation(configuration, store, SweepRequests.Folds(store), count,
                $"orchestrator cv --store {store.Directory} --configuration {configuration.Key} --repeats {count}");
            await using var cluster = await ClusterConnection.OpenAsync(result.GetValue(database), result.GetValue(parallel), cancellation, tls.Read(result));
            var (sweepId, _) = await SweepFollower.RunAsync(cluster, request, cancellation);
            // Every run of the configuration this cross-validation asks for, whichever sweep trained it.
            var runs = (await cluster.Queue.ResultsAsync(request.StoreFingerprint, configuration.Key, cancellation))
                .Where(r => r.Repeat <= count && request.Folds.Contains(r.Fold)).ToList();
            if (runs.Count == 0) throw new InvalidOperationException($"No run of {configuration.Key} succeeded (sweep {sweepId}).");
            var summary = CrossValidationSummary.From(runs);
            if (result.GetValue(options.Json)) WriteJson(JsonSerializer.Serialize(summary, TrainingJsonContext.Default.CrossValidationSummary));
            else CrossValidationView.Render(Terminal.Out, summary, runs, $"sweep {sweepId}: orchestrator results {sweepId}");
            return runs.Count == request.Folds.Count * count ? 0 : 1;
        }));
        return command;
    }

    private static Command CreateCombine()
    {
        var store = new Option<DirectoryInfo>("--store") { Description = "The feature store both cross-validations ran on.", Required = true };
        var early = new Option<string>("--early") { Description = "The early-fusion configuration, e.g. coattention:T+F+P or coattention:T+F[lr=0.0001].", Required = true };
        var late = new Option<string>("--late") { Description = "The late-fusion configuration, e.g. late:T+F+S.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var database = new Option<string?>("--database") { Description = "The PostgreSQL connection string (default: ORCHESTRATOR_DATABASE, else the embedded cluster's private server). Only the database is read; a password here is refused (docs/security.md)." }.RefusingPasswords();
        var command = new Command("combine", "Average the test logits of two finished cross-validations run by run (the paper's Table 3) and score the result.") { store, early, late, json, database };
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            string fingerprint;
            using (var opened = FeatureStore.Open(result.GetValue(store)!.FullName)) fingerprint = RunTrainer.ResultsKey(opened.Fingerprint);
            await using var db = await ClusterConnection.OpenDatabaseAsync(result.GetValue(database), cancellation);
            var queue = new RunQueue(db.DataSource);
            var a = await LoadAsync(queue, fingerprint, result.GetValue(early)!, cancellation);
            var b = await LoadAsync(queue, fingerprint, result.GetValue(late)!, cancellation);
            var combined = Combine(a, b);
            var summary = CrossValidationSummary.From(combined);
            if (result.GetValue(json)) WriteJson(JsonSerializer.Serialize(summary, TrainingJsonContext.Default.CrossValidationSummary));
            else CrossValidationView.RenderCombination(Terminal.Out, summary, CrossValidationSummary.From(a), CrossValidationSummary.From(b));
            return 0;
        }));
        return command;
    }

    /// <summary>Pairs the runs of two cross-validations by (fold, repeat) and combines each pair.</summary>
    public static IReadOnlyList<CombinationResult> Combine(IReadOnlyList<RunResult> a, IReadOnlyList<RunResult> b)
    {
        var byRun = b.ToDictionary(r => (r.Fold, r.Repeat));
        var pairs = a.Where(r => byRun.ContainsKey((r.Fold, r.Repeat))).ToList();
        if (pairs.Count == 0) throw new InvalidDataException($"{a[0].ConfigurationKey} and {b[0].ConfigurationKey} share no (fold, repeat): run both cross-validations with the same repeats first.");
        if (pairs.Count < Math.Max(a.Count, b.Count))
            Terminal.Error.MarkupLineInterpolated($"[yellow]Only {pairs.Count} runs are finished in both; combining those.[/]");
        return pairs.Select(r => Combination.Evaluate(r, byRun[(r.Fold, r.Repeat)])).ToList();
    }

    /// <summary>The finished runs of a configuration on the store; the key is read as a configuration key, so its settings must be written out.</summary>
    private static async Task<IReadOnlyList<RunResult>> LoadAsync(RunQueue queue, string fingerprint, string key, CancellationToken cancellation)
    {
        var canonical = ModelConfiguration.ParseKey(key).Key;
        var runs = await queue.ResultsAsync(fingerprint, canonical, cancellation);
        if (runs.Count == 0) throw new InvalidDataException($"No finished runs of '{canonical}' on this store (training protocol {RunTrainer.ProtocolVersion}): run orchestrator cv --configuration '{canonical}' (or a sweep with it) first.");
        return runs;
    }

    private static void WriteJson(string json) => Terminal.Out.Profile.Out.Writer.WriteLine(json);

    private static Task<int> Guard(Func<int> work) => Guard(() => Task.FromResult(work()));

    private static async Task<int> Guard(Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
        catch (Exception error) when (Expected(error))
        {
            foreach (var message in Messages(error)) Terminal.Error.MarkupLineInterpolated($"[red]{message}[/]");
            return 1;
        }
    }

    /// <summary>Failures the user can act on (bad input, missing files); anything else is a bug and keeps its stack trace.</summary>
    private static bool Expected(Exception error) => error switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.All(Expected),
        _ => error is FormatException or ArgumentException or IOException or InvalidDataException or FeatureStoreException or OperationCanceledException
                 or InvalidOperationException or Npgsql.NpgsqlException,
    };

    private static IEnumerable<string> Messages(Exception error) =>
        error is AggregateException aggregate ? aggregate.InnerExceptions.SelectMany(Messages).Distinct() : [error.Message];
}
