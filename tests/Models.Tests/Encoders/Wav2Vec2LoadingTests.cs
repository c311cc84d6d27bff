using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Encoders.Wav2Vec2;
using static Orchestrator.Models.Tests.Encoders.CheckpointVariants;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class Wav2Vec2LoadingTests
{
    [Fact]
    public void A_task_checkpoint_with_prefix_heads_and_parametrized_weight_norm_loads_to_the_same_outputs()
    {
        using var directory = new TempDirectory();
        Write(directory, "wav2vec2", tensors => tensors
            .Select(t => Entry("wav2vec2." + t.Key
                .Replace("conv.weight_g", "conv.parametrizations.weight.original0")
                .Replace("conv.weight_v", "conv.parametrizations.weight.original1"), t.Value))
            .Append(Entry("lm_head.weight", zeros(32, 48)))
            .Append(Entry("quantizer.codevectors", zeros(1, 4, 8)))
            .Append(Entry("project_q.weight", zeros(8, 8))));

        using var model = Wav2Vec2Model.FromPretrained(directory.Path);

        AssertMatchesReference(model, tolerance: Parity.Tolerance);
    }

    [Theory]
    [InlineData(ScalarType.Float16, 5e-2)]
    [InlineData(ScalarType.BFloat16, 3e-1)]
    public void Half_precision_weights_load_into_a_float32_model(ScalarType dtype, double tolerance)
    {
        using var directory = new TempDirectory();
        Write(directory, "wav2vec2", tensors => tensors.Select(t => Entry(t.Key, t.Value.to_type(dtype))));

        using var model = Wav2Vec2Model.FromPretrained(directory.Path);

        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        AssertMatchesReference(model, tolerance);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        using var directory = new TempDirectory();
        Write(directory, "wav2vec2", tensors => tensors.Where(t => t.Key != "encoder.layers.1.final_layer_norm.bias"));

        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Model.FromPretrained(directory.Path));

        Assert.Contains("missing tensors: encoder.layers.1.final_layer_norm.bias", error.Message);
    }

    [Fact]
    public void A_mis_shaped_tensor_is_named_with_both_shapes()
    {
        using var directory = new TempDirectory();
        Write(directory, "wav2vec2", tensors => tensors.Select(t =>
            t.Key == "encoder.layers.0.attention.q_proj.weight" ? Entry(t.Key, zeros(48, 24)) : t));

        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Model.FromPretrained(directory.Path));

        Assert.Contains("encoder.layers.0.attention.q_proj.weight (checkpoint [48, 24], model [48, 48])", error.Message);
    }

    [Fact]
    public void A_tensor_the_config_has_no_place_for_is_named()
    {
        using var directory = new TempDirectory();
        Write(directory, "wav2vec2", tensors => tensors.Append(Entry("encoder.layers.3.attention.k_proj.weight", zeros(48, 48))));

        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Model.FromPretrained(directory.Path));

        Assert.Contains("unexpected tensors: encoder.layers.3.attention.k_proj.weight", error.Message);
    }

    [Fact]
    public void Both_weight_norm_spellings_at_once_are_refused()
    {
        using var directory = new TempDirectory();
        Write(directory, "wav2vec2", tensors => tensors.Append(
            Entry("encoder.pos_conv_embed.conv.parametrizations.weight.original0", zeros(1, 1, 16))));

        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Model.FromPretrained(directory.Path));

        Assert.Contains("encoder.pos_conv_embed.conv.weight_g", error.Message);
        Assert.Contains("parametrizations.weight.original0", error.Message);
    }

    [Fact]
    public void A_config_that_is_not_json_is_named()
    {
        using var directory = new TempDirectory();
        Write(directory, "wav2vec2", tensors => tensors);
        File.WriteAllText(directory.File("config.json"), "{ \"hidden_size\": 48, ");

        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Model.FromPretrained(directory.Path));

        Assert.Contains("config.json is not valid JSON", error.Message);
    }

    [Fact]
    public void A_config_with_a_wrongly_typed_field_is_named()
    {
        using var directory = new TempDirectory();
        Write(directory, "wav2vec2", tensors => tensors);
        File.WriteAllText(directory.File("config.json"), "{ \"hidden_size\": \"big\" }");

        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Model.FromPretrained(directory.Path));

        Assert.Contains("'hidden_size' must be an integer", error.Message);
    }

    [Fact]
    public void A_folder_without_weights_says_which_files_it_looked_for()
    {
        using var directory = new TempDirectory();
        File.Copy(Fixtures.File("wav2vec2", "config.json"), directory.File("config.json"));

        var error = Assert.Throws<CheckpointException>(() => Wav2Vec2Model.FromPretrained(directory.Path));

        Assert.Contains("model.safetensors", error.Message);
        Assert.Contains("pytorch_model.bin", error.Message);
    }

    [Fact]
    public void Sharded_safetensors_load_through_their_index()
    {
        using var directory = new TempDirectory();
        File.Copy(Fixtures.File("wav2vec2", "config.json"), directory.File("config.json"));
        using (var scope = NewDisposeScope())
        using (var source = SafeTensorsFile.Open(Fixtures.File("wav2vec2", "model.safetensors")))
        {
            var all = source.Tensors.Select(t => Entry(t.Key, t.Value.Read())).ToList();
            var shards = new[] { all.Where((_, i) => i % 2 == 0).ToList(), all.Where((_, i) => i % 2 == 1).ToList() };
            var map = new Dictionary<string, string>();
            for (var s = 0; s < 2; s++)
            {
                var name = $"model-0000{s + 1}-of-00002.safetensors";
                SafeTensorsWriter.Write(directory.File(name), shards[s]);
                foreach (var t in shards[s]) map[t.Key] = name;
            }
            File.WriteAllText(directory.File("model.safetensors.index.json"),
                System.Text.Json.JsonSerializer.Serialize(new { metadata = new { total_size = 0 }, weight_map = map }));
        }

        using var model = Wav2Vec2Model.FromPretrained(directory.Path);

        AssertMatchesReference(model, Parity.Tolerance);
    }

    private static void AssertMatchesReference(Wav2Vec2Model model, double tolerance)
    {
        using var reference = SafeTensorsFile.Open(Fixtures.File("wav2vec2", "reference.safetensors"));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var output = model.forward(reference.Tensors["wave1.input_values"].Read().unsqueeze(0));
        for (var i = 0; i < output.HiddenStates.Count; i++)
        {
            var error = Parity.MaxAbsError(output.HiddenStates[i][0], reference.Tensors[$"wave1.hidden_states.{i}"].Read(), $"hidden_states.{i}");
            Assert.True(error <= tolerance, $"hidden_states.{i}: {error:e2} > {tolerance:e0}");
        }
    }
}
