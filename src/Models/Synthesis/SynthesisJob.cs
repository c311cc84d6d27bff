namespace Orchestrator.Models.Synthesis;

/// <summary>One line a parent sends a <see cref="SynthesisWorker"/>: an utterance of the plan and its place in it.</summary>
internal sealed record SynthesisJob(int Index, PlannedUtterance Utterance);
