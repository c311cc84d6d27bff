using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Silo.Telemetry;
using Orchestrator.Database;
using Orchestrator.Models.Training;

namespace Orchestrator.Silo.Workers;

/// <summary>
/// Trains a run in a child process (<see cref="RunProcess"/>): <paramref name="command"/> followed
/// by the run's own arguments (<see cref="Arguments"/>). The child prints its RunResult as JSON on
/// standard output and one <c>{"epoch":...}</c> line per epoch on standard error, preceded by the
/// epoch's span (<see cref="RunSpans"/>) when it was given the run span's context.
/// </summary>
public sealed class ProcessRunExecutor(IReadOnlyList<string> command, int logTailLines, string workerName, int logChars) : IRunExecutor
{
    private const string EpochLinePrefix = "{\"epoch\"";

    public async Task<RunOutcome> ExecuteAsync(LeasedRun run, Action<int> onEpoch, CancellationToken cancellation)
    {
        var epoch = 0;
        // The run's span (RunWorker), the parent of the spans the child relays (RunSpans: its epochs).
        var span = Activity.Current;
        var relayed = 0;
        KeyValuePair<string, object?>[] identity = [new("orchestrator.run.id", run.RunId), new("orchestrator.attempt", run.Attempt)];
        var log = new BoundedLog(logChars);
        var outcome = await RunProcess.RunAsync([.. command, .. Arguments(run)], line =>
        {
            // Span and counter lines are telemetry, relayed and not logged; the rest (epochs included) is the attempt's log.
            if (line.StartsWith(RunSpans.LinePrefix, StringComparison.Ordinal))
            {
                if (span is not null && relayed < RunSpans.MaxPerRun && RunSpans.Relay(line, span, identity)) relayed++;
                return;
            }
            if (RunCounters.Relay(line, workerName)) return;
            log.Add(line);
            if (line.StartsWith(EpochLinePrefix, StringComparison.Ordinal)) onEpoch(++epoch);
        }, logTailLines, cancellation);
        var logged = (Log: log.Text, Dropped: log.Dropped);
        // Exit codes above 128 are the shell's and .NET's way of saying a signal ended the process (134: abort, 137: SIGKILL, the OOM killer).
        if (outcome.ExitCode != 0)
            return RunOutcome.Failed($"the run process exited with code {outcome.ExitCode}", outcome.LogTail) with
                { Reason = outcome.ExitCode > 128 ? "crash" : "exit_code", Log = logged.Log, DroppedLines = logged.Dropped };
        return Parse(outcome.Output) is { } result
            ? RunOutcome.Succeeded(result) with { Log = logged.Log, DroppedLines = logged.Dropped }
            : RunOutcome.Failed("the run process printed no result", outcome.LogTail) with { Reason = "no_result", Log = logged.Log, DroppedLines = logged.Dropped };
    }

    /// <summary>The run's own arguments after <see cref="WorkerOptions.RunCommand"/>.</summary>
    public static IReadOnlyList<string> Arguments(LeasedRun run) =>
        ["--store", run.StorePath, "--configuration", run.ConfigurationKey, "--fold", $"{run.Fold}", "--repeat", $"{run.Repeat}"];

    private static RunResult? Parse(string output)
    {
        try
        {
            return JsonSerializer.Deserialize(output, TrainingJsonContext.Default.RunResult);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
