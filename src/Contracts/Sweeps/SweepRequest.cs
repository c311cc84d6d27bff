namespace Orchestrator.Contracts.Sweeps;

/// <summary>
/// A grid submitted for running: every configuration x fold x repeat becomes a run, unless a run of
/// the same identity (store, configuration, fold, repeat) exists already, finished or under way.
/// </summary>
/// <param name="Name">The grid's name (from the grid file).</param>
/// <param name="StorePath">The feature store folder, as worker silos will open it.</param>
/// <param name="StoreFingerprint">The store's fingerprint: part of every run's identity.</param>
/// <param name="StoreDescription">The store's description (JSON), recorded with the store.</param>
/// <param name="Grid">The grid file's text, kept with the sweep.</param>
/// <param name="Folds">The test sessions.</param>
/// <param name="Repeats">Repeats of the folds, numbered from 1.</param>
/// <param name="Priority">Higher runs first when sweeps compete for slots.</param>
/// <param name="Configurations">The configurations, in the grid's order.</param>
/// <param name="Combinations">Pairs (early, late) of configuration keys whose logits are averaged (Table 3).</param>
[GenerateSerializer, Immutable]
public sealed record SweepRequest(
    [property: Id(0)] string Name,
    [property: Id(1)] string StorePath,
    [property: Id(2)] string StoreFingerprint,
    [property: Id(3)] string StoreDescription,
    [property: Id(4)] string Grid,
    [property: Id(5)] IReadOnlyList<int> Folds,
    [property: Id(6)] int Repeats,
    [property: Id(7)] int Priority,
    [property: Id(8)] IReadOnlyList<ConfigurationSpec> Configurations,
    [property: Id(9)] IReadOnlyList<CombinationSpec> Combinations);

/// <summary>An early-fusion and a late-fusion configuration whose test logits are averaged run by run.</summary>
[GenerateSerializer, Immutable]
public sealed record CombinationSpec([property: Id(0)] string Early, [property: Id(1)] string Late);
