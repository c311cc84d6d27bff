using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Orchestrator.Models.Encoders.Wav2Vec2;

/// <summary>
/// HF <c>Wav2Vec2Model</c> for inference: conv feature encoder, feature projection, transformer
/// encoder. Built from a config alone, so any size and either family (base / large-lv60) works;
/// parameter names equal HF's, so checkpoints load by name.
/// </summary>
public sealed class Wav2Vec2Model : Module<Tensor, long[]?, Wav2Vec2Output>
{
    /// <summary>How wav2vec 2.0 checkpoints name base-model tensors, heads and unused tensors.</summary>
    public static readonly CheckpointNaming Naming = new(
        BasePrefix: "wav2vec2.",
        HeadPrefixes: ["lm_head.", "quantizer.", "project_q.", "project_hid.", "classifier.", "projector.", "layer_weights", "tdnn.", "objective."],
        IgnoredNames: ["masked_spec_embed"]);

    private readonly FeatureEncoder feature_extractor;
    private readonly FeatureProjection feature_projection;
    private readonly Wav2Vec2TransformerEncoder encoder;

    public Wav2Vec2Model(Wav2Vec2Config config) : base(nameof(Wav2Vec2Model))
    {
        config.Validate();
        Config = config;
        feature_extractor = new FeatureEncoder(config);
        feature_projection = new FeatureProjection(config);
        encoder = new Wav2Vec2TransformerEncoder(config);
        RegisterComponents();
    }

    /// <summary>The config the model was built from.</summary>
    public Wav2Vec2Config Config { get; }

    /// <summary>Whether padded batches give every utterance the states it gets alone (layer-norm family).</summary>
    public bool SupportsPadding => Config.FeatExtractNorm == "layer";

    /// <summary>
    /// Builds the model from <c>config.json</c> and loads the folder's weights (see
    /// <see cref="CheckpointWeights"/>); returns it in eval mode with gradients off.
    /// </summary>
    public static Wav2Vec2Model FromPretrained(string folder)
    {
        var config = Wav2Vec2Config.Load(Path.Combine(folder, "config.json"));
        using var weights = CheckpointWeights.Open(folder);
        return StateDictLoader.LoadFrozen(new Wav2Vec2Model(config), MappedCheckpoint.Map(weights.Source, weights.Tensors, Naming));
    }

    /// <summary>
    /// (B, S) waveforms, already preprocessed -> every hidden state. Without
    /// <paramref name="lengths"/> every row is a whole utterance. With it, row b holds lengths[b]
    /// real samples followed by zeros; that is exact only for the layer-norm family
    /// (feat_extract_norm "layer"): the base family's GroupNorm spans the padded utterance, so there
    /// padding is refused.
    /// </summary>
    public override Wav2Vec2Output forward(Tensor waveforms, long[]? lengths = null)
    {
        if (waveforms.dim() != 2) throw new ArgumentException($"Expected (batch, samples), got {SafeTensorsFile.FormatShape(waveforms.shape)}.", nameof(waveforms));
        var minimum = Config.ReceptiveFieldSamples;
        if (waveforms.shape[1] < minimum)
            throw new ArgumentException($"A waveform of {waveforms.shape[1]} samples is shorter than one frame's receptive field ({minimum} samples).", nameof(waveforms));
        var padded = lengths is not null && lengths.Any(l => l != waveforms.shape[1]);
        if (lengths is not null && lengths.Length != waveforms.shape[0])
            throw new ArgumentException($"{lengths.Length} lengths for a batch of {waveforms.shape[0]}.", nameof(lengths));
        if (padded && !SupportsPadding)
            throw new ArgumentException("This checkpoint normalises over the whole utterance (feat_extract_norm \"group\"): padded batches would change its outputs; encode utterances one at a time.", nameof(lengths));
        if (padded && lengths!.Any(l => l < minimum || l > waveforms.shape[1]))
            throw new ArgumentException($"Every length must lie between one receptive field ({minimum}) and the batch width ({waveforms.shape[1]}).", nameof(lengths));

        using var scope = NewDisposeScope();
        var features = feature_extractor.forward(waveforms).transpose(1, 2);   // (B, T, C)
        var (projected, normalized) = feature_projection.forward(features);    // (B, T, H), (B, T, C)
        Tensor? frameMask = null;
        if (padded)
        {
            var frames = lengths!.Select(l => (long)Config.FrameCount((int)l)).ToArray();
            frameMask = arange(projected.shape[1], device: projected.device).unsqueeze(0)
                < tensor(frames, device: projected.device).unsqueeze(1);       // (B, T)
        }
        var states = encoder.forward(projected, frameMask);                    // L + 1 x (B, T, H)
        normalized.MoveToOuterDisposeScope();
        foreach (var state in states) state.MoveToOuterDisposeScope();
        return new Wav2Vec2Output(normalized, states);
    }
}
