namespace Orchestrator.Database;

/// <summary>
/// A grid sweep as submitted: which configurations, folds and repeats to run on which feature
/// store, and which pairs to combine. <see cref="RunQueue.SubmitSweepAsync"/> records it.
/// </summary>
/// <param name="Name">The sweep's name (the grid's <c>name</c>).</param>
/// <param name="StoreFingerprint">The feature store's fingerprint: runs of one store are one set of runs, whichever sweep asks.</param>
/// <param name="StorePath">Where workers open the store.</param>
/// <param name="StoreDescriptionJson">The store's description (encoders, layers, utterances) as JSON; empty when there is none.</param>
/// <param name="GridYaml">The grid file as submitted, kept for the record.</param>
/// <param name="Repeats">Repeats per fold, numbered from 1.</param>
/// <param name="Priority">Higher runs first when workers lease.</param>
/// <param name="Folds">The test sessions to run.</param>
/// <param name="Configurations">The configurations, in grid order.</param>
/// <param name="Combinations">(early, late) configuration keys whose runs the sweep combines.</param>
/// <param name="MaxAttempts">Leases a run may take before it is failed for good.</param>
/// <param name="Trace">The W3C trace context of the sweep's span and of each configuration's, kept so that runs leased later join the trace; null when untraced.</param>
public sealed record SweepSubmission(
    string Name,
    string StoreFingerprint,
    string StorePath,
    string StoreDescriptionJson,
    string GridYaml,
    int Repeats,
    int Priority,
    IReadOnlyList<int> Folds,
    IReadOnlyList<ConfigurationRow> Configurations,
    IReadOnlyList<(string Early, string Late)> Combinations,
    int MaxAttempts = 3,
    SweepTraceContext? Trace = null);

/// <summary>W3C <c>traceparent</c> strings of a submitted sweep's span and of its configurations' spans (their children).</summary>
/// <param name="Sweep">The sweep's span.</param>
/// <param name="Configurations">Configuration key to its span; a configuration without one gets NULL.</param>
public sealed record SweepTraceContext(string Sweep, IReadOnlyDictionary<string, string> Configurations);
