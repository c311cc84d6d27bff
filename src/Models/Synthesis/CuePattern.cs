namespace Orchestrator.Models.Synthesis;

/// <summary>
/// Which modality carries an utterance's emotion. Mixing them is what makes fusion necessary: a
/// text-only model misses <see cref="Vocal"/> utterances, an audio-only model misses <see cref="Lexical"/> ones.
/// </summary>
public enum CuePattern
{
    /// <summary>Neutral, or no emotion to carry: neutral words, neutral voice.</summary>
    None,

    /// <summary>Emotional words and an emotional voice.</summary>
    Both,

    /// <summary>Emotional words spoken in a nearly neutral voice.</summary>
    Lexical,

    /// <summary>Neutral words spoken in an emotional voice.</summary>
    Vocal,
}
