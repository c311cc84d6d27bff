namespace Orchestrator.Contracts.Sweeps;

/// <summary>
/// One configuration of one sweep, keyed by (sweep id, configuration key):
/// <c>GetGrain&lt;IConfigurationGrain&gt;(sweepId, key)</c>, the keys being those of
/// <see cref="SweepStatus.Configurations"/>. Its runs by repeat and fold, and its scores so far.
/// </summary>
/// <remarks>
/// There is no repeat grain between this and <see cref="IRunGrain"/>: a repeat is only an index
/// that picks the seed and the validation split of its folds' runs. It has no state, no life cycle
/// and nothing to act on that its configuration or its runs do not have already, so its runs are
/// listed here with their repeat, and each is its own <see cref="IRunGrain"/>.
/// </remarks>
public interface IConfigurationGrain : IGrainWithIntegerCompoundKey
{
    /// <exception cref="ArgumentException">There is no such sweep, or it has no such configuration.</exception>
    Task<ConfigurationStatus> GetStatus();
}
