namespace Orchestrator.Database;

/// <summary>A run a worker has leased: everything it needs to train it.</summary>
/// <param name="RunId">The run's id, for every later call on it.</param>
/// <param name="StoreFingerprint">The feature store's fingerprint.</param>
/// <param name="StorePath">Where to open the store.</param>
/// <param name="ConfigurationKey">The configuration's key.</param>
/// <param name="Model">linear, transformer, late, coattention or concat.</param>
/// <param name="Streams">"T+F+S".</param>
/// <param name="SettingsJson">The configuration's settings as JSON.</param>
/// <param name="Fold">The test session.</param>
/// <param name="Repeat">The repeat, from 1.</param>
/// <param name="Attempt">Which lease of the run this is, from 1.</param>
/// <param name="TraceParent">The W3C trace context of the configuration span of the sweep the run was leased for: the parent of the run's span; null when that submission was not traced.</param>
/// <param name="LeaseExpired">Whether the run was leased because its previous lease expired (its worker stopped renewing), not from the queue.</param>
public sealed record LeasedRun(
    long RunId,
    string StoreFingerprint,
    string StorePath,
    string ConfigurationKey,
    string Model,
    string Streams,
    string SettingsJson,
    int Fold,
    int Repeat,
    int Attempt,
    bool LeaseExpired = false,
    string? TraceParent = null);
