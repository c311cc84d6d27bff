namespace Orchestrator.Database;

/// <summary>The values of <c>runs.state</c>.</summary>
public static class RunStates
{
    /// <summary>Waiting for a worker.</summary>
    public const string Queued = "queued";

    /// <summary>Taken by a worker, not yet training.</summary>
    public const string Leased = "leased";

    /// <summary>Training under a worker's lease.</summary>
    public const string Running = "running";

    /// <summary>Finished with a result: never run again.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Failed every attempt it was allowed.</summary>
    public const string Failed = "failed";

    /// <summary>Cancelled with the last sweep that wanted it.</summary>
    public const string Cancelled = "cancelled";
}
