using Orchestrator.Models.Training;

namespace Orchestrator.Models.Grids;

/// <summary>
/// A sweep as a grid file describes it (<see cref="GridFile"/>): where its features come from, which
/// configurations to cross-validate on which folds, how often, and which pairs to combine. Every
/// path is absolute; every configuration is valid for its model and appears once.
/// </summary>
/// <param name="Name">The sweep's name (letters, digits, '.', '-', '_').</param>
/// <param name="Store">The feature store folder; null when <see cref="Corpus"/> is extracted first.</param>
/// <param name="Corpus">The IEMOCAP-layout corpus to extract with <see cref="Encoders"/>; null when <see cref="Store"/> is given.</param>
/// <param name="Encoders">The encoders for <see cref="Corpus"/>; null with <see cref="Store"/>.</param>
/// <param name="Folds">The test sessions (every session, 1 to 5, unless the grid narrows them).</param>
/// <param name="Repeats">Repeats of the folds, each with its own seeds (the method: 5).</param>
/// <param name="Priority">Higher runs first when sweeps share workers.</param>
/// <param name="Configurations">The configurations, in file order.</param>
/// <param name="Combinations">Pairs of <see cref="Configurations"/> whose logits are averaged (Table 3).</param>
public sealed record Grid(
    string Name,
    string? Store,
    string? Corpus,
    GridEncoders? Encoders,
    IReadOnlyList<int> Folds,
    int Repeats,
    int Priority,
    IReadOnlyList<ModelConfiguration> Configurations,
    IReadOnlyList<GridCombination> Combinations)
{
    /// <summary>Training runs the sweep needs: configurations x folds x repeats (combinations train nothing).</summary>
    public int Runs => Configurations.Count * Folds.Count * Repeats;
}
