namespace Orchestrator.Database;

/// <summary>The values of <c>sweeps.state</c>.</summary>
public static class SweepStates
{
    /// <summary>Its runs are leased to workers.</summary>
    public const string Active = "active";

    /// <summary>Its runs wait; runs in flight were handed back unless another active sweep wants them.</summary>
    public const string Paused = "paused";

    /// <summary>Stopped for good; its unfinished runs were cancelled unless another sweep wants them.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every run it asked for has finished (succeeded, failed or cancelled).</summary>
    public const string Completed = "completed";
}
