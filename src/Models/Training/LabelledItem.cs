using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Training;

/// <summary>
/// What the protocol needs to know of an utterance to split it: its id, its session (the fold it
/// is tested in), its class (for a stratified validation split) and its speaker (for per-speaker
/// standardisation).
/// </summary>
public sealed record LabelledItem(string Id, int Session, Emotion Label, string Speaker);
