namespace Orchestrator.Contracts.Sweeps;

/// <summary>Where a sweep stands. Only active sweeps have their runs leased.</summary>
public enum SweepState
{
    Active,
    Paused,
    Cancelled,
    Completed,
}
