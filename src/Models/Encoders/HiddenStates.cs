using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders;

/// <summary>
/// Every hidden state of one encoded utterance or text, as HF <c>output_hidden_states</c> lists
/// them: index 0 is the encoder input (embeddings), index i the output of layer i. One float32 CPU
/// tensor of shape (L + 1, T, H), owned by this object.
/// </summary>
public sealed class HiddenStates : IDisposable
{
    /// <summary>Takes ownership of a (L + 1, T, H) tensor.</summary>
    public HiddenStates(Tensor layers)
    {
        if (layers.dim() != 3) throw new ArgumentException($"Expected (layers, length, width), got {SafeTensorsFile.FormatShape(layers.shape)}.", nameof(layers));
        Layers = layers;
    }

    /// <summary>(L + 1, T, H).</summary>
    public Tensor Layers { get; }

    /// <summary>L + 1.</summary>
    public int LayerCount => (int)Layers.shape[0];

    /// <summary>T: frames or tokens.</summary>
    public int Length => (int)Layers.shape[1];

    /// <summary>H.</summary>
    public int Width => (int)Layers.shape[2];

    /// <summary>Hidden state <paramref name="layer"/> as a row-major (T, H) array.</summary>
    public float[] ToArray(int layer) => Layers[layer].contiguous().data<float>().ToArray();

    /// <summary>Writes the states as one safetensors tensor named <c>hidden_states</c> (L + 1, T, H).</summary>
    public void Save(string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafeTensorsWriter.Write(path, [new("hidden_states", Layers)], metadata);

    /// <inheritdoc />
    public void Dispose() => Layers.Dispose();
}
