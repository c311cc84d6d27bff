namespace Orchestrator.Models.Features.Store;

/// <summary>
/// The folder holds a store of a different extraction (fingerprint, dtype, layers or widths differ):
/// its features cannot be reused. Use another folder, or open with overwrite to clear it.
/// </summary>
public sealed class FeatureStoreMismatchException(string directory, IReadOnlyList<string> differences)
    : FeatureStoreException(
        $"{directory} holds features of a different extraction: {string.Join("; ", differences)}. "
        + "Use another folder, or overwrite it (orchestrator features extract --overwrite).")
{
    /// <summary>The store folder.</summary>
    public string Directory { get; } = directory;

    /// <summary>One line per differing field: <c>dtype: store F32, requested F16</c>.</summary>
    public IReadOnlyList<string> Differences { get; } = differences;
}
