using Orchestrator.Models.Encoders.Bert;
using Orchestrator.Models.Encoders.Checkpoints;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class BertParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Checkpoints => new()
    {
        { "bert", "model.safetensors" }, { "bert", "pytorch_model.bin" },
        { "bert-prefixed", "model.safetensors" }, { "bert-prefixed", "pytorch_model.bin" },
        { "bert-prefixed-modern", "model.safetensors" }, { "bert-prefixed-modern", "pytorch_model.bin" },
    };

    [Theory]
    [MemberData(nameof(Checkpoints))]
    public void Every_hidden_state_of_the_padded_batch_matches_the_reference_at_real_tokens(string fixture, string weightFile)
    {
        using var model = Load(fixture, weightFile);
        using var reference = SafeTensorsFile.Open(Fixtures.File(fixture, "reference.safetensors"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var mask = reference.Tensors["attention_mask"].Read();

        using var result = model.forward(reference.Tensors["input_ids"].Read(), reference.Tensors["token_type_ids"].Read(), mask);

        var worst = 0.0;
        Assert.Equal(model.Config.NumHiddenLayers + 1, result.HiddenStates.Count);
        for (var b = 0; b < mask.shape[0]; b++)
        {
            var valid = (int)mask[b].sum().item<long>();
            for (var i = 0; i < result.HiddenStates.Count; i++)
                worst = Math.Max(worst, Parity.AssertClose(result.HiddenStates[i][b, ..valid],
                    reference.Tensors[$"hidden_states.{i}"].Read()[b, ..valid], $"seq {b} hidden_states.{i}"));
            worst = Math.Max(worst, Parity.AssertClose(result.LastHiddenState[b, ..valid],
                reference.Tensors["last_hidden_state"].Read()[b, ..valid], $"seq {b} last_hidden_state"));
        }
        worst = Math.Max(worst, Parity.AssertClose(result.PoolerOutput!, reference.Tensors["pooler_output"].Read(), "pooler_output"));
        output.WriteLine($"{fixture}/{weightFile}: max abs error {worst:e2}");
    }

    [Fact]
    public void The_padded_sequence_run_alone_and_unpadded_matches_the_reference()
    {
        using var model = Load("bert", "model.safetensors");
        using var reference = SafeTensorsFile.Open(Fixtures.File("bert", "reference.safetensors"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var valid = (int)reference.Tensors["attention_mask"].Read()[1].sum().item<long>();
        var ids = reference.Tensors["input_ids"].Read()[1.., ..valid];                        // (1, 14)

        using var result = model.forward(ids);

        for (var i = 0; i < result.HiddenStates.Count; i++)
            Parity.AssertClose(result.HiddenStates[i][0], reference.Tensors[$"hidden_states.{i}"].Read()[1, ..valid], $"hidden_states.{i}");
        Parity.AssertClose(result.PoolerOutput![0], reference.Tensors["pooler_output"].Read()[1], "pooler_output");
    }

    [Fact]
    public void A_checkpoint_without_a_pooler_loads_without_one()
    {
        using var directory = new TempDirectory();
        CheckpointVariants.Write(directory, "bert", tensors => tensors.Where(t => !t.Key.StartsWith("pooler.")));

        using var model = BertModel.FromPretrained(directory.Path);
        using var noGrad = no_grad();
        using var result = model.forward(tensor(new long[,] { { 2, 10, 3 } }));

        Assert.False(model.HasPooler);
        Assert.Null(result.PoolerOutput);
    }

    [Fact]
    public void A_missing_layer_norm_is_named_by_its_model_name()
    {
        using var directory = new TempDirectory();
        CheckpointVariants.Write(directory, "bert", tensors => tensors.Where(t => t.Key != "encoder.layer.1.output.LayerNorm.weight"));

        var error = Assert.Throws<CheckpointException>(() => BertModel.FromPretrained(directory.Path));

        Assert.Contains("missing tensors: encoder.layer.1.output.LayerNorm.weight", error.Message);
    }

    private static BertModel Load(string fixture, string weightFile)
    {
        using var directory = new TempDirectory();
        File.Copy(Fixtures.File(fixture, "config.json"), directory.File("config.json"));
        File.Copy(Fixtures.File(fixture, weightFile), directory.File(weightFile));
        return BertModel.FromPretrained(directory.Path);
    }
}
