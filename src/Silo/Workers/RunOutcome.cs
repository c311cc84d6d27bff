using Orchestrator.Models.Training;

namespace Orchestrator.Silo.Workers;

/// <summary>How one attempt of a run ended: a result to record, or the reason the attempt failed.</summary>
/// <param name="Result">The run's result; null when the attempt failed.</param>
/// <param name="Error">Why the attempt failed; null when it succeeded.</param>
/// <param name="LogTail">The last lines the run printed, kept with a failure.</param>
public sealed record RunOutcome(RunResult? Result, string? Error, string LogTail)
{
    /// <summary>A failure's kind, the <c>reason</c> label of <c>orchestrator_run_attempts_failed_total</c>: <c>crash</c> (killed by a signal), <c>exit_code</c>, <c>no_result</c>, <c>hung</c> (killed by the worker for making no progress).</summary>
    public string Reason { get; init; } = "error";

    /// <summary>The end of what the attempt printed (<see cref="BoundedLog"/>), kept per attempt whatever its outcome; empty when it printed nothing.</summary>
    public string Log { get; init; } = "";

    /// <summary>Lines of its output left out before <see cref="Log"/>.</summary>
    public int DroppedLines { get; init; }

    public static RunOutcome Succeeded(RunResult result) => new(result, null, "");

    public static RunOutcome Failed(string error, string logTail) => new(null, error, logTail);
}
