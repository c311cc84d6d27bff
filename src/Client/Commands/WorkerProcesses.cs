using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;

namespace Orchestrator.Client.Commands;

/// <summary>
/// Trains runs in child <c>orchestrator train --json</c> processes, one run per process and one
/// libtorch thread each, so that several runs use several cores (see <see cref="CrossValidation.Run"/>
/// for why not threads). The local stand-in for the worker silos the cluster will schedule onto.
/// </summary>
public static class WorkerProcesses
{
    /// <summary>Whether this process is the <c>orchestrator</c> executable (not a test host), so it can start copies of itself.</summary>
    public static bool Available => Assembly.GetEntryAssembly()?.GetName().Name == "orchestrator" && Environment.ProcessPath is not null;

    /// <summary>Set in a worker's environment: its standard input is a pipe from the parent, closed when the parent dies.</summary>
    public const string ParentPipeVariable = Silo.Workers.RunProcess.ParentPipeVariable;

    /// <summary>
    /// In a worker: exits as soon as the parent's end of standard input closes, so killing a
    /// cross-validation (even with kill -9) never leaves orphaned runs training.
    /// </summary>
    public static void ExitWithParent()
    {
        if (Environment.GetEnvironmentVariable(ParentPipeVariable) != "1") return;
        new Thread(() =>
        {
            try { while (Console.In.Read() >= 0) { } }
            catch (IOException) { }
            Environment.Exit(137);
        }) { IsBackground = true, Name = "parent watch" }.Start();
    }

    /// <summary>An executor for <see cref="CrossValidation.Run"/> over <paramref name="store"/>.</summary>
    public static Func<int, int, CancellationToken, RunResult> For(string store, ModelConfiguration configuration)
    {
        var arguments = Arguments(configuration);
        return (fold, repeat, cancellation) => Run([.. arguments, "--store", store, "--fold", $"{fold}", "--repeat", $"{repeat}"], cancellation);
    }

    /// <summary>The <c>train</c> options that reproduce <paramref name="configuration"/>; refuses settings the command line cannot carry.</summary>
    public static IReadOnlyList<string> Arguments(ModelConfiguration configuration)
    {
        var o = configuration.Options;
        var t = configuration.Training;
        var defaults = new ModelOptions();
        var expressible = defaults with { LearningRateOverride = o.LearningRateOverride, BranchWidth = o.BranchWidth, AttentionHeads = o.AttentionHeads };
        if (o != expressible || t.ValidationFraction != TrainingOptions.Default.ValidationFraction)
            throw new ArgumentException($"{configuration.Key}: its settings cannot be passed to a worker process on the command line; run it with --parallel 1.");
        var arguments = new List<string>
        {
            "train", "--json", "--threads", "1",
            "--model", configuration.Model.ToString().ToLowerInvariant(), "--streams", StreamKinds.Label(configuration.Streams),
            "--max-epochs", $"{t.MaxEpochs}", "--patience", $"{t.Patience}", "--batch-size", $"{t.BatchSize}",
            "--width", $"{o.BranchWidth}", "--heads", $"{o.AttentionHeads}",
            "--batch-order", t.BatchOrder == BatchOrder.Shuffled ? "shuffled" : "length-bucketed",
        };
        if (o.LearningRateOverride is { } lr) arguments.AddRange(["--lr", lr.ToString("R", CultureInfo.InvariantCulture)]);
        if (t.StratifiedValidation) arguments.Add("--stratified");
        if (t.PerSpeakerStandardisation) arguments.Add("--per-speaker");
        return arguments;
    }

    private static RunResult Run(IReadOnlyList<string> arguments, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Started as `dotnet orchestrator.dll`: the copy needs the assembly too.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment[ParentPipeVariable] = "1";

        using var process = Process.Start(start) ?? throw new IOException($"Could not start {start.FileName}.");
        using var kill = cancellation.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } });
        var output = process.StandardOutput.ReadToEndAsync(cancellation);
        var error = process.StandardError.ReadToEndAsync(cancellation);
        process.WaitForExit();
        cancellation.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
            throw new IOException($"orchestrator {string.Join(' ', arguments)} failed (exit code {process.ExitCode}): {error.Result.Trim()}");
        return JsonSerializer.Deserialize(output.Result, TrainingJsonContext.Default.RunResult)
            ?? throw new InvalidDataException($"orchestrator {string.Join(' ', arguments)} printed no result.");
    }
}
