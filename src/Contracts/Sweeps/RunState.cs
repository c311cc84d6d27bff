namespace Orchestrator.Contracts.Sweeps;

/// <summary>
/// Where one run stands: queued -> leased (a worker took it) -> running (its process started) ->
/// succeeded; a failed attempt, an expired lease or a paused sweep sends it back to queued, until
/// its last allowed attempt fails (failed). Cancelled: with its sweep, or alone.
/// </summary>
public enum RunState
{
    Queued,
    Leased,
    Running,
    Succeeded,
    Failed,
    Cancelled,
}
