namespace Orchestrator.Models.Synthesis;

/// <summary>One line a <see cref="SynthesisWorker"/> answers a job with, once the job's audio exists.</summary>
/// <param name="Index">The job's place in the plan.</param>
/// <param name="Duration">Seconds of audio, which the parent needs to lay out the dialogs.</param>
/// <param name="SynthesisTicks">Time spent in Flite and level setting.</param>
internal sealed record SynthesisReply(int Index, double Duration, long SynthesisTicks);
