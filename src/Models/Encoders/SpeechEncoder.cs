using TorchSharp;
using Orchestrator.Models.Encoders.Wav2Vec2;
using Orchestrator.Models.Encoders.Hub;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders;

/// <summary>
/// A frozen wav2vec 2.0 checkpoint with its preprocessing: waveform in, every hidden state out
/// (method.md section 2). Batches are padded only for the layer-norm family: the base family's
/// GroupNorm spans the whole utterance, so there padding would change the result.
/// </summary>
public sealed class SpeechEncoder : IDisposable
{
    private readonly Device _device;

    private SpeechEncoder(Wav2Vec2Model model, Wav2Vec2FeatureExtractor preprocessor, Device device)
    {
        Model = model;
        Preprocessor = preprocessor;
        _device = device;
    }

    /// <summary>The network.</summary>
    public Wav2Vec2Model Model { get; }

    /// <summary>The checkpoint's waveform preprocessing.</summary>
    public Wav2Vec2FeatureExtractor Preprocessor { get; }

    /// <summary>The checkpoint's config (hop and receptive field for frame timing).</summary>
    public Wav2Vec2Config Config => Model.Config;

    /// <summary>Loads a folder or a hub model id (cached per <paramref name="hub"/>, default <see cref="HubOptions.FromEnvironment"/>).</summary>
    public static async Task<SpeechEncoder> LoadAsync(string folderOrId, HubOptions? hub = null, Device? device = null, CancellationToken cancellation = default)
    {
        using var resolver = new HubModelResolver(hub ?? HubOptions.FromEnvironment());
        return Load(await resolver.ResolveAsync(folderOrId, cancellation), device);
    }

    /// <summary>Loads a checkpoint folder (config.json, weights, preprocessor_config.json if any) onto <paramref name="device"/> (default CPU).</summary>
    public static SpeechEncoder Load(string folder, Device? device = null)
    {
        var preprocessor = Wav2Vec2FeatureExtractor.LoadOrDefault(folder);
        var model = Wav2Vec2Model.FromPretrained(folder);
        var target = device ?? CPU;
        model.to(target);
        return new SpeechEncoder(model, preprocessor, target);
    }

    /// <summary>
    /// Encodes one mono utterance: preprocessing as configured, then the model with gradients off.
    /// Returns (L + 1, T, H) on the CPU; intermediates are disposed before returning.
    /// </summary>
    public HiddenStates EncodeWave(ReadOnlySpan<float> samples, int sampleRate)
    {
        var input = Preprocessor.Process(samples, sampleRate);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var waveform = tensor(input, [1, input.Length]).to(_device);           // (1, S)
        using var output = Model.forward(waveform);                            // L + 1 x (1, T, H)
        var layers = stack(output.HiddenStates.Select(h => h[0]).ToArray()).cpu(); // (L + 1, T, H)
        return new HiddenStates(layers.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Encodes several utterances sampled at <paramref name="sampleRate"/>. For the layer-norm
    /// family they share one zero-padded, masked forward pass, which gives each the states it gets
    /// alone (to float rounding); the base family's GroupNorm spans the padding, so there each
    /// utterance runs alone. Each result holds only its own frames.
    /// </summary>
    public IReadOnlyList<HiddenStates> EncodeBatch(IReadOnlyList<float[]> waves, int sampleRate)
    {
        if (!Model.SupportsPadding || waves.Count <= 1) return waves.Select(w => EncodeWave(w, sampleRate)).ToList();

        var inputs = waves.Select(w => Preprocessor.Process(w, sampleRate)).ToList();
        var width = inputs.Max(i => i.Length);
        var samples = new float[inputs.Count * width];
        for (var b = 0; b < inputs.Count; b++) inputs[b].CopyTo(samples, b * width);
        var lengths = inputs.Select(i => (long)i.Length).ToArray();

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var batch = tensor(samples, new long[] { inputs.Count, width }).to(_device);   // (B, S)
        using var output = Model.forward(batch, lengths);                              // L + 1 x (B, T, H)
        var all = stack(output.HiddenStates.ToArray(), dim: 1).cpu();                  // (B, L + 1, T, H)
        var results = new List<HiddenStates>(inputs.Count);
        for (var b = 0; b < inputs.Count; b++)
        {
            var frames = Config.FrameCount(inputs[b].Length);
            results.Add(new HiddenStates(all[b, .., ..frames].contiguous().MoveToOuterDisposeScope())); // (L + 1, T_b, H)
        }
        return results;
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
