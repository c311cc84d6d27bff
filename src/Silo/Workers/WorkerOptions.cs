namespace Orchestrator.Silo.Workers;

/// <summary>How a worker silo trains runs, bound from <c>Orchestrator:Worker</c>.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Orchestrator:Worker";

    /// <summary>
    /// Runs trained at once. Default: one per core, since a run uses one libtorch thread and more
    /// OpenMP threads than cores make every run many times slower.
    /// </summary>
    public int Slots { get; set; } = Environment.ProcessorCount;

    /// <summary>The worker's name in leases and reports; default host name and process id.</summary>
    public string Name { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>How long a lease lasts without a heartbeat; a run whose worker died is leased again after it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often a worker with free slots asks for runs while none are queued. A notice from the database
    /// (<see cref="Orchestrator.Database.QueueSignal"/>) wakes it sooner when runs are submitted or queued again;
    /// the poll is for leases that run out.
    /// </summary>
    public TimeSpan Poll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The command that trains one run: the program and its first arguments; the run's own
    /// (<c>--store --configuration --fold --repeat</c>) follow. Default: this program's <c>train</c>.
    /// </summary>
    public string[] RunCommand { get; set; } = [];

    /// <summary>
    /// Characters of each attempt's output kept in <c>run_logs</c> (its last lines; <c>orchestrator sweep run RUN_ID</c>
    /// shows them): 64 Ki by default, a few hundred epochs of a run's lines, so a sweep's logs stay small.
    /// </summary>
    public int RunLogChars { get; set; } = 64 * 1024;

    /// <summary>Lines of a failed run's output kept with the failure.</summary>
    public int LogTailLines { get; set; } = 40;

    /// <summary>
    /// What executes a leased run: <c>process</c> (train it in a child process, the default) or
    /// <c>noop</c> (train nothing, return a valid result: scheduler tests and benchmarks).
    /// </summary>
    public RunExecutorKind Executor { get; set; } = RunExecutorKind.Process;

    /// <summary>
    /// How long a run may go without finishing an epoch (counted from its start for the first) before the
    /// worker kills it and fails the attempt: heartbeats are the worker's, not the run's, so a run process
    /// that hangs would otherwise hold its lease and slot for ever. Zero turns the watchdog off. The default
    /// is far above any epoch of the paper's grid on a CPU.
    /// </summary>
    public TimeSpan ProgressTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Attempts failed in a row, with no success between, after which the worker stops leasing for
    /// <see cref="FailurePause"/>: a worker that fails everything it touches (a corrupt store, a full
    /// disk, a broken GPU) would otherwise lease each failed run again at once and spend every attempt
    /// of it, failing runs that a healthy worker would have finished.
    /// </summary>
    public int FailuresBeforePause { get; set; } = 3;

    /// <summary>How long a worker whose attempts keep failing leases nothing (again after every further failure); zero turns it off.</summary>
    public TimeSpan FailurePause { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a no-op run takes (zero: it returns at once).</summary>
    public TimeSpan NoopDuration { get; set; } = TimeSpan.Zero;
}
