namespace Orchestrator.Models.Synthesis;

/// <summary>A planned utterance placed on its dialog's timeline once its audio's length is known.</summary>
/// <param name="Plan">The utterance.</param>
/// <param name="Start">Seconds from the dialog's start.</param>
/// <param name="End">Start plus the wav's duration.</param>
public sealed record DialogTurn(PlannedUtterance Plan, double Start, double End);
