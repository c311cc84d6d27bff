using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>
/// HF <c>BertModel</c> for inference: embeddings, post-LN encoder, optional pooler. Built from a
/// config alone; parameter names equal HF's, so checkpoints load by name.
/// </summary>
public sealed class BertModel : Module<Tensor, Tensor?, Tensor?, BertOutput>
{
    /// <summary>How BERT checkpoints name base-model tensors, heads and unused buffers.</summary>
    public static readonly CheckpointNaming Naming = new(
        BasePrefix: "bert.",
        HeadPrefixes: ["cls.", "classifier.", "qa_outputs."],
        IgnoredNames: ["embeddings.position_ids", "embeddings.token_type_ids"]);

    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler? pooler;

    public BertModel(BertConfig config, bool addPooler = true) : base(nameof(BertModel))
    {
        config.Validate();
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        pooler = addPooler ? new BertPooler(config) : null;
        RegisterComponents();
    }

    /// <summary>The config the model was built from.</summary>
    public BertConfig Config { get; }

    /// <summary>Whether the model has a pooler (checkpoints saved from BertForMaskedLM lack one).</summary>
    public bool HasPooler => pooler is not null;

    /// <summary>
    /// Builds the model from <c>config.json</c> and loads the folder's weights; the pooler is built
    /// only if the checkpoint has one. Returns it in eval mode with gradients off.
    /// </summary>
    public static BertModel FromPretrained(string folder)
    {
        var config = BertConfig.Load(Path.Combine(folder, "config.json"));
        using var weights = CheckpointWeights.Open(folder);
        var mapped = MappedCheckpoint.Map(weights.Source, weights.Tensors, Naming);
        return StateDictLoader.LoadFrozen(new BertModel(config, addPooler: mapped.Tensors.ContainsKey("pooler.dense.weight")), mapped);
    }

    /// <summary>
    /// (B, L) token ids; token types (B, L), default all 0; attention mask (B, L), 1 = token,
    /// 0 = padding, default all 1 -> every hidden state and the pooler output. Padded positions are
    /// computed (they attend only to real tokens) as HF computes them.
    /// </summary>
    public override BertOutput forward(Tensor inputIds, Tensor? tokenTypeIds = null, Tensor? attentionMask = null)
    {
        if (inputIds.dim() != 2) throw new ArgumentException($"Expected (batch, length) ids, got {SafeTensorsFile.FormatShape(inputIds.shape)}.", nameof(inputIds));
        if (inputIds.shape[1] > Config.MaxPositionEmbeddings)
            throw new ArgumentException($"{inputIds.shape[1]} tokens exceed max_position_embeddings {Config.MaxPositionEmbeddings}; truncate first.", nameof(inputIds));
        if (tokenTypeIds is not null && !tokenTypeIds.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException("token_type_ids must have the shape of input_ids.", nameof(tokenTypeIds));
        if (attentionMask is not null && !attentionMask.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException("attention_mask must have the shape of input_ids.", nameof(attentionMask));

        using var scope = NewDisposeScope();
        var types = tokenTypeIds ?? zeros_like(inputIds);
        var hidden = embeddings.forward(inputIds, types);                                   // (B, L, H)
        // HF's extended mask: 0 for tokens, finfo.min for padding, on the key axis.
        var mask = attentionMask is null
            ? zeros(1, 1, 1, inputIds.shape[1], dtype: hidden.dtype, device: hidden.device)
            : (1 - attentionMask.to_type(hidden.dtype)).unsqueeze(1).unsqueeze(1) * float.MinValue; // (B, 1, 1, L)
        var states = encoder.forward(hidden, mask);                                          // L + 1 x (B, L, H)
        var pooled = pooler?.forward(states[^1]);                                            // (B, H)
        foreach (var state in states) state.MoveToOuterDisposeScope();
        pooled?.MoveToOuterDisposeScope();
        return new BertOutput(states, pooled);
    }
}
