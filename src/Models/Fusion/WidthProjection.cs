using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// Brings a speech stream to the text width where the two encoders differ (e.g. wav2vec 2.0 large,
/// 1024, with BERT base, 768): a learnable linear map applied after layer weighting. Where the widths
/// agree (the paper's base/base setting) it is the identity and adds no parameters.
/// </summary>
public static class WidthProjection
{
    /// <summary>Identity when <paramref name="from"/> equals <paramref name="to"/>, else Linear(from, to).</summary>
    public static Module<Tensor, Tensor> Create(int from, int to) => from == to ? Identity() : Linear(from, to);
}
