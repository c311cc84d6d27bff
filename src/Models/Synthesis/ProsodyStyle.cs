namespace Orchestrator.Models.Synthesis;

/// <summary>
/// How an emotion changes a voice, relative to that voice's own defaults.
/// </summary>
/// <param name="Rate">Duration factor: above 1 speaks slower (Flite's <c>duration_stretch</c> multiplier).</param>
/// <param name="Pitch">Multiplier of the voice's mean F0.</param>
/// <param name="Range">Multiplier of the voice's F0 standard deviation: intonation liveliness.</param>
/// <param name="LevelDb">Gain of the active speech level, in dB.</param>
public sealed record ProsodyStyle(double Rate, double Pitch, double Range, double LevelDb)
{
    /// <summary>The voice as it comes.</summary>
    public static readonly ProsodyStyle Neutral = new(1.0, 1.0, 1.0, 0.0);

    /// <summary>
    /// A fraction of this style's departure from neutral: 0 gives neutral, 1 this style. Factors are
    /// scaled in the log domain so that halfway between 0.8 and 1 is their geometric mean.
    /// </summary>
    public ProsodyStyle Scaled(double intensity) => new(
        Math.Pow(Rate, intensity), Math.Pow(Pitch, intensity), Math.Pow(Range, intensity), LevelDb * intensity);

    /// <summary>Both styles applied one after the other (a speaker's habits, then an emotion).</summary>
    public ProsodyStyle Then(ProsodyStyle other) => new(
        Rate * other.Rate, Pitch * other.Pitch, Range * other.Range, LevelDb + other.LevelDb);
}
