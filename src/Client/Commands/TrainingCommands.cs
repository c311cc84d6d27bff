using System.CommandLine;
using System.Text.Json;
using Orchestrator.Client.Rendering;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Training;
using Spectre.Console;

namespace Orchestrator.Client.Commands;

/// <summary><c>orchestrator train | cv | combine</c>: one run, a whole cross-validation, and the combination of two.</summary>
public static class TrainingCommands
{
    /// <summary>Where cross-validations keep their runs unless told otherwise.</summary>
    public const string DefaultResults = "results";

    public static IEnumerable<Command> Create() => [CreateTrain(), CreateCrossValidate(), CreateCombine()];

    private static Command CreateTrain()
    {
        var options = new RunOptions();
        var fold = new Option<int>("--fold") { Description = "The session tested on (1-5 on IEMOCAP).", Required = true };
        var repeat = new Option<int>("--repeat") { Description = "The repeat (from 1): decides the validation split and, with the configuration and fold, the seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("train", "Train and evaluate one run (configuration, fold, repeat) under the paper's protocol.") { fold, repeat };
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction((result, cancellation) => Guard(() =>
        {
            using var opened = options.Open(result);
            var (configuration, store, data) = (opened.Configuration, opened.Store, opened.Data);
            var plan = CrossValidation.Plan(data, configuration.Training);
            if (result.GetValue(options.Json))
            {
                // Machine-readable: the result on standard output, one JSON line per epoch on standard error
                // (worker silos follow a run's progress and renew its lease from these).
                var epochs = new CallbackProgress<EpochReport>(e => Console.Error.WriteLine(JsonSerializer.Serialize(new EpochLine(e.Epoch, e.TrainingLoss, e.ValidationUnweightedAccuracy, e.Best), TrainingCommandsJson.Default.EpochLine)));
                var trained = RunTrainer.Run(data, plan, configuration, result.GetValue(fold), result.GetValue(repeat), progress: epochs, cancellation: cancellation);
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

    private static Command CreateCrossValidate()
    {
        var options = new RunOptions();
        var repeats = new Option<int>("--repeats") { Description = "Repeats of the leave-one-session-out folds (the paper: 5, i.e. 25 runs).", DefaultValueFactory = _ => 5 };
        var results = new Option<DirectoryInfo>("--results") { Description = "Folder keeping every finished run (with test logits, for combine); finished runs are not run again.", DefaultValueFactory = _ => new DirectoryInfo(DefaultResults) };
        var parallel = new Option<int>("--parallel") { Description = "Runs trained side by side (default: one per core); results do not depend on it.", DefaultValueFactory = _ => RunOptions.DefaultParallelism };
        var command = new Command("cv", "Cross-validate a configuration: every fold x repeat; prints mean and standard deviation of UA, WA and F1.") { repeats, results, parallel };
        foreach (var option in options.All) command.Options.Add(option);
        command.SetAction((result, cancellation) => Guard(() =>
        {
            using var opened = options.Open(result);
            var (configuration, store, data) = (opened.Configuration, opened.Store, opened.Data);
            var folder = new ResultsFolder(result.GetValue(results)!.FullName).For(store.Fingerprint);
            var runs = CrossValidate(data, configuration, result.GetValue(repeats), folder, result.GetValue(options.Store)!.FullName, Math.Max(1, result.GetValue(parallel)), cancellation);
            var summary = CrossValidationSummary.From(runs);
            if (result.GetValue(options.Json)) WriteJson(JsonSerializer.Serialize(summary, TrainingJsonContext.Default.CrossValidationSummary));
            else CrossValidationView.Render(Terminal.Out, summary, runs, folder.PathOf(configuration.Key));
            return 0;
        }));
        return command;
    }

    /// <summary>Cross-validates with a progress bar over runs; used by <c>cv</c> and the demo.</summary>
    /// <remarks>With <paramref name="parallelism"/> above 1, runs train in worker processes (<see cref="WorkerProcesses"/>).</remarks>
    public static IReadOnlyList<RunResult> CrossValidate(TrainingData data, ModelConfiguration configuration, int repeats, ResultsFolder folder, string store, int parallelism, CancellationToken cancellation)
    {
        var workers = parallelism > 1 && WorkerProcesses.Available ? WorkerProcesses.For(store, configuration) : null;
        var label = workers is null ? $"{configuration.Key} (runs)" : $"{configuration.Key} (runs, {parallelism} at a time)";
        return Terminal.WithProgress(label, progress => CrossValidation.Run(data, configuration, repeats, folder,
            progress: new CallbackProgress<CrossValidationProgress>(p => progress.Report((p.RunsDone, p.RunsTotal))), cancellation: cancellation,
            execute: workers, parallelism: parallelism));
    }

    private static Command CreateCombine()
    {
        var results = new Option<DirectoryInfo>("--results") { Description = "The results folder of the two cross-validations.", DefaultValueFactory = _ => new DirectoryInfo(DefaultResults) };
        var early = new Option<string>("--early") { Description = "The early-fusion configuration, e.g. coattention:T+F+P (or its results file).", Required = true };
        var late = new Option<string>("--late") { Description = "The late-fusion configuration, e.g. late:T+F+S (or its results file).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command("combine", "Average the test logits of two finished cross-validations run by run (the paper's Table 3) and score the result.") { results, early, late, json };
        command.SetAction((result, _) => Guard(() =>
        {
            var folder = new ResultsFolder(result.GetValue(results)!.FullName);
            var a = Load(folder, result.GetValue(early)!);
            var b = Load(folder, result.GetValue(late)!);
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

    private static IReadOnlyList<RunResult> Load(ResultsFolder folder, string keyOrFile)
    {
        var runs = File.Exists(keyOrFile) ? ResultsFolder.LoadFile(keyOrFile) : folder.Load(keyOrFile);
        if (runs.Count == 0) throw new InvalidDataException($"No finished runs of '{keyOrFile}' in {folder.Directory} (expected {folder.PathOf(keyOrFile)}): run orchestrator cv for it first.");
        return runs;
    }

    private static void WriteJson(string json) => Terminal.Out.Profile.Out.Writer.WriteLine(json);

    private static Task<int> Guard(Func<int> work)
    {
        try
        {
            return Task.FromResult(work());
        }
        catch (Exception error) when (Expected(error))
        {
            foreach (var message in Messages(error)) Terminal.Error.MarkupLineInterpolated($"[red]{message}[/]");
            return Task.FromResult(1);
        }
    }

    /// <summary>Failures the user can act on (bad input, missing files); anything else is a bug and keeps its stack trace.</summary>
    private static bool Expected(Exception error) => error switch
    {
        AggregateException aggregate => aggregate.InnerExceptions.All(Expected),
        _ => error is FormatException or ArgumentException or IOException or InvalidDataException or FeatureStoreException or OperationCanceledException,
    };

    private static IEnumerable<string> Messages(Exception error) =>
        error is AggregateException aggregate ? aggregate.InnerExceptions.SelectMany(Messages).Distinct() : [error.Message];
}
