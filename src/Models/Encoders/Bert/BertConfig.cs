using Orchestrator.Models.Encoders.Checkpoints;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>The fields of a BERT <c>config.json</c> that shape BertModel. Defaults are HF's <c>BertConfig</c> (= bert-base-uncased).</summary>
public sealed record BertConfig
{
    public int VocabSize { get; init; } = 30522;
    public int HiddenSize { get; init; } = 768;
    public int NumHiddenLayers { get; init; } = 12;
    public int NumAttentionHeads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;
    public string HiddenAct { get; init; } = "gelu";
    public int MaxPositionEmbeddings { get; init; } = 512;
    public int TypeVocabSize { get; init; } = 2;
    public double LayerNormEps { get; init; } = 1e-12;
    public int PadTokenId { get; init; }

    /// <summary>Reads and checks a BERT <c>config.json</c>; only absolute position embeddings are supported.</summary>
    public static BertConfig Load(string path)
    {
        var json = JsonConfig.Load(path);
        var modelType = json.String("model_type", "bert");
        if (modelType != "bert")
            throw new CheckpointException($"{path}: model_type '{modelType}' is not bert.");
        var positions = json.String("position_embedding_type", "absolute");
        if (positions != "absolute")
            throw new CheckpointException($"{path}: position_embedding_type '{positions}' is not supported (only absolute).");

        var defaults = new BertConfig();
        var config = new BertConfig
        {
            VocabSize = json.Int("vocab_size", defaults.VocabSize),
            HiddenSize = json.Int("hidden_size", defaults.HiddenSize),
            NumHiddenLayers = json.Int("num_hidden_layers", defaults.NumHiddenLayers),
            NumAttentionHeads = json.Int("num_attention_heads", defaults.NumAttentionHeads),
            IntermediateSize = json.Int("intermediate_size", defaults.IntermediateSize),
            HiddenAct = json.String("hidden_act", defaults.HiddenAct),
            MaxPositionEmbeddings = json.Int("max_position_embeddings", defaults.MaxPositionEmbeddings),
            TypeVocabSize = json.Int("type_vocab_size", defaults.TypeVocabSize),
            LayerNormEps = json.Double("layer_norm_eps", defaults.LayerNormEps),
            PadTokenId = json.Int("pad_token_id", defaults.PadTokenId),
        };
        return json.Validated(config, config.Validate);
    }

    /// <summary>Checks the contracts the modules rely on; throws <see cref="ArgumentException"/> naming the field.</summary>
    public void Validate()
    {
        if (VocabSize <= 0 || HiddenSize <= 0 || NumHiddenLayers <= 0 || NumAttentionHeads <= 0 || IntermediateSize <= 0
            || MaxPositionEmbeddings <= 0 || TypeVocabSize <= 0)
            throw new ArgumentException("vocab_size, hidden_size, num_hidden_layers, num_attention_heads, intermediate_size, max_position_embeddings and type_vocab_size must be positive.");
        if (HiddenSize % NumAttentionHeads != 0)
            throw new ArgumentException($"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}.");
        _ = Activations.Get(HiddenAct);
    }
}
