namespace Orchestrator.Silo.Workers;

/// <summary>Which <see cref="IRunExecutor"/> a worker uses (<c>Orchestrator:Worker:Executor</c>).</summary>
public enum RunExecutorKind
{
    /// <summary>Trains each run in a child process (<see cref="ProcessRunExecutor"/>): the default.</summary>
    Process,

    /// <summary>Trains nothing: a valid result at once (<see cref="NoopRunExecutor"/>), for scheduler tests and benchmarks.</summary>
    Noop,
}
