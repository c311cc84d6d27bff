using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// One coattention layer (method.md section 5, paper Eq. 4): two branches of identical structure,
/// each a post-LN <see cref="EncoderLayer"/> with cross-modal attention: text queries over speech
/// keys/values, and speech queries over text keys/values. Both read the previous layer's two outputs.
/// </summary>
public sealed class CoattentionLayer : Module<Tensor, Tensor, Tensor, Tensor, (Tensor Text, Tensor Speech)>
{
    private readonly EncoderLayer text;
    private readonly EncoderLayer speech;

    public CoattentionLayer(int width, ModelOptions options, int index) : base($"layer{index}")
    {
        text = new EncoderLayer(width, options, "text");
        speech = new EncoderLayer(width, options, "speech");
        RegisterComponents();
    }

    /// <summary>Text (B, Nt, D) with mask (B, Nt), speech (B, Ns, D) with mask (B, Ns) -> the same two shapes.</summary>
    public override (Tensor Text, Tensor Speech) forward(Tensor textIn, Tensor textMask, Tensor speechIn, Tensor speechMask)
    {
        using var scope = NewDisposeScope();
        var t = text.forward(textIn, textMask, speechIn, speechMask);       // (B, Nt, D)
        var s = speech.forward(speechIn, speechMask, textIn, textMask);     // (B, Ns, D)
        return (t.MoveToOuterDisposeScope(), s.MoveToOuterDisposeScope());
    }
}
