namespace Orchestrator.Database;

/// <summary>How far one configuration of a sweep has come: its runs counted by state.</summary>
/// <param name="ConfigurationKey">The configuration.</param>
/// <param name="Queued">Runs waiting for a worker.</param>
/// <param name="Leased">Runs a worker has taken but not started.</param>
/// <param name="Running">Runs training now.</param>
/// <param name="Succeeded">Runs with a result.</param>
/// <param name="Failed">Runs that failed every attempt.</param>
/// <param name="Cancelled">Runs cancelled with their sweep.</param>
/// <param name="MeanWallSeconds">Mean wall time of its succeeded runs, for an estimate of the time left; null before the first.</param>
public sealed record SweepConfigurationProgress(
    string ConfigurationKey,
    int Queued,
    int Leased,
    int Running,
    int Succeeded,
    int Failed,
    int Cancelled,
    double? MeanWallSeconds);
