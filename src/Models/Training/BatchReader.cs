using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>Reads, standardises and pads the streams of a mini-batch of utterances.</summary>
internal sealed class BatchReader(TrainingData data, Standardizers standardizers, Dictionary<string, LabelledItem> items, IReadOnlyList<StreamKind> streams, Device device)
{
    public Device Device => device;

    /// <summary>Inputs per stream and the labels (B) int64, created in the caller's dispose scope.</summary>
    public (Dictionary<StreamKind, StreamBatch> Inputs, Tensor Labels) Read(IReadOnlyList<string> ids)
    {
        var inputs = new Dictionary<StreamKind, StreamBatch>();
        foreach (var kind in streams)
        {
            // Standardised, padded and laid out in one pass (StreamCollator.Standardize), per-speaker or global statistics alike.
            var utterances = ids.Select(id => data.Read(id, kind)).ToList();                   // B x (L, N_b, H)
            try
            {
                var statistics = ids.Select(id => standardizers.For(kind, items[id].Speaker)).ToList();
                inputs[kind] = StreamCollator.Standardize(utterances, statistics, device, kind.Name()); // (B, L, N, H), (B, N)
            }
            finally
            {
                foreach (var utterance in utterances) utterance.Dispose();                      // copied: freed now, not with the batch
            }
        }
        var labels = tensor(ids.Select(id => (long)items[id].Label).ToArray(), device: device); // (B)
        return (inputs, labels);
    }
}
