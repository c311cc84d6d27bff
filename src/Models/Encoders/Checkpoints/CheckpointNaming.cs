namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>
/// How the checkpoints of one model family name the base model's tensors.
/// </summary>
/// <param name="BasePrefix">The prefix task models (ForCTC, ForMaskedLM, ...) put before every base tensor: <c>wav2vec2.</c>, <c>bert.</c>.</param>
/// <param name="HeadPrefixes">Names of task heads stored beside an unprefixed base model (e.g. <c>lm_head.</c>); ignored.</param>
/// <param name="IgnoredNames">Base-model tensors that inference does not use (e.g. <c>masked_spec_embed</c>, the <c>position_ids</c> buffer); ignored.</param>
public sealed record CheckpointNaming(string BasePrefix, IReadOnlyList<string> HeadPrefixes, IReadOnlyList<string> IgnoredNames)
{
    /// <summary>
    /// The model's name for a stored base-model tensor, after the renames every HF loader applies:
    /// legacy TF LayerNorm names (<c>gamma</c>, <c>beta</c>) and the torch >= 2.1 weight-norm
    /// parametrization (<c>parametrizations.weight.original0/1</c> = <c>weight_g</c>/<c>weight_v</c>).
    /// </summary>
    public static string Canonical(string name)
    {
        if (name.EndsWith(".gamma", StringComparison.Ordinal)) return name[..^".gamma".Length] + ".weight";
        if (name.EndsWith(".beta", StringComparison.Ordinal)) return name[..^".beta".Length] + ".bias";
        if (name.EndsWith(".parametrizations.weight.original0", StringComparison.Ordinal))
            return name[..^".parametrizations.weight.original0".Length] + ".weight_g";
        if (name.EndsWith(".parametrizations.weight.original1", StringComparison.Ordinal))
            return name[..^".parametrizations.weight.original1".Length] + ".weight_v";
        return name;
    }
}
