using System.Text.Json.Nodes;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Grids;
using Orchestrator.Models.Training;

namespace Orchestrator.Client.Cluster;

/// <summary>
/// What the client submits to the cluster: a grid file's sweep, or the one-configuration sweep of
/// <c>orchestrator cv</c>. Both become the same <see cref="SweepRequest"/>, so every run, whichever
/// command asked for it, is scheduled, recorded and reused the same way. The database files runs
/// under <see cref="RunTrainer.ResultsKey"/>: the store and this build's training protocol.
/// </summary>
public static class SweepRequests
{
    /// <summary>The sweep of a grid over <paramref name="store"/>; <paramref name="text"/> is the grid file as written, kept with the sweep.</summary>
    public static SweepRequest FromGrid(Grid grid, FeatureStore store, string text, int? priority = null) =>
        new(grid.Name, store.Directory, RunTrainer.ResultsKey(store.Fingerprint), Description(store), text, grid.Folds, grid.Repeats, priority ?? grid.Priority,
            grid.Configurations.Select(Spec).ToList(),
            grid.Combinations.Select(c => new CombinationSpec(c.Early, c.Late)).ToList());

    /// <summary>
    /// The sweep of one cross-validation: every fold of the store's sessions x <paramref name="repeats"/>.
    /// <paramref name="commandLine"/> stands for the grid file, so the sweep records what asked for it.
    /// </summary>
    public static SweepRequest CrossValidation(ModelConfiguration configuration, FeatureStore store, IReadOnlyList<int> folds, int repeats, string commandLine) =>
        new($"cv {configuration.Key}", store.Directory, RunTrainer.ResultsKey(store.Fingerprint), Description(store), commandLine, folds, repeats, Priority: 0,
            [Spec(configuration)], []);

    /// <summary>The test sessions of a store: the folds of its leave-one-session-out cross-validation.</summary>
    public static IReadOnlyList<int> Folds(IFeatureReader store) => new CrossValidationPlan(new TrainingData(store).Items).Folds;

    private static ConfigurationSpec Spec(ModelConfiguration configuration) =>
        new(configuration.Key, configuration.Model.ToString().ToLowerInvariant(), StreamKinds.Label(configuration.Streams));

    /// <summary>The store's description as its manifest holds it (JSON), recorded with the store in the database.</summary>
    private static string Description(FeatureStore store) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(store.Directory, "manifest.json")))?["description"]?.ToJsonString() ?? "{}";
}
