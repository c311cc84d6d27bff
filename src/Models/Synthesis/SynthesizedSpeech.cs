namespace Orchestrator.Models.Synthesis;

/// <summary>Audio and its exact phone, syllable and word timing, as one synthesis call produced them.</summary>
/// <param name="Samples">Mono samples in [-1, 1].</param>
/// <param name="SampleRate">Samples per second (16000 for every voice used).</param>
/// <param name="Phones">Every segment in order, pauses included; contiguous from 0.</param>
/// <param name="Words">Words as spoken, upper case as a CMU-dictionary aligner writes them.</param>
public sealed record SynthesizedSpeech(
    float[] Samples, int SampleRate, IReadOnlyList<TimedPhone> Phones, IReadOnlyList<string> Words)
{
    /// <summary>Length of the audio in seconds.</summary>
    public double Duration => Samples.Length / (double)SampleRate;
}
