using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>Pads the per-utterance tensors of one stream into a <see cref="StreamBatch"/>, standardising them on the way if asked.</summary>
public static class StreamCollator
{
    /// <summary>
    /// <paramref name="items"/>: (L, N_b, H) each, any float dtype, every L and H equal, N_b &gt; 0.
    /// Returns values (B, L, max N, H) float32 on <paramref name="device"/>, zero-padded, and the mask
    /// (B, max N), true for real elements. Tensors are created in the caller's dispose scope.
    /// </summary>
    public static StreamBatch Collate(IReadOnlyList<Tensor> items, Device device, string stream)
    {
        var lengths = Check(items, stream);
        var sequences = items.Select(t => t.to(device).transpose(0, 1)).ToArray();            // B x (N_b, L, H)
        var padded = nn.utils.rnn.pad_sequence(sequences, batch_first: true);                 // (B, N, L, H)
        var values = padded.permute(0, 2, 1, 3).to_type(ScalarType.Float32).contiguous();     // (B, L, N, H)
        return new StreamBatch(values, Mask(lengths, device)) { ZeroPadded = true };   // pad_sequence pads with 0
    }

    /// <summary>
    /// <see cref="Collate"/> of the items standardised, item b with <paramref name="standardizers"/>[b]:
    /// values (x - mean) / (std + epsilon) as <see cref="Standardizer.Apply(Tensor, Tensor?)"/> gives
    /// them, bit for bit, and 0 at padded positions. Float32 CPU items are read, standardised and laid
    /// out in one pass into one tensor (the float operations are the same subtraction and division, so
    /// the rounding is too); others take <see cref="Standardizer.Apply(Tensor, Tensor?)"/> and <see cref="Collate"/>.
    /// </summary>
    public static StreamBatch Standardize(IReadOnlyList<Tensor> items, IReadOnlyList<Standardizer> standardizers, Device device, string stream)
    {
        ArgumentNullException.ThrowIfNull(standardizers);
        var lengths = Check(items, stream);
        if (standardizers.Count != items.Count)
            throw new ArgumentException($"{stream}: {standardizers.Count} standardisers for {items.Count} utterances.", nameof(standardizers));
        if (items.Any(t => t.device_type != TorchSharp.DeviceType.CPU || t.dtype != ScalarType.Float32 || !t.is_contiguous()))
            return Collate(items.Select((t, b) => standardizers[b].Apply(t)).ToList(), device, stream);

        var (layers, width, longest) = ((int)items[0].shape[0], (int)items[0].shape[2], (int)lengths.Max());
        var values = empty(items.Count, layers, longest, width, ScalarType.Float32, CPU);     // (B, L, N, H)
        var target = MemoryMarshal.Cast<byte, float>(values.bytes);
        for (var b = 0; b < items.Count; b++)
        {
            var (mean, scale) = standardizers[b].Values();                                     // (L * H) each
            if (mean.Length != layers * width)
                throw new ArgumentException($"{stream}: batch item {b} has {layers} layers of width {width}; its standardiser has {mean.Length} values.", nameof(standardizers));
            var source = MemoryMarshal.Cast<byte, float>(items[b].bytes);                      // (L, N_b, H)
            var n = (int)lengths[b];
            for (var l = 0; l < layers; l++)
            {
                var rows = target.Slice(((b * layers) + l) * longest * width, longest * width); // (N, H)
                Standardize(source.Slice(l * n * width, n * width), mean.AsSpan(l * width, width), scale.AsSpan(l * width, width), rows[..(n * width)]);
                rows[(n * width)..].Clear();                                                    // padding
            }
        }
        var batch = device.type == TorchSharp.DeviceType.CPU ? values : values.to(device);
        return new StreamBatch(batch, Mask(lengths, device)) { ZeroPadded = true };
    }

    /// <summary>Rows of width H: y = (x - mean) / scale per dimension, in float32 as libtorch's sub and div compute it.</summary>
    private static void Standardize(ReadOnlySpan<float> source, ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, Span<float> target)
    {
        var width = mean.Length;
        for (var row = 0; row < source.Length; row += width)
        {
            var x = source.Slice(row, width);
            var y = target.Slice(row, width);
            var h = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; h + 8 <= width; h += 8)
                    ((Vector256.Create(x.Slice(h, 8)) - Vector256.Create(mean.Slice(h, 8))) / Vector256.Create(scale.Slice(h, 8))).CopyTo(y.Slice(h, 8));
            for (; h < width; h++) y[h] = (x[h] - mean[h]) / scale[h];
        }
    }

    /// <summary>Checks the items; returns their lengths N_b.</summary>
    private static long[] Check(IReadOnlyList<Tensor> items, string stream)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException($"{stream}: a batch needs at least one utterance.", nameof(items));
        var (layers, width) = (items[0].shape[0], items[0].shape[2]);
        for (var b = 0; b < items.Count; b++)
        {
            var shape = items[b].shape;
            if (items[b].dim() != 3 || shape[0] != layers || shape[2] != width)
                throw new ArgumentException($"{stream}: batch item {b} is [{string.Join(", ", shape)}], expected [{layers}, N, {width}].", nameof(items));
            if (shape[1] == 0) throw new ArgumentException($"{stream}: batch item {b} has no elements.", nameof(items));
        }
        return items.Select(t => t.shape[1]).ToArray();
    }

    /// <summary>(B, N) bool, true for the first N_b positions of row b.</summary>
    private static Tensor Mask(long[] lengths, Device device)
    {
        using var positions = arange(lengths.Max(), device: device).unsqueeze(0);             // (1, N)
        using var counts = tensor(lengths, device: device).unsqueeze(1);                      // (B, 1)
        return positions < counts;                                                             // (B, N)
    }
}
