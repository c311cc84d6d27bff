namespace Orchestrator.Models.Synthesis;

/// <summary>Per-utterance ground truth a reader cannot see in the IEMOCAP files: which modality carries the emotion.</summary>
/// <param name="Id">Utterance id.</param>
/// <param name="RawLabel">Consensus category.</param>
/// <param name="Cue">Which modality carries the emotion.</param>
/// <param name="Voice">The Flite voice that spoke it.</param>
/// <param name="Text">What was spoken (the transcript without tags).</param>
public sealed record UtteranceTruth(string Id, string RawLabel, CuePattern Cue, FliteVoice Voice, string Text);
