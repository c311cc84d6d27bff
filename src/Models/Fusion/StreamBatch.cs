using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// One stream of a padded mini-batch: <see cref="Values"/> (B, L, N, H) float32, every stored layer
/// of every element; <see cref="Mask"/> (B, N) bool, true where an element exists (false = padding).
/// Every utterance has at least one element.
/// </summary>
public sealed record StreamBatch(Tensor Values, Tensor Mask)
{
    /// <summary>
    /// True when every padded position of <see cref="Values"/> holds zero, as <c>StreamCollator</c>
    /// writes it: <see cref="LayerWeighting"/> then need not zero them again (a pass over the whole
    /// (B, L, N, H) input). False unless set; a copy made with <c>with { Values = ... }</c> keeps the
    /// flag, so set it anew for values that may hold anything there.
    /// </summary>
    public bool ZeroPadded { get; init; }

    /// <summary>B.</summary>
    public long BatchSize => Values.shape[0];

    /// <summary>Checks the shapes and dtypes; throws naming <paramref name="what"/>.</summary>
    public void Validate(string what)
    {
        if (Values.dim() != 4) throw new ArgumentException($"{what}: values must be (batch, layers, length, width), got {SafeTensorsFile.FormatShape(Values.shape)}.");
        if (Mask.dim() != 2 || Mask.shape[0] != Values.shape[0] || Mask.shape[1] != Values.shape[2])
            throw new ArgumentException($"{what}: mask {SafeTensorsFile.FormatShape(Mask.shape)} does not match values {SafeTensorsFile.FormatShape(Values.shape)} (expected (batch, length)).");
        if (Mask.dtype != ScalarType.Bool) throw new ArgumentException($"{what}: mask must be bool, got {Mask.dtype}.");
    }
}
