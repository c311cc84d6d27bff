namespace Orchestrator.Contracts.Sweeps;

/// <summary>
/// One run, keyed by its id: the fold grain of the sweep -> configuration -> repeat -> fold hierarchy.
/// Its life (state, attempt, worker, epoch reached, times, the reason a failed attempt gave, UA)
/// is its row in PostgreSQL, which workers write as they lease, train and report; the grain is where
/// a client asks about it and cancels it.
/// </summary>
public interface IRunGrain : IGrainWithIntegerKey
{
    /// <exception cref="ArgumentException">There is no such run.</exception>
    Task<RunStatus> GetStatus();

    /// <summary>
    /// Cancels the run if it is unfinished, for every sweep that asked for it; a worker training it
    /// stops at its next heartbeat. A sweep whose last unfinished run it was is completed.
    /// </summary>
    /// <returns>True when this call cancelled it; false when it had finished already.</returns>
    /// <exception cref="ArgumentException">There is no such run.</exception>
    Task<bool> Cancel();
}
