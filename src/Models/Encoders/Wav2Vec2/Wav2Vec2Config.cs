using Orchestrator.Models.Encoders.Checkpoints;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>
/// The fields of a wav2vec 2.0 <c>config.json</c> that shape the base model. Defaults are those of
/// HF's <c>Wav2Vec2Config</c> (= wav2vec2-base).
/// </summary>
public sealed record Wav2Vec2Config
{
    public int HiddenSize { get; init; } = 768;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;
    public string HiddenAct { get; init; } = "gelu";
    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary><c>group</c>: GroupNorm in the first conv block only (base); <c>layer</c>: LayerNorm in every block (large-lv60).</summary>
    public string FeatExtractNorm { get; init; } = "group";
    public string FeatExtractActivation { get; init; } = "gelu";
    public int[] ConvDim { get; init; } = [512, 512, 512, 512, 512, 512, 512];
    public int[] ConvKernel { get; init; } = [10, 3, 3, 3, 3, 2, 2];
    public int[] ConvStride { get; init; } = [5, 2, 2, 2, 2, 2, 2];
    public bool ConvBias { get; init; }

    public int NumConvPosEmbeddings { get; init; } = 128;
    public int NumConvPosEmbeddingGroups { get; init; } = 16;

    /// <summary>false: post-LN layers, LayerNorm before layer 1 (base); true: pre-LN layers, LayerNorm after the last (large-lv60).</summary>
    public bool DoStableLayerNorm { get; init; }

    /// <summary>Samples between two output frames (320 for every released checkpoint: 20 ms at 16 kHz).</summary>
    public int HopSamples => ConvStride.Aggregate(1, (a, s) => a * s);

    /// <summary>Samples one output frame sees (400 for the released checkpoints).</summary>
    public int ReceptiveFieldSamples
    {
        get
        {
            // Walking back from the output: each layer widens the field by (kernel - 1) input steps of its input's hop.
            var width = 1;
            for (var i = ConvKernel.Length - 1; i >= 0; i--) width = (width - 1) * ConvStride[i] + ConvKernel[i];
            return width;
        }
    }

    /// <summary>Output frames for a waveform of <paramref name="samples"/> samples (0 when too short).</summary>
    public int FrameCount(int samples)
    {
        var length = samples;
        for (var i = 0; i < ConvKernel.Length; i++)
        {
            if (length < ConvKernel[i]) return 0;
            length = (length - ConvKernel[i]) / ConvStride[i] + 1;
        }
        return length;
    }

    /// <summary>Reads and checks a wav2vec 2.0 <c>config.json</c>.</summary>
    public static Wav2Vec2Config Load(string path)
    {
        var json = JsonConfig.Load(path);
        var modelType = json.String("model_type", "wav2vec2");
        if (modelType != "wav2vec2")
            throw new CheckpointException($"{path}: model_type '{modelType}' is not wav2vec2.");
        if (json.Bool("add_adapter", false))
            throw new CheckpointException($"{path}: add_adapter=true (an adapter after the encoder) is not supported.");
        if (json.Has("adapter_attn_dim"))
            throw new CheckpointException($"{path}: adapter_attn_dim (per-layer attention adapters) is not supported.");

        var defaults = new Wav2Vec2Config();
        var config = new Wav2Vec2Config
        {
            HiddenSize = json.Int("hidden_size", defaults.HiddenSize),
            NumHiddenLayers = json.Int("num_hidden_layers", defaults.NumHiddenLayers),
            NumAttentionHeads = json.Int("num_attention_heads", defaults.NumAttentionHeads),
            IntermediateSize = json.Int("intermediate_size", defaults.IntermediateSize),
            HiddenAct = json.String("hidden_act", defaults.HiddenAct),
            LayerNormEps = json.Double("layer_norm_eps", defaults.LayerNormEps),
            FeatExtractNorm = json.String("feat_extract_norm", defaults.FeatExtractNorm),
            FeatExtractActivation = json.String("feat_extract_activation", defaults.FeatExtractActivation),
            ConvDim = json.IntArray("conv_dim", defaults.ConvDim),
            ConvKernel = json.IntArray("conv_kernel", defaults.ConvKernel),
            ConvStride = json.IntArray("conv_stride", defaults.ConvStride),
            ConvBias = json.Bool("conv_bias", defaults.ConvBias),
            NumConvPosEmbeddings = json.Int("num_conv_pos_embeddings", defaults.NumConvPosEmbeddings),
            NumConvPosEmbeddingGroups = json.Int("num_conv_pos_embedding_groups", defaults.NumConvPosEmbeddingGroups),
            DoStableLayerNorm = json.Bool("do_stable_layer_norm", defaults.DoStableLayerNorm),
        };
        return json.Validated(config, config.Validate);
    }

    /// <summary>Checks the contracts the modules rely on; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        if (HiddenSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 || IntermediateSize <= 0)
            throw new ArgumentException("hidden_size, num_hidden_layers, num_attention_heads and intermediate_size must be positive.");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}.");
        if (ConvDim.Length == 0 || ConvDim.Length != ConvKernel.Length || ConvDim.Length != ConvStride.Length)
            throw new ArgumentException($"conv_dim, conv_kernel and conv_stride must have one equal, non-zero length (found {ConvDim.Length}, {ConvKernel.Length}, {ConvStride.Length}).");
        if (ConvDim.Concat(ConvKernel).Concat(ConvStride).Any(v => v <= 0))
            throw new ArgumentException("conv_dim, conv_kernel and conv_stride must be positive.");
        if (FeatExtractNorm is not ("group" or "layer"))
            throw new ArgumentException($"feat_extract_norm '{FeatExtractNorm}' must be 'group' or 'layer'.");
        if (NumConvPosEmbeddings <= 0 || NumConvPosEmbeddingGroups <= 0 || HiddenSize % NumConvPosEmbeddingGroups != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not divisible by num_conv_pos_embedding_groups {NumConvPosEmbeddingGroups}.");
        _ = Activations.Get(HiddenAct);
        _ = Activations.Get(FeatExtractActivation);
    }
}
