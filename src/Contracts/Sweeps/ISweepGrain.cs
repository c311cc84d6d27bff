namespace Orchestrator.Contracts.Sweeps;

/// <summary>
/// One sweep, keyed by its id: its progress, and pause, resume and cancel. Its runs' truth lives in
/// PostgreSQL; the grain is where a client asks. Below it, each configuration is an
/// <see cref="IConfigurationGrain"/> keyed by (sweep id, configuration key), and each run an <see cref="IRunGrain"/>.
/// </summary>
public interface ISweepGrain : IGrainWithIntegerKey
{
    Task<SweepStatus> GetStatus();

    /// <summary>Stops leasing the sweep's runs; runs under way finish their current epoch, then are handed back.</summary>
    Task Pause();

    Task Resume();

    /// <summary>Cancels the runs not finished (unless another active sweep wants them too).</summary>
    Task Cancel();
}
