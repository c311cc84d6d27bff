using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Encoders.Wav2Vec2;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class Wav2Vec2ParityTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("model.safetensors")]
    [InlineData("pytorch_model.bin")]
    public void Every_hidden_state_matches_the_reference(string weightFile)
    {
        using var directory = new TempDirectory();
        File.Copy(Fixtures.File("wav2vec2", "config.json"), directory.File("config.json"));
        File.Copy(Fixtures.File("wav2vec2", weightFile), directory.File(weightFile));
        using var model = Wav2Vec2Model.FromPretrained(directory.Path);
        using var reference = SafeTensorsFile.Open(Fixtures.File("wav2vec2", "reference.safetensors"));

        var worst = 0.0;
        foreach (var wave in new[] { "wave0", "wave1" })
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var input = reference.Tensors[$"{wave}.input_values"].Read().unsqueeze(0);    // (1, S)

            using var result = model.forward(input);

            Assert.Equal(model.Config.NumHiddenLayers + 1, result.HiddenStates.Count);
            worst = Math.Max(worst, Parity.AssertClose(result.ExtractFeatures[0], reference.Tensors[$"{wave}.extract_features"].Read(), $"{wave}.extract_features"));
            for (var i = 0; i < result.HiddenStates.Count; i++)
                worst = Math.Max(worst, Parity.AssertClose(result.HiddenStates[i][0], reference.Tensors[$"{wave}.hidden_states.{i}"].Read(), $"{wave}.hidden_states.{i}"));
            worst = Math.Max(worst, Parity.AssertClose(result.LastHiddenState[0], reference.Tensors[$"{wave}.last_hidden_state"].Read(), $"{wave}.last_hidden_state"));
        }
        output.WriteLine($"wav2vec2 ({weightFile}): max abs error {worst:e2}");
    }
}
