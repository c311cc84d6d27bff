using Orchestrator.Models.Encoders;
using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class EncoderFacadeTests
{
    [Fact]
    public void EncodeWave_without_normalisation_reproduces_the_reference_hidden_states()
    {
        using var directory = new TempDirectory().WithFixture("wav2vec2");
        File.WriteAllText(directory.File("preprocessor_config.json"), "{\"do_normalize\": false, \"sampling_rate\": 16000}");
        using var encoder = SpeechEncoder.Load(directory.Path);
        using var reference = SafeTensorsFile.Open(Fixtures.File("wav2vec2", "reference.safetensors"));
        using var wave = reference.Tensors["wave1.input_values"].Read();

        using var states = encoder.EncodeWave(wave.data<float>().ToArray(), 16000);

        Assert.Equal(4, states.LayerCount);
        Assert.Equal(encoder.Config.FrameCount((int)wave.shape[0]), states.Length);
        for (var i = 0; i < states.LayerCount; i++)
            Parity.AssertClose(states.Layers[i], reference.Tensors[$"wave1.hidden_states.{i}"].Read(), $"hidden_states.{i}");
    }

    [Fact]
    public void EncodeWave_normalises_as_the_checkpoint_says_before_the_model()
    {
        using var encoder = SpeechEncoder.Load(Fixtures.Folder("wav2vec2"));
        using var reference = SafeTensorsFile.Open(Fixtures.File("wav2vec2", "reference.safetensors"));
        using var scope = NewDisposeScope();
        var raw = reference.Tensors["wave0.input_values"].Read();
        var normalized = reference.Tensors["wave0.input_values_normalized"].Read();

        using var states = encoder.EncodeWave(raw.data<float>().ToArray(), 16000);

        using var noGrad = no_grad();
        using var direct = encoder.Model.forward(normalized.unsqueeze(0));
        Assert.True(Parity.MaxAbsError(states.Layers[^1], direct.LastHiddenState[0], "last") < 1e-4);
    }

    [Fact]
    public void The_frame_geometry_comes_from_the_conv_config()
    {
        using var encoder = SpeechEncoder.Load(Fixtures.Folder("wav2vec2"));

        Assert.Equal(320, encoder.Config.HopSamples);
        Assert.Equal(400, encoder.Config.ReceptiveFieldSamples);
        Assert.Equal(49, encoder.Config.FrameCount(16000));
    }

    [Fact]
    public void Encode_text_reproduces_the_reference_for_a_single_sequence()
    {
        using var encoder = TextEncoder.Load(Fixtures.Folder("bert-prefixed"));
        using var reference = SafeTensorsFile.Open(Fixtures.File("bert", "reference.safetensors"));
        using var scope = NewDisposeScope();

        using var encoding = encoder.Encode("Hello world, how are you? Unaffable café.");

        Assert.Equal(14, encoding.States.Length);
        Assert.Equal("[CLS] hello world , how are you ? un ##aff ##able cafe . [SEP]", string.Join(' ', encoding.Tokens.Tokens));
        for (var i = 0; i < encoding.States.LayerCount; i++)
            Parity.AssertClose(encoding.States.Layers[i], reference.Tensors[$"hidden_states.{i}"].Read()[1, ..14], $"hidden_states.{i}");
    }

    [Fact]
    public void A_text_longer_than_the_model_is_truncated_reported_and_encoded()
    {
        using var encoder = TextEncoder.Load(Fixtures.Folder("bert"));
        var text = string.Join(' ', Enumerable.Repeat("hello world", 50));

        using var encoding = encoder.Encode(text);

        Assert.Equal(64, encoding.States.Length);
        Assert.Equal(100 - 62, encoding.Tokens.TruncatedTokens);
    }

    [Fact]
    public void Hidden_states_are_saved_as_one_safetensors_tensor()
    {
        using var encoder = TextEncoder.Load(Fixtures.Folder("bert"));
        using var directory = new TempDirectory();
        using var encoding = encoder.Encode("the cat sat");
        var path = directory.File("t.safetensors");

        encoding.States.Save(path, new Dictionary<string, string> { ["tokens"] = string.Join(' ', encoding.Tokens.Tokens) });

        using var file = SafeTensorsFile.Open(path);
        Assert.Equal([3L, 5L, 32L], file.Tensors["hidden_states"].Shape);
        Assert.Equal("[CLS] the cat sat [SEP]", file.Metadata["tokens"]);
        using var saved = file.Tensors["hidden_states"].Read();
        Assert.Equal(0.0, Parity.MaxAbsError(saved, encoding.States.Layers, "saved"));
    }
}
