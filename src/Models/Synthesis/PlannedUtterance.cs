namespace Orchestrator.Models.Synthesis;

/// <summary>Everything decided about one utterance before any audio exists.</summary>
/// <param name="Id">IEMOCAP-style id, e.g. <c>Ses01F_impro01_F000</c>.</param>
/// <param name="Session">1 to 5.</param>
/// <param name="Dialog">The id minus its last field.</param>
/// <param name="Speaker">Who speaks it (its gender is the id's letter).</param>
/// <param name="RawLabel">Consensus category as the EmoEvaluation file states it.</param>
/// <param name="Cue">Which modality carries the emotion.</param>
/// <param name="SpokenText">What Flite says.</param>
/// <param name="Transcript">What the transcription file says: the spoken text, maybe with a bracketed tag.</param>
/// <param name="Prosody">Speaker habits, emotion and jitter combined.</param>
/// <param name="Annotation">Evaluator votes for the EmoEvaluation block.</param>
/// <param name="GapBefore">Seconds of dialog between the previous utterance (or the dialog's start) and this one.</param>
/// <param name="NoiseSeed">Seeds the synthesiser's excitation noise.</param>
/// <param name="AlignmentSeed">Seeds the alignment's scores and pronunciation variants.</param>
/// <param name="HasAlignment">False for the few utterances written without ForcedAlignment files.</param>
public sealed record PlannedUtterance(
    string Id,
    int Session,
    string Dialog,
    SpeakerVoice Speaker,
    string RawLabel,
    CuePattern Cue,
    string SpokenText,
    string Transcript,
    ProsodyStyle Prosody,
    EmoAnnotation Annotation,
    double GapBefore,
    uint NoiseSeed,
    ulong AlignmentSeed,
    bool HasAlignment);
