using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>Pads the per-utterance tensors of one stream into a <see cref="StreamBatch"/>.</summary>
public static class StreamCollator
{
    /// <summary>
    /// <paramref name="items"/>: (L, N_b, H) each, any float dtype, every L and H equal, N_b &gt; 0.
    /// Returns values (B, L, max N, H) float32 on <paramref name="device"/>, zero-padded, and the mask
    /// (B, max N), true for real elements. Tensors are created in the caller's dispose scope.
    /// </summary>
    public static StreamBatch Collate(IReadOnlyList<Tensor> items, Device device, string stream)
    {
        if (items.Count == 0) throw new ArgumentException($"{stream}: a batch needs at least one utterance.", nameof(items));
        var (layers, width) = (items[0].shape[0], items[0].shape[2]);
        for (var b = 0; b < items.Count; b++)
        {
            var shape = items[b].shape;
            if (items[b].dim() != 3 || shape[0] != layers || shape[2] != width)
                throw new ArgumentException($"{stream}: batch item {b} is [{string.Join(", ", shape)}], expected [{layers}, N, {width}].", nameof(items));
            if (shape[1] == 0) throw new ArgumentException($"{stream}: batch item {b} has no elements.", nameof(items));
        }

        var lengths = items.Select(t => t.shape[1]).ToArray();
        var sequences = items.Select(t => t.to(device).transpose(0, 1)).ToArray();            // B x (N_b, L, H)
        var padded = nn.utils.rnn.pad_sequence(sequences, batch_first: true);                 // (B, N, L, H)
        var values = padded.permute(0, 2, 1, 3).to_type(ScalarType.Float32).contiguous();     // (B, L, N, H)
        var positions = arange(padded.shape[1], device: device).unsqueeze(0);                 // (1, N)
        var mask = positions < tensor(lengths, device: device).unsqueeze(1);                  // (B, N)
        return new StreamBatch(values, mask);
    }
}
