using Orchestrator.Models.Features;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// Concatenation early fusion (method.md section 5, Table 3): the text and one speech sequence, each
/// after its own layer weighting, joined along the sequence axis (masks joined likewise) and fed to
/// one <see cref="Branch"/>. The paper pairs text with frames; any one speech stream is accepted.
/// A speech stream of another width than the text is linearly projected to the text width
/// (<see cref="WidthProjection"/>; identity in the paper's base/base setting).
/// </summary>
/// <remarks>
/// The joined sequence keeps each part's padding where it is (text, its padding, speech, its
/// padding); the branch is per element and its average reads the joined mask, so the order of
/// padding inside the sequence does not matter.
/// </remarks>
public sealed class ConcatFusion : FusionModel
{
    private readonly LayerWeighting text_weighting;
    private readonly LayerWeighting speech_weighting;
    private readonly Module<Tensor, Tensor> projection;
    private readonly Branch branch;
    private readonly StreamKind _speech;

    public ConcatFusion(IReadOnlyList<StreamKind> streams, IReadOnlyDictionary<StreamKind, StreamShape> shapes, ModelOptions options)
        : base("concat_fusion", ModelKind.Concat, streams, shapes, options)
    {
        _speech = Streams.Single(s => s.IsSpeech());
        var width = shapes[StreamKind.Text].Width;
        text_weighting = new LayerWeighting(shapes[StreamKind.Text], options.LayerWeighting, "text_weighting");
        speech_weighting = new LayerWeighting(shapes[_speech], options.LayerWeighting, "speech_weighting");
        projection = WidthProjection.Create(shapes[_speech].Width, width);
        branch = new Branch(width, options);
        RegisterComponents();
    }

    /// <summary>Text and one speech stream (B, L_i, N_i, H_i) -> logits (B, C).</summary>
    public override Tensor forward(IReadOnlyDictionary<StreamKind, StreamBatch> batch)
    {
        var text = Input(batch, StreamKind.Text);
        var speech = Input(batch, _speech);
        SameBatchSize([(StreamKind.Text, text), (_speech, speech)]);
        using var scope = NewDisposeScope();
        var t = text_weighting.forward(text);                                                   // (B, Nt, D)
        var s = projection.forward(speech_weighting.forward(speech));       // (B, Ns, D)
        var joined = cat([t, s], 1);                                                            // (B, Nt+Ns, D)
        var mask = cat([text.Mask, speech.Mask], 1);                                            // (B, Nt+Ns)
        return branch.forward(joined, mask).MoveToOuterDisposeScope();                          // (B, C)
    }
}
