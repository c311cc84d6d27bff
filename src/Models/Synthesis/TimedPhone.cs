namespace Orchestrator.Models.Synthesis;

/// <summary>One segment of synthesised speech, timed by the synthesiser itself (not by an aligner).</summary>
/// <param name="Phone">Flite's phone name, lower case (<c>pau</c> for silence).</param>
/// <param name="Start">Start in seconds from the start of the wave.</param>
/// <param name="End">End in seconds; equals the next phone's start.</param>
/// <param name="Word">Index into <see cref="SynthesizedSpeech.Words"/>, or -1 for a pause.</param>
/// <param name="Syllable">Index of the syllable over the whole utterance, or -1 for a pause.</param>
public sealed record TimedPhone(string Phone, double Start, double End, int Word, int Syllable)
{
    /// <summary>Flite's silence phone.</summary>
    public bool IsPause => Word < 0;
}
