using Orchestrator.Models.Training;

namespace Orchestrator.Database;

/// <summary>A finished run's result, to record with <see cref="RunQueue.CompleteManyAsync"/>.</summary>
/// <param name="RunId">The run.</param>
/// <param name="Worker">The worker that trained it: the run's last worker once recorded.</param>
/// <param name="Result">What the run produced.</param>
public sealed record RunCompletion(long RunId, string Worker, RunResult Result);
