namespace Orchestrator.Silo.Workers;

/// <summary>The executor a worker's settings select.</summary>
public static class RunExecutors
{
    /// <exception cref="InvalidOperationException">The process executor is selected but no run command is set.</exception>
    public static IRunExecutor Create(WorkerOptions options, TimeProvider clock) => options.Executor switch
    {
        RunExecutorKind.Process => new ProcessRunExecutor(options.RunCommand.Length > 0 ? options.RunCommand
                : throw new InvalidOperationException($"{WorkerOptions.Section}:RunCommand is not set: a worker needs the command that trains one run."),
            options.LogTailLines, options.Name, options.RunLogChars),
        RunExecutorKind.Noop => new NoopRunExecutor(options.NoopDuration, clock),
        _ => throw new InvalidOperationException($"{WorkerOptions.Section}:Executor '{options.Executor}' is not one of process, noop."),
    };
}
