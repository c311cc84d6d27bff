using System.Runtime.InteropServices;
using Orchestrator.Models.Audio;
using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Tests.Encoders;
using TorchSharp;

namespace Orchestrator.Client.Tests.Commands;

/// <summary><c>orchestrator encode</c> against the golden HuggingFace outputs of the tiny fixtures.</summary>
public sealed class EncodeCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchestrator-encode-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Encode_wav_writes_every_hidden_state_as_huggingface_computes_it()
    {
        using var reference = SafeTensorsFile.Open(Fixtures.File("wav2vec2", "reference.safetensors"));
        var samples = reference.Tensors["wave1.input_values"].Read().data<float>().ToArray();
        var wav = Path.Combine(_work.FullName, "wave1.wav");
        WavWriter.Write(wav, formatTag: 3, channels: 1, sampleRate: 16000, bitsPerSample: 32, MemoryMarshal.AsBytes(samples.AsSpan()));
        var output = Path.Combine(_work.FullName, "wave1.safetensors");
        // The golden outputs were computed from the raw waveform: a copy of the checkpoint whose
        // preprocessor does not normalise must reproduce them through the whole CLI path.
        var model = Directory.CreateDirectory(Path.Combine(_work.FullName, "model")).FullName;
        foreach (var file in Directory.GetFiles(Fixtures.Folder("wav2vec2")))
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)));
        File.WriteAllText(Path.Combine(model, "preprocessor_config.json"), """{"do_normalize": false, "sampling_rate": 16000}""");

        var result = await CliRunner.RunAsync("encode", "--checkpoint", model, "--wav", wav, "--out", output);

        Assert.True(result.ExitCode == 0, result.Error);
        using var written = SafeTensorsFile.Open(output);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"hidden_states.{i}").Order(), written.Tensors.Keys.Order());
        for (var layer = 0; layer <= 3; layer++)
        {
            using var expected = reference.Tensors[$"wave1.hidden_states.{layer}"].Read();   // (T, H)
            using var actual = written.Tensors[$"hidden_states.{layer}"].Read();
            Assert.Equal(torch.ScalarType.Float32, actual.dtype);
            Assert.Equal([36L, 48L], actual.shape);
            Assert.True(actual.allclose(expected, rtol: 0, atol: 2e-5), $"hidden_states.{layer} differs by {(actual - expected).abs().max().item<float>()}");
        }
    }

    [Fact]
    public async Task Encode_text_writes_input_ids_and_hidden_states_equal_to_the_reference()
    {
        var output = Path.Combine(_work.FullName, "text.safetensors");

        var result = await CliRunner.RunAsync("encode", "--model", Fixtures.Folder("bert-prefixed"),
            "--text", "Hello world, how are you? Unaffable café.", "--out", output);

        Assert.True(result.ExitCode == 0, result.Error);
        using var reference = SafeTensorsFile.Open(Fixtures.File("bert", "reference.safetensors"));
        using var written = SafeTensorsFile.Open(output);
        var ids = written.Tensors["input_ids"].Read().data<long>().ToArray();
        Assert.Equal([2L, 22, 23, 6, 24, 25, 26, 8, 40, 50, 49, 39, 5, 3], ids);
        for (var layer = 0; layer <= 2; layer++)
        {
            using var expected = reference.Tensors[$"hidden_states.{layer}"].Read()[1, ..14];   // (T, H), sequence 1 unpadded
            using var actual = written.Tensors[$"hidden_states.{layer}"].Read();
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(actual.allclose(expected, rtol: 0, atol: 2e-5), $"hidden_states.{layer} differs by {(actual - expected).abs().max().item<float>()}");
        }
    }

    [Fact]
    public async Task Encode_needs_exactly_one_input()
    {
        var result = await CliRunner.RunAsync("encode", "--model", Fixtures.Folder("bert"), "--out", Path.Combine(_work.FullName, "x.safetensors"));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("exactly one of --wav", result.Error);
    }

    [Fact]
    public async Task Encode_a_corrupt_wav_fails_naming_the_file_and_writes_nothing()
    {
        var wav = Path.Combine(_work.FullName, "broken.wav");
        File.WriteAllText(wav, "not a wav file");
        var output = Path.Combine(_work.FullName, "broken.safetensors");

        var result = await CliRunner.RunAsync("encode", "--model", Fixtures.Folder("wav2vec2"), "--wav", wav, "--out", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("broken.wav", result.Error);
        Assert.False(File.Exists(output));
    }
}
