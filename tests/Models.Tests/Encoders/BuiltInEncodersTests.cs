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
        Assert.Equal((5, 49, 64), (states.LayerCount, states.Length, states.Width));
        Assert.Equal(320, speech.Config.HopSamples);
        Assert.Equal(400, speech.Config.ReceptiveFieldSamples);
        Assert.DoesNotContain("[UNK]", encoding.Tokens.Tokens);
        Assert.Contains("broke", encoding.Tokens.Tokens);
        Assert.True(states.Layers.isfinite().all().item<bool>());
        Assert.True(states.Layers[^1].std().item<float>() > 0.1f, "the last layer should not collapse to a constant");
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
