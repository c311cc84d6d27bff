namespace Orchestrator.Database;

/// <summary>One attempt of a run as its worker saw it end, with what its process printed (<c>run_logs</c>).</summary>
/// <param name="RunId">The run.</param>
/// <param name="Attempt">runs.attempts when the attempt began.</param>
/// <param name="Worker">The worker that ran it.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c> or <c>stopped</c> (<see cref="RunLogOutcomes"/>).</param>
/// <param name="Error">Why it failed; null otherwise.</param>
/// <param name="Log">The last lines its process printed, within the worker's bound.</param>
/// <param name="DroppedLines">Lines left out before those.</param>
/// <param name="RecordedAt">When the worker recorded it (server time); ignored when recording.</param>
public sealed record RunLog(long RunId, int Attempt, string Worker, string Outcome, string? Error, string Log, int DroppedLines, DateTime RecordedAt = default);

/// <summary>The values of <c>run_logs.outcome</c>.</summary>
public static class RunLogOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Stopped = "stopped";
}
