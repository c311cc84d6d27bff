using System.Diagnostics;

namespace Orchestrator.Silo.Workers;

/// <summary>
/// One training run in a child process. Training never runs inside the silo: TorchSharp frees
/// implicit Scalars from the finalizer thread, which a multi-threaded server triggers while native
/// calls read them (dotnet/TorchSharp PR 1496), and a native crash or an out-of-memory kill must
/// cost one attempt, not the silo. The child prints its RunResult as JSON on standard output and
/// one JSON line per epoch on standard error.
/// </summary>
public static class RunProcess
{
    /// <summary>How a run process ended.</summary>
    /// <param name="ExitCode">Its exit code; -1 when it was killed.</param>
    /// <param name="Output">Everything it printed on standard output (the result).</param>
    /// <param name="LogTail">The last lines of its standard error, for a failure's record.</param>
    public sealed record Outcome(int ExitCode, string Output, string LogTail);

    /// <summary>
    /// Settings of a run process that cut its CPU time without changing its result
    /// (docs/benchmarks.md, "Training speed"): glibc's allocator keeps freed memory for the next
    /// batch instead of unmapping it and having the kernel zero fresh pages (a batch's tensors are
    /// a few MB, above glibc's default 128 KB mmap threshold; libtorch aligns every tensor to 64
    /// bytes itself, so the kernels see the same alignment); and the JIT skips tiered PGO's
    /// instrumented tier, which a run of a minute or two never earns back. Background garbage
    /// collection is off: it marks while the training thread sits in a native call, and a TorchSharp
    /// Scalar passed to that call but no longer referenced could be finalized under it (see
    /// <c>RunAdam</c>); a blocking one starts at an allocation, almost always the training thread's own, between native calls.
    /// </summary>
    public static IReadOnlyDictionary<string, string> TrainingEnvironment { get; } = new Dictionary<string, string>
    {
        ["MALLOC_MMAP_THRESHOLD_"] = "67108864",
        ["MALLOC_TRIM_THRESHOLD_"] = "268435456",
        ["MALLOC_TOP_PAD_"] = "134217728",
        ["DOTNET_TieredPGO"] = "0",
        ["DOTNET_gcConcurrent"] = "0",
    };

    /// <summary>
    /// Runs <paramref name="command"/> (program, then arguments) to its end, or kills it with its
    /// children when <paramref name="cancellation"/> fires. <paramref name="onLine"/> sees every line
    /// of standard error as it comes.
    /// </summary>
    public static async Task<Outcome> RunAsync(IReadOnlyList<string> command, Action<string> onLine, int tailLines, CancellationToken cancellation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(command.Count, 1);
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,     // the child exits when this pipe closes: a silo killed with -9 leaves no orphan training
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        // A run reads its feature store and prints its result; it never connects to the database, so it
        // inherits none of the silo's credentials (a run executes model code that a grid names).
        foreach (var secret in start.Environment.Keys.Where(IsDatabaseSecret).ToList()) start.Environment.Remove(secret);
        start.Environment["OMP_NUM_THREADS"] = "1";
        foreach (var (name, value) in TrainingEnvironment)
            if (string.IsNullOrEmpty(start.Environment.TryGetValue(name, out var set) ? set : null)) start.Environment[name] = value;  // a value already set wins
        start.Environment[ParentPipeVariable] = "1";
        // The run's span (RunWorker) as the parent of whatever the child traces (W3C trace context by environment).
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity)
        {
            start.Environment["TRACEPARENT"] = activity.Id;
            if (activity.TraceStateString is { } state) start.Environment["TRACESTATE"] = state;
        }

        using var process = Process.Start(start) ?? throw new IOException($"Could not start {command[0]}.");
        var tail = new Queue<string>(tailLines);
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var errors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
            {
                lock (tail)
                {
                    if (tail.Count == tailLines) tail.Dequeue();
                    tail.Enqueue(line);
                }
                onLine(line);
            }
        }, CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellation);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }   // exited meanwhile
            await process.WaitForExitAsync(CancellationToken.None);
        }
        await Task.WhenAll(output, errors);
        lock (tail) return new Outcome(cancellation.IsCancellationRequested ? -1 : process.ExitCode, output.Result, string.Join('\n', tail));
    }

    /// <summary>
    /// The silo's environment variables that carry database credentials: its connection string by any of
    /// its names (<c>Orchestrator__Silo__Database</c>, <c>ORCHESTRATOR_DATABASE</c>, the clustering's) and
    /// libpq's password, password file and service file variables, which Npgsql reads too.
    /// </summary>
    public static bool IsDatabaseSecret(string variable) =>
        variable.StartsWith("ORCHESTRATOR_DATABASE", StringComparison.Ordinal)
        || variable.Equals("Orchestrator__Silo__Database", StringComparison.OrdinalIgnoreCase)
        || variable.Equals("Orchestrator__Clustering__ConnectionString", StringComparison.OrdinalIgnoreCase)
        || variable is "PGPASSWORD" or "PGPASSFILE" or "PGSERVICEFILE" or "PGSERVICE";

    /// <summary>Set in a run process' environment: it exits when its parent's pipe on standard input closes.</summary>
    public const string ParentPipeVariable = "ORCHESTRATOR_WORKER";
}
