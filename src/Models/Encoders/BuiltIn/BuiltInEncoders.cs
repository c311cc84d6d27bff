using System.Text.Json;
using Orchestrator.Models.Encoders.Bert;
using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Encoders.Wav2Vec2;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.BuiltIn;

/// <summary>
/// Tiny wav2vec 2.0 and BERT encoders that need no download, so that the demo and the tests run on
/// a machine without pre-trained checkpoints. Neither is pre-trained: the speech encoder is a fixed
/// filter bank (log band energies and deltas, <see cref="BandEnergyFrontEnd"/>) in wav2vec 2.0's
/// layout, the text encoder a BERT with weights drawn from a fixed seed. Their features are enough
/// to exercise and compare the pipeline on the synthetic corpus, never to quote as results. They are written once as ordinary HF checkpoint folders
/// (config, safetensors weights, vocabulary), so they load, fingerprint and cache exactly like real ones.
/// </summary>
public static class BuiltInEncoders
{
    /// <summary>Name the CLI accepts in place of a checkpoint (<c>--wav2vec2 builtin</c>).</summary>
    public const string Name = "builtin";

    /// <summary>Changes when the built-in architectures, seeds or vocabulary change: part of the folder name.</summary>
    private const int Version = 3;

    private const int Seed = 20220918;

    /// <summary>Whether <paramref name="folderOrId"/> names the built-in encoders.</summary>
    public static bool IsBuiltIn(string folderOrId) => string.Equals(folderOrId, Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A wav2vec 2.0 whose feature encoder is a fixed filter bank giving log band energies and
    /// their deltas, and whose transformer layers pass them through (<see cref="BandEnergyFrontEnd"/>):
    /// not pre-trained on speech, but keeping the pitch, intonation and rate cues emotion changes.
    /// </summary>
    public static Wav2Vec2Config SpeechConfig => BandEnergyFrontEnd.Config;

    /// <summary>BERT-base's structure at width 64 and 4 layers.</summary>
    public static BertConfig TextConfig { get; } = new()
    {
        VocabSize = BuiltInVocabulary.Tokens.Count,
        HiddenSize = 64,
        NumHiddenLayers = 4,
        NumAttentionHeads = 4,
        IntermediateSize = 256,
    };

    /// <summary>
    /// The folder of the built-in speech encoder under <paramref name="cacheRoot"/> (default
    /// <c>~/.cache/orchestrator/builtin</c>), written on first use.
    /// </summary>
    public static string SpeechFolder(string? cacheRoot = null) =>
        Materialize(cacheRoot, "wav2vec2", folder =>
        {
            WriteJson(Path.Combine(folder, "config.json"), new Dictionary<string, object>
            {
                ["model_type"] = "wav2vec2",
                ["hidden_size"] = SpeechConfig.HiddenSize,
                ["num_hidden_layers"] = SpeechConfig.NumHiddenLayers,
                ["num_attention_heads"] = SpeechConfig.NumAttentionHeads,
                ["intermediate_size"] = SpeechConfig.IntermediateSize,
                ["conv_dim"] = SpeechConfig.ConvDim,
                ["conv_kernel"] = SpeechConfig.ConvKernel,
                ["conv_stride"] = SpeechConfig.ConvStride,
                ["feat_extract_norm"] = SpeechConfig.FeatExtractNorm,
                ["do_stable_layer_norm"] = SpeechConfig.DoStableLayerNorm,
                ["conv_bias"] = SpeechConfig.ConvBias,
                ["num_conv_pos_embeddings"] = SpeechConfig.NumConvPosEmbeddings,
                ["num_conv_pos_embedding_groups"] = SpeechConfig.NumConvPosEmbeddingGroups,
                ["untrained"] = true,
            });
            WriteJson(Path.Combine(folder, "preprocessor_config.json"), new Dictionary<string, object>
            {
                ["feature_extractor_type"] = "Wav2Vec2FeatureExtractor",
                ["feature_size"] = 1,
                ["sampling_rate"] = 16000,
                ["do_normalize"] = true,
            });
            using var model = Seeded(Seed, () => new Wav2Vec2Model(SpeechConfig));
            BandEnergyFrontEnd.Apply(model);
            SafeTensorsWriter.Write(Path.Combine(folder, "model.safetensors"), model.state_dict(),
                new Dictionary<string, string> { ["orchestrator"] = "built-in encoder: fixed band-energy filter bank, not pre-trained on speech" });
        });

    /// <summary>The folder of the built-in text encoder (see <see cref="SpeechFolder"/>).</summary>
    public static string TextFolder(string? cacheRoot = null) =>
        Materialize(cacheRoot, "bert", folder =>
        {
            WriteJson(Path.Combine(folder, "config.json"), new Dictionary<string, object>
            {
                ["model_type"] = "bert",
                ["vocab_size"] = TextConfig.VocabSize,
                ["hidden_size"] = TextConfig.HiddenSize,
                ["num_hidden_layers"] = TextConfig.NumHiddenLayers,
                ["num_attention_heads"] = TextConfig.NumAttentionHeads,
                ["intermediate_size"] = TextConfig.IntermediateSize,
                ["untrained"] = true,
            });
            WriteJson(Path.Combine(folder, "tokenizer_config.json"), new Dictionary<string, object> { ["do_lower_case"] = true });
            File.WriteAllLines(Path.Combine(folder, "vocab.txt"), BuiltInVocabulary.Tokens);
            using var model = Seeded(Seed + 1, () => new BertModel(TextConfig));
            SafeTensorsWriter.Write(Path.Combine(folder, "model.safetensors"), model.state_dict(), Untrained);
        });

    /// <summary>Whether a checkpoint folder holds one of the built-in (untrained) encoders.</summary>
    public static bool IsUntrained(string folder)
    {
        var config = Path.Combine(folder, "config.json");
        if (!File.Exists(config)) return false;
        using var json = JsonDocument.Parse(File.ReadAllBytes(config));
        return json.RootElement.TryGetProperty("untrained", out var flag) && flag.ValueKind == JsonValueKind.True;
    }

    private static readonly Dictionary<string, string> Untrained = new() { ["orchestrator"] = "built-in encoder, random weights (untrained)" };

    private static T Seeded<T>(int seed, Func<T> build) where T : nn.Module
    {
        var model = build();
        SeededInitialization.Apply(model, seed);
        return model;
    }

    /// <summary>Writes the folder once, atomically: built in a temporary sibling, then renamed.</summary>
    private static string Materialize(string? cacheRoot, string kind, Action<string> write)
    {
        var root = cacheRoot ?? Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "orchestrator", "builtin");
        var folder = Path.Combine(root, $"{kind}-v{Version}");
        if (Directory.Exists(folder)) return folder;
        var temporary = $"{folder}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(temporary);
        try
        {
            write(temporary);
            Directory.Move(temporary, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another process materialised the same folder first; theirs is identical.
            Directory.Delete(temporary, recursive: true);
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }
        return folder;
    }

    private static void WriteJson(string path, Dictionary<string, object> values) =>
        File.WriteAllText(path, JsonSerializer.Serialize(values, new JsonSerializerOptions { WriteIndented = true }));
}
