namespace Orchestrator.Models.Synthesis;

/// <summary>What an utterance says and how its emotion sounds, before speaker habits and jitter.</summary>
/// <param name="Cue">Which modality carries the emotion.</param>
/// <param name="SpokenText">The sentence Flite speaks.</param>
/// <param name="Transcript">The sentence as transcribed, possibly with a non-speech tag.</param>
/// <param name="Emotion">The emotion's voice change at the intensity drawn.</param>
public sealed record UtteranceContent(CuePattern Cue, string SpokenText, string Transcript, ProsodyStyle Emotion);
