namespace Orchestrator.Models.Synthesis;

/// <summary>Turns prosody into audio: Flite applies rate and pitch, this applies the level.</summary>
public static class UtteranceRenderer
{
    /// <summary>Active speech level of a neutral utterance of a speaker with no level habit: quiet enough
    /// that angry speech (+5 dB, plus jitter) stays below full scale, about where IEMOCAP's close-talk
    /// recordings sit.</summary>
    public const double ReferenceLevelDb = -30;

    /// <summary>Largest sample after level setting; louder results are scaled down whole rather than clipped.</summary>
    public const float PeakLimit = 0.98f;

    /// <summary>Speaks <paramref name="text"/> and sets its active level to the reference plus <see cref="ProsodyStyle.LevelDb"/>.</summary>
    public static SynthesizedSpeech Render(string text, FliteVoice voice, ProsodyStyle prosody, uint noiseSeed)
    {
        var speech = FliteSynthesizer.Shared.Synthesize(text, voice, prosody, noiseSeed);
        var samples = speech.Samples;
        var gain = (float)Math.Pow(10, (ReferenceLevelDb + prosody.LevelDb - LevelMeter.ActiveDb(samples)) / 20);
        var peak = 0f;
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] *= gain;
            peak = Math.Max(peak, Math.Abs(samples[i]));
        }
        if (peak > PeakLimit)
            for (var i = 0; i < samples.Length; i++) samples[i] *= PeakLimit / peak;
        return speech;
    }
}
