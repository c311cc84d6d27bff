using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>Word + token-type + absolute position embeddings, then LayerNorm (= HF hidden_states[0]).</summary>
public sealed class BertEmbeddings : Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;

    public BertEmbeddings(BertConfig config) : base("embeddings")
    {
        word_embeddings = Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadTokenId);
        position_embeddings = Embedding(config.MaxPositionEmbeddings, config.HiddenSize);
        token_type_embeddings = Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>(B, L) token ids and (B, L) token types -> (B, L, H); positions are 0..L-1.</summary>
    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var positions = arange(inputIds.shape[1], dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0); // (1, L)
        var embeddings = word_embeddings.forward(inputIds) + token_type_embeddings.forward(tokenTypeIds);          // (B, L, H)
        embeddings = embeddings + position_embeddings.forward(positions);
        return LayerNorm.forward(embeddings).MoveToOuterDisposeScope();
    }
}
