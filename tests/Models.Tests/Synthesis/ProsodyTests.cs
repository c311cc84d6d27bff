using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>The emotion's prosody must reach the audio, for every voice the corpus uses.</summary>
public sealed class ProsodyTests
{
    private const string Text = "The meeting is on Tuesday at noon.";
    private static readonly ProsodyStyle Angry = ProsodyStyles.Defaults["ang"];
    private static readonly ProsodyStyle Sad = ProsodyStyles.Defaults["sad"];

    [Theory]
    [InlineData(FliteVoice.Slt)]
    [InlineData(FliteVoice.Awb)]
    [InlineData(FliteVoice.Kal16)]
    public void SadStyle_SpeaksTheSameTextSlowerThanAngry(FliteVoice voice)
    {
        var angry = FliteSynthesizer.Shared.Synthesize(Text, voice, Angry, noiseSeed: 1);
        var sad = FliteSynthesizer.Shared.Synthesize(Text, voice, Sad, noiseSeed: 1);

        // Rates 1.25 and 0.85 predict a ratio of 1.47; pauses stretch a little differently.
        Assert.InRange(sad.Duration / angry.Duration, 1.3, 1.6);
    }

    [Theory]
    [InlineData(FliteVoice.Slt)]
    [InlineData(FliteVoice.Awb)]
    [InlineData(FliteVoice.Kal16)]
    public void PitchFactor_MovesTheFundamental(FliteVoice voice)
    {
        var low = FliteSynthesizer.Shared.Synthesize(Text, voice, ProsodyStyle.Neutral with { Pitch = 0.8 }, noiseSeed: 1);
        var high = FliteSynthesizer.Shared.Synthesize(Text, voice, ProsodyStyle.Neutral with { Pitch = 1.3 }, noiseSeed: 1);

        var ratio = PitchTrack.Median(PitchTrack.Voiced(high.Samples, high.SampleRate))
            / PitchTrack.Median(PitchTrack.Voiced(low.Samples, low.SampleRate));

        Assert.InRange(ratio, 1.3, 1.9); // 1.3 / 0.8 = 1.625
    }

    [Fact]
    public void SadRange_FlattensTheIntonation()
    {
        var lively = FliteSynthesizer.Shared.Synthesize(Text, FliteVoice.Slt, ProsodyStyle.Neutral with { Range = 1.8 }, noiseSeed: 1);
        var flat = FliteSynthesizer.Shared.Synthesize(Text, FliteVoice.Slt, ProsodyStyle.Neutral with { Range = 0.4 }, noiseSeed: 1);

        Assert.True(Spread(flat) < 0.6 * Spread(lively), $"F0 spread {Spread(flat):F1} Hz vs {Spread(lively):F1} Hz");
    }

    [Fact]
    public void AngryLevel_IsTenDecibelsAboveSad()
    {
        var angry = UtteranceRenderer.Render(Text, FliteVoice.Slt, Angry, noiseSeed: 1);
        var sad = UtteranceRenderer.Render(Text, FliteVoice.Slt, Sad, noiseSeed: 1);

        // Measured over the whole file, pauses included, not with the renderer's own meter.
        var difference = LevelMeter.RmsDb(angry.Samples) - LevelMeter.RmsDb(sad.Samples);

        Assert.InRange(difference, 8.5, 11.5);
    }

    /// <summary>Interquartile range of the voiced F0, in Hz.</summary>
    private static double Spread(SynthesizedSpeech speech)
    {
        var f0 = PitchTrack.Voiced(speech.Samples, speech.SampleRate).Order().ToList();
        return f0[f0.Count * 3 / 4] - f0[f0.Count / 4];
    }
}
