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
            if (standardizers.PerSpeaker)
            {
                var utterances = ids.Select(id =>
                {
                    using var raw = data.Read(id, kind);                               // (L, N, H)
                    return standardizers.Apply(kind, raw, items[id].Speaker);          // (L, N, H)
                }).ToList();
                inputs[kind] = StreamCollator.Collate(utterances, device, kind.Name()); // (B, L, N, H), (B, N)
            }
            else
            {
                // One set of tensor operations per batch rather than per utterance.
                var raw = StreamCollator.Collate(ids.Select(id => data.Read(id, kind)).ToList(), device, kind.Name()); // (B, L, N, H), (B, N)
                inputs[kind] = raw with { Values = standardizers.ApplyToBatch(kind, raw.Values, raw.Mask) };
            }
        }
        var labels = tensor(ids.Select(id => (long)items[id].Label).ToArray(), device: device); // (B)
        return (inputs, labels);
    }
}
