using Orchestrator.Models.Encoders;
using Orchestrator.Models.Encoders.BuiltIn;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class BuiltInEncodersTests
{
    [Fact]
    public void Built_in_checkpoints_are_byte_identical_wherever_they_are_written()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        var a = BuiltInEncoders.SpeechFolder(first.Path);
        var b = BuiltInEncoders.SpeechFolder(second.Path);
        var c = BuiltInEncoders.TextFolder(first.Path);
        var d = BuiltInEncoders.TextFolder(second.Path);

        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "model.safetensors")), File.ReadAllBytes(Path.Combine(b, "model.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(c, "model.safetensors")), File.ReadAllBytes(Path.Combine(d, "model.safetensors")));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a, "model.safetensors")).Length, File.ReadAllBytes(Path.Combine(c, "model.safetensors")).Length);
    }

    [Fact]
    public void Built_in_encoders_load_like_checkpoints_and_say_they_are_untrained()
    {
        using var cache = new TempDirectory();
        var speechFolder = BuiltInEncoders.SpeechFolder(cache.Path);

        using var speech = SpeechEncoder.Load(speechFolder);
        using var text = TextEncoder.Load(BuiltInEncoders.TextFolder(cache.Path));
        var wave = Enumerable.Range(0, 16000).Select(i => MathF.Sin(i * 0.05f)).ToArray();
        using var states = speech.EncodeWave(wave, 16000);
        using var encoding = text.Encode("You broke the car and you didn't even say sorry!");

        Assert.True(BuiltInEncoders.IsUntrained(speechFolder));
        Assert.Equal((3, 45, 64), (states.LayerCount, states.Length, states.Width));
        Assert.Equal(320, speech.Config.HopSamples);
        Assert.Equal(1660, speech.Config.ReceptiveFieldSamples);
        Assert.DoesNotContain("[UNK]", encoding.Tokens.Tokens);
        Assert.Contains("broke", encoding.Tokens.Tokens);
        Assert.True(states.Layers.isfinite().all().item<bool>());
        Assert.True(states.Layers[^1].std().item<float>() > 0.1f, "the last layer should not collapse to a constant");
    }

    [Fact]
    public void The_built_in_speech_encoder_gives_the_log_energy_of_each_band_and_its_delta()
    {
        using var cache = new TempDirectory();
        using var speech = SpeechEncoder.Load(BuiltInEncoders.SpeechFolder(cache.Path));
        // Silence, then a 150 Hz + 1 kHz tone from 0.5 s on, then a louder stretch from 1.0 s: band
        // energies computed here in double, independently of the network's knots and pairs.
        var wave = new float[24000];
        for (var n = 8000; n < wave.Length; n++)
            wave[n] = (float)((n < 16000 ? 0.3 : 0.9) * (Math.Sin(2 * Math.PI * 150 * n / 16000.0) + 0.5 * Math.Sin(2 * Math.PI * 1000 * n / 16000.0)));
        var normalized = speech.Preprocessor.Process(wave, 16000);
        var reference = BandEnergyReference.LogEnergies(normalized);            // (frames, 32)

        using var states = speech.EncodeWave(wave, 16000);
        var features = states.Layers[1].to_type(ScalarType.Float64).data<double>().ToArray();   // (T, 64)
        var frames = (int)states.Length;

        Assert.Equal(reference.GetLength(0), frames);
        var worst = 0.0;
        for (var f = 0; f < frames; f++)
            for (var b = 0; b < BandEnergyFrontEnd.Bands; b++)
                worst = Math.Max(worst, Math.Abs(features[f * 64 + b] - reference[f, b]));
        Assert.True(worst < 0.3, $"log band energy off by up to {worst:F3} nats (the 6 dB knots allow 0.25)");

        var layout = BandEnergyFrontEnd.BandLayout();
        var middle = frames * 3 / 4;
        int Loudest(int from, int to) => Enumerable.Range(from, to - from).MaxBy(b => features[middle * 64 + b]);
        int Nearest(int from, int to, double hz) => Enumerable.Range(from, to - from).MinBy(b => Math.Abs(Math.Log(layout[b].Centre / hz)));
        Assert.Equal(Nearest(0, 12, 150), Loudest(0, 12));
        var aboveVoice = Enumerable.Range(12, 20).First(b => layout[b].Centre > 500);     // the 150 Hz tone fills the first mel bands
        Assert.Equal(Nearest(aboveVoice, 32, 1000), Loudest(aboveVoice, 32));
        // The tone starts at frame ~(8000 - 830) / 320 = 22: the delta of its band peaks there, and is ~0 in steady stretches.
        var band = Nearest(12, 32, 1000);
        var onset = Enumerable.Range(1, frames - 2).MaxBy(f => features[f * 64 + 32 + band]);
        Assert.InRange(onset, 20, 25);
        Assert.True(Math.Abs(features[(frames - 3) * 64 + 32 + band]) < 0.05);
    }

    [Fact]
    public void Words_outside_the_built_in_vocabulary_fall_back_to_characters()
    {
        using var cache = new TempDirectory();
        using var text = TextEncoder.Load(BuiltInEncoders.TextFolder(cache.Path));

        using var encoding = text.Encode("Zyxt quokka");

        Assert.DoesNotContain("[UNK]", encoding.Tokens.Tokens);
        Assert.Equal(["[CLS]", "z", "##y", "##x", "##t", "q", "##u", "##o", "##k", "##k", "##a", "[SEP]"], encoding.Tokens.Tokens);
    }
}

public sealed class TextEncoderBatchTests
{
    [Fact]
    public void A_padded_batch_gives_each_text_the_states_it_gets_alone()
    {
        using var encoder = TextEncoder.Load(Fixtures.Folder("bert"));
        string[] texts = ["Hello world, how are you?", "Short.", "A somewhat longer sentence with several more words in it."];

        var batch = encoder.EncodeBatch(texts);

        for (var i = 0; i < texts.Length; i++)
        {
            using var alone = encoder.Encode(texts[i]);
            Assert.Equal(alone.Tokens.Tokens, batch[i].Tokens.Tokens);
            Assert.Equal(alone.States.Layers.shape, batch[i].States.Layers.shape);
            Assert.True(Parity.MaxAbsError(batch[i].States.Layers, alone.States.Layers, texts[i]) < 1e-5);
            batch[i].Dispose();
        }
    }
}
