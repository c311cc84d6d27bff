using Orchestrator.Models.Features;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// Coattention early fusion, paper Eq. 4 (method.md section 5). For each speech stream i: its own
/// layer weighting of U_i, its own layer weighting of the text U_T (one text weighting per block,
/// as the paper's figure draws it, so each block can prefer different BERT layers), and its own
/// <see cref="CoattentionBlock"/> giving c_i (B, D). Then c = concat_i c_i,
/// g = LN(Dropout(ReLU(W4 c + b4)) + c), logits = W5 g + b5.
/// </summary>
/// <remarks>
/// Model width D = the text embedding width. A speech stream of another width is linearly projected
/// to D after its layer weighting (<see cref="WidthProjection"/>); the paper's setting (both 768)
/// has no projection. The dropout after ReLU(W4 c + b4) follows method.md section 6 (dropout after
/// every feed-forward layer except the output).
/// </remarks>
public sealed class CoattentionFusion : FusionModel
{
    private readonly ModuleDict<LayerWeighting> text_weighting;
    private readonly ModuleDict<LayerWeighting> speech_weighting;
    private readonly ModuleDict<Module<Tensor, Tensor>> projection;
    private readonly ModuleDict<CoattentionBlock> block;
    private readonly Linear fc;
    private readonly RunDropout dropout;
    private readonly LayerNorm norm;
    private readonly Linear output;
    private readonly StreamKind[] _speech;

    public CoattentionFusion(IReadOnlyList<StreamKind> streams, IReadOnlyDictionary<StreamKind, StreamShape> shapes, ModelOptions options)
        : base("coattention_fusion", ModelKind.Coattention, streams, shapes, options)
    {
        _speech = Streams.Where(s => s.IsSpeech()).ToArray();
        var width = shapes[StreamKind.Text].Width;
        text_weighting = ModuleDict(_speech.Select(s => (s.Name(), new LayerWeighting(shapes[StreamKind.Text], options.LayerWeighting, $"text for {s.Name()}"))).ToArray());
        speech_weighting = ModuleDict(_speech.Select(s => (s.Name(), new LayerWeighting(shapes[s], options.LayerWeighting, s.Name()))).ToArray());
        projection = ModuleDict(_speech.Select(s => (s.Name(), WidthProjection.Create(shapes[s].Width, width))).ToArray());
        block = ModuleDict(_speech.Select(s => (s.Name(), new CoattentionBlock(width, options, s.Name()))).ToArray());
        fc = Linear(_speech.Length * width, _speech.Length * width);
        dropout = new RunDropout(options.Dropout);
        norm = LayerNorm(_speech.Length * width);
        output = Linear(_speech.Length * width, options.Classes);
        RegisterComponents();
    }

    /// <summary>Text and speech streams (B, L_i, N_i, H_i) -> logits (B, C).</summary>
    public override Tensor forward(IReadOnlyDictionary<StreamKind, StreamBatch> batch)
    {
        var text = Input(batch, StreamKind.Text);
        var speech = _speech.Select(s => (Kind: s, Batch: Input(batch, s))).ToList();
        SameBatchSize(speech.Prepend((StreamKind.Text, text)));
        using var scope = NewDisposeScope();
        var pooled = new List<Tensor>(speech.Count);
        foreach (var (kind, stream) in speech)
        {
            var name = kind.Name();
            var t = text_weighting[name].forward(text);                                                // (B, Nt, D)
            var s = projection[name].forward(speech_weighting[name].forward(stream)); // (B, Ns, D)
            pooled.Add(block[name].forward(t, text.Mask, s, stream.Mask));                              // (B, D)
        }
        var c = cat(pooled, 1);                                                                          // (B, S*D)
        var g = norm.forward(dropout.forward(functional.relu(fc.forward(c))) + c);                       // (B, S*D)
        return output.forward(g).MoveToOuterDisposeScope();                                              // (B, C)
    }
}
