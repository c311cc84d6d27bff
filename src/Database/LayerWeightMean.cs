namespace Orchestrator.Database;

/// <summary>One learned layer weight of a configuration (<c>layer_weights</c>), averaged over its runs.</summary>
/// <param name="ConfigurationKey">The configuration.</param>
/// <param name="Module">The weighting module, one per stream: <c>weighting.frame</c>, <c>text_weighting.word</c>.</param>
/// <param name="Layer">The position in the module's weights, from 1: the encoder layers the store keeps, in order.</param>
/// <param name="Weight">The normalised weight, mean over the runs.</param>
/// <param name="Runs">The runs averaged.</param>
public sealed record LayerWeightMean(string ConfigurationKey, string Module, int Layer, double Weight, int Runs);
