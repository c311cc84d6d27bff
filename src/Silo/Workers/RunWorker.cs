using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orchestrator.Silo.Telemetry;

namespace Orchestrator.Silo.Workers;

/// <summary>
/// The worker role: keeps every slot busy with runs leased from PostgreSQL, executes each
/// (<see cref="IRunExecutor"/>: a child training process, or nothing for scheduler tests), renews
/// its lease while it runs, records the result or the failed attempt, and reports its load to the cluster.
/// </summary>
/// <remarks>
/// Leases are the whole protocol between workers: a worker that dies stops renewing, its runs are
/// leased again once their leases expire, and a result is recorded at most once whoever finishes
/// (<see cref="RunQueue.CompleteAsync"/> is idempotent), so a killed worker costs time, never a run.
/// A graceful stop kills the run processes and hands their runs back at once.
/// </remarks>
public sealed class RunWorker(RunQueue queue, IOptions<WorkerOptions> settings, IGrainFactory grains, ILogger<RunWorker> logger, TimeProvider clock,
    SiloReadiness readiness)
    : BackgroundService, IWorkerLoad
{
    /// <summary>
    /// How long the loop waits after a slot frees before leasing, so that runs finishing together
    /// are replaced by one lease of several runs rather than one lease each. Nothing next to a training run.
    /// </summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(20);

    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The longest wait between two tries of a database call. It bounds how long a worker stays idle
    /// after the server is back: with a minute (the old cap) a 35 s outage cost up to 30 s more of
    /// nothing, with every result of the outage waiting; a try every 10 s per slot costs the server nothing.
    /// </summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly WorkerOptions _options = settings.Value;
    private readonly Dictionary<long, Task> _running = [];
    private readonly ConcurrentDictionary<long, HeldRun> _held = new();
    private readonly ConcurrentDictionary<Task, byte> _recordings = new();
    private IRunExecutor _executor = null!;
    private int _failedInARow;
    private long _leaseAfterTicks;        // UTC ticks before which the loop leases nothing (a pause after failures)
    private CompletionBatcher _completions = null!;
    private Task _report = Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        _executor = RunExecutors.Create(_options, clock);
        await using var completions = _completions = new CompletionBatcher(queue);
        await using var queued = queue.Listen();
        logger.LogInformation("Worker {Worker}: {Slots} slot(s), lease {Lease}, executor {Executor}", _options.Name, _options.Slots, _options.Lease, _options.Executor);
        using var load = RunMetrics.Register(this);
        StartCounters();
        readiness.WorkerStarted();
        var reported = DateTimeOffset.MinValue;
        using var stopHeartbeats = new CancellationTokenSource();
        var heartbeats = Task.Run(() => HeartbeatsAsync(stopHeartbeats.Token), CancellationToken.None);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                foreach (var done in _running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList()) _running.Remove(done);
                var notified = queued.Next;       // before leasing: a notice sent during the lease still wakes the wait below
                var free = clock.GetUtcNow().UtcTicks < Volatile.Read(ref _leaseAfterTicks) ? 0 : _options.Slots - _running.Count - Backlog;
                var queueEmpty = false;
                if (free > 0)
                {
                    // Leased and started in one statement: every run leased here is executed at once.
                    var leased = await Retry(() => queue.LeaseAndStartAsync(_options.Name, free, _options.Lease), stopping);
                    foreach (var run in leased)
                    {
                        CountLease(run);
                        _running[run.RunId] = Task.Run(() => RunAsync(run, stopping), CancellationToken.None);
                    }
                    queueEmpty = leased.Count < free;
                }
                if (clock.GetUtcNow() - reported > ReportInterval && _report.IsCompleted)
                {
                    reported = clock.GetUtcNow();
                    _report = Report(reported, _running.Count);      // not awaited: a coordinator that is down must not hold up leasing
                }
                // Wake when runs are queued (a notice), when a run ends (a slot frees) or after the poll
                // interval (a lease may have run out). A worker that got fewer runs than it asked for has
                // emptied the queue: only a notice or the poll wake it, whatever finishes meanwhile; one
                // with every slot busy waits for a slot (a run ending, or a backlog of results being recorded).
                var poll = Task.Delay(_options.Poll, clock, stopping);
                var busy = Backlog > 0 ? _running.Values.Concat(_recordings.Keys) : _running.Values;
                if (queueEmpty) await Task.WhenAny(poll, notified);
                else if (_running.Count + Backlog < _options.Slots) await Task.WhenAny(busy.Append(poll).Append(notified));
                else await Task.WhenAny(busy.Append(poll));
                stopping.ThrowIfCancellationRequested();
                if (!poll.IsCompleted) await Task.Delay(Coalesce, clock, stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_running.Values);
        await Task.WhenAll(_recordings.Keys);       // finished runs are recorded, not handed back
        await stopHeartbeats.CancelAsync();
        await heartbeats;
        var handedBack = await queue.ReleaseAsync(_options.Name);
        RunMetrics.HandedBack.Add(handedBack, Tag("worker", _options.Name), Tag("reason", "shutdown"));
        logger.LogInformation("Worker {Worker} stopped; {Runs} run(s) handed back", _options.Name, handedBack);
    }

    /// <summary>
    /// Finished runs whose results wait to be recorded, beyond one slot's worth each: they count as busy
    /// slots, so that leasing never outruns recording for long (a slot frees when its run is done, not
    /// when its result is committed).
    /// </summary>
    private int Backlog => Math.Max(0, _recordings.Count - _options.Slots);

    string IWorkerLoad.Name => _options.Name;

    int IWorkerLoad.Slots => _options.Slots;

    int IWorkerLoad.BusySlots => _held.Count;

    int IWorkerLoad.ResultsPending => _recordings.Count;

    /// <summary>
    /// Every series of a known label set starts at 0 rather than at its first increment, which a
    /// <c>rate()</c> or <c>increase()</c> would miss: the worker's at start, a configuration's at its first lease.
    /// </summary>
    private void StartCounters()
    {
        var worker = Tag("worker", _options.Name);
        foreach (var counter in new[] { RunMetrics.Leased, RunMetrics.Started, RunMetrics.LeasesExpired, RunMetrics.TrainSamples }) counter.Add(0, worker);
        foreach (var reason in new[] { "crash", "exit_code", "no_result", "error", "worker_error", "lease_lost", "hung" }) RunMetrics.AttemptsFailed.Add(0, worker, Tag("reason", reason));
        foreach (var reason in new[] { "shutdown", "pause", "cancel" }) RunMetrics.HandedBack.Add(0, worker, Tag("reason", reason));
        RunCounters.Start(_options.Name);
    }

    private void CountLease(LeasedRun run)
    {
        var worker = Tag("worker", _options.Name);
        var configuration = Tag("configuration", run.ConfigurationKey);
        foreach (var counter in new[] { RunMetrics.Succeeded, RunMetrics.Failed, RunMetrics.Retried }) counter.Add(0, worker, configuration);
        RunMetrics.Leased.Add(1, worker);
        RunMetrics.Started.Add(1, worker);       // leased and started in one statement
        if (run.LeaseExpired) RunMetrics.LeasesExpired.Add(1, worker);
    }

    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    /// <summary>Executes one started run to its end: result recorded, attempt failed, or run given up because its lease was lost. Never throws.</summary>
    private async Task RunAsync(LeasedRun run, CancellationToken stopping)
    {
        var name = $"{run.ConfigurationKey} fold {run.Fold} repeat {run.Repeat} (run {run.RunId}, attempt {run.Attempt})";
        using var activity = StartActivity(run);
        var leasedAt = clock.GetTimestamp();
        var epochStarted = leasedAt;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var held = new HeldRun(run);
        _held[run.RunId] = held;
        Volatile.Write(ref held.Progressed, leasedAt);
        using var stopWatchdog = new CancellationTokenSource();
        var watchdog = WatchProgressAsync(held, stop, stopWatchdog.Token);
        try
        {
            RunOutcome? outcome = null;
            try
            {
                outcome = await _executor.ExecuteAsync(run, epoch =>
                {
                    var now = clock.GetTimestamp();
                    Volatile.Write(ref held.Progressed, now);
                    RunMetrics.EpochDuration.Record(clock.GetElapsedTime(Interlocked.Exchange(ref epochStarted, now), now).TotalSeconds, Tag("worker", _options.Name));
                    activity?.AddEvent(new ActivityEvent("epoch", tags: new ActivityTagsCollection { ["orchestrator.epoch"] = epoch }));
                    Volatile.Write(ref held.Epoch, epoch);
                    if (held.LeaseLost) stop.Cancel();        // paused, cancelled or taken over: stop at this epoch boundary
                }, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            await stopWatchdog.CancelAsync();
            await watchdog;
            _held.TryRemove(run.RunId, out _);
            if (held.TimedOut && !stopping.IsCancellationRequested && !held.LeaseLost)
                outcome = RunOutcome.Failed($"no progress for {_options.ProgressTimeout.TotalSeconds:0.#} s: the run was killed (Orchestrator:Worker:ProgressTimeout)", outcome?.LogTail ?? "")
                    with { Reason = "hung" };
            if (stopping.IsCancellationRequested || held.LeaseLost || outcome is null)
            {
                logger.LogInformation("{Run}: stopped ({Why})", name, stopping.IsCancellationRequested ? "worker stopping" : "lease lost: sweep paused or cancelled, or run taken over");
                var why = stopping.IsCancellationRequested ? "worker stopping" : "lease lost";
                activity?.SetStatus(ActivityStatusCode.Unset, why);
                if (!stopping.IsCancellationRequested) await CountLostLeaseAsync(run);
                await RecordLogAsync(run, RunLogOutcomes.Stopped, why, outcome);
                return;
            }
            if (outcome.Result is { } result)
            {
                Interlocked.Exchange(ref _failedInARow, 0);
                // The slot is free once the run is done: its result is recorded while the next run starts.
                var recording = RecordAsync(name, run, result, leasedAt, outcome);
                _recordings.TryAdd(recording, 0);
                _ = recording.ContinueWith(done => _recordings.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return;
            }
            logger.LogWarning("{Run}: {Error}", name, outcome.Error);
            activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
            await RecordLogAsync(run, RunLogOutcomes.Failed, outcome.Error ?? "failed", outcome);      // before a last failure can complete the sweep
            var state = await Retry(() => queue.RetryOrFailAsync(run.RunId, _options.Name, outcome.Error ?? "failed", outcome.LogTail), CancellationToken.None);
            CountFailedAttempt(run, outcome.Reason, state);
            PauseAfterFailures(outcome.Error);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping before the run started: the hand-back at the end of ExecuteAsync returns it.
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Run}: the worker failed around the run", name);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            try
            {
                var state = await Retry(() => queue.RetryOrFailAsync(run.RunId, _options.Name, $"worker error: {e.Message}", ""), stopping);
                CountFailedAttempt(run, "worker_error", state);
                PauseAfterFailures(e.Message);
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            _held.TryRemove(run.RunId, out _);
            await stopWatchdog.CancelAsync();
            await watchdog;
        }
    }

    /// <summary>
    /// After <see cref="WorkerOptions.FailuresBeforePause"/> failed attempts in a row, leases nothing for
    /// <see cref="WorkerOptions.FailurePause"/> (again after each further failure): the runs it failed go to other workers rather than
    /// spending their every attempt here. Only an attempt's own failure counts, not a lost lease or a stop.
    /// </summary>
    private void PauseAfterFailures(string? error)
    {
        var failed = Interlocked.Increment(ref _failedInARow);
        if (_options.FailurePause <= TimeSpan.Zero || failed < _options.FailuresBeforePause) return;
        // Not doubled: a sweep whose every run fails (a broken configuration) on a single worker still fails in
        // bounded time, a slot's worth of attempts per pause.
        var pause = _options.FailurePause;
        Volatile.Write(ref _leaseAfterTicks, (clock.GetUtcNow() + pause).UtcTicks);
        logger.LogWarning("Worker {Worker}: {Failed} attempts failed in a row (last: {Error}); leasing nothing for {Pause} so that other workers take the runs",
            _options.Name, failed, error, pause);
    }

    /// <summary>
    /// Stops a run that finished no epoch within <see cref="WorkerOptions.ProgressTimeout"/> (marked timed out,
    /// so that its attempt fails rather than being handed back). Never throws.
    /// </summary>
    private async Task WatchProgressAsync(HeldRun held, CancellationTokenSource stop, CancellationToken cancellation)
    {
        var timeout = _options.ProgressTimeout;
        if (timeout <= TimeSpan.Zero) return;
        try
        {
            while (true)
            {
                var idle = clock.GetElapsedTime(Volatile.Read(ref held.Progressed));
                if (idle >= timeout)
                {
                    held.TimedOut = true;
                    logger.LogWarning("Worker {Worker}: run {Run} finished no epoch in {Idle:0.0} s; killing it", _options.Name, held.Run.RunId, idle.TotalSeconds);
                    await stop.CancelAsync();
                    return;
                }
                await Task.Delay(timeout - idle + TimeSpan.FromMilliseconds(10), clock, cancellation);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Records a finished run's result, batched with the other slots' (<see cref="CompletionBatcher"/>:
    /// acknowledged once committed), retrying while the database is unreachable. Never throws.
    /// </summary>
    private async Task RecordAsync(string name, LeasedRun run, Orchestrator.Models.Training.RunResult result, long leasedAt, RunOutcome outcome)
    {
        try
        {
            // The log first: once the result is committed the sweep may complete, and a finished run has its log.
            await RecordLogAsync(run, RunLogOutcomes.Succeeded, null, outcome);
            var recorded = await Retry(() => _completions.CompleteAsync(run.RunId, _options.Name, result), CancellationToken.None);
            if (recorded) CountSuccess(run, result, clock.GetElapsedTime(leasedAt));
            logger.LogInformation("{Run}: UA {UA:0.00}{Recorded}", name, result.Metrics.UnweightedAccuracy * 100, recorded ? "" : " (already recorded)");
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Run}: its result could not be recorded; the run will be leased again when its lease runs out", name);
        }
    }

    /// <summary>
    /// Keeps what an attempt printed (<c>run_logs</c>), once; an attempt that printed nothing and did not fail
    /// (the no-op executor's) leaves no row. Best effort: a log that cannot be written is not worth a run.
    /// </summary>
    private async Task RecordLogAsync(LeasedRun run, string ended, string? error, RunOutcome? outcome)
    {
        if (outcome is null || (outcome.Log.Length == 0 && ended != RunLogOutcomes.Failed)) return;
        try
        {
            await queue.RecordRunLogAsync(new RunLog(run.RunId, run.Attempt, _options.Name, ended, error, outcome.Log, outcome.DroppedLines));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            logger.LogWarning("Worker {Worker}: the log of run {Run} attempt {Attempt} was not kept ({Message})", _options.Name, run.RunId, run.Attempt, e.Message);
        }
    }

    /// <summary>
    /// The run's span, tagged with what identifies it. A run is leased from the database, not called, so
    /// no call carries a trace here: its parent is the configuration span stored with the sweep the lease
    /// served (<see cref="LeasedRun.TraceParent"/>), and a root of its own when that submission was untraced.
    /// </summary>
    private Activity? StartActivity(LeasedRun run)
    {
        var parent = ActivityContext.TryParse(run.TraceParent, null, isRemote: true, out var stored) ? stored : default;
        var activity = OrchestratorTelemetry.Source.StartActivity("run", ActivityKind.Consumer, parent);
        activity?.SetTag("orchestrator.run.id", run.RunId)
            .SetTag("orchestrator.configuration", run.ConfigurationKey)
            .SetTag("orchestrator.fold", run.Fold)
            .SetTag("orchestrator.repeat", run.Repeat)
            .SetTag("orchestrator.attempt", run.Attempt)
            .SetTag("orchestrator.worker", _options.Name)
            .SetTag("orchestrator.store", run.StoreFingerprint);
        return activity;
    }

    private void CountSuccess(LeasedRun run, Orchestrator.Models.Training.RunResult result, TimeSpan leaseToRecorded)
    {
        var (worker, configuration) = (Tag("worker", _options.Name), Tag("configuration", run.ConfigurationKey));
        RunMetrics.Succeeded.Add(1, worker, configuration);
        RunMetrics.RunDuration.Record(leaseToRecorded.TotalSeconds, worker, configuration);
        RunMetrics.RunAccuracy.Record(result.ValidationUnweightedAccuracy, configuration);
        // Training utterances: the trainer's mean rate over its training time, which the result does not
        // carry; its epochs' wall time is close (validation adds a little).
        RunMetrics.TrainSamples.Add((long)Math.Round(result.TrainingSamplesPerSecond * result.WallTimeSeconds), worker);
    }

    /// <param name="state">What became of the run: queued again, failed for good, or null (no longer this worker's).</param>
    private void CountFailedAttempt(LeasedRun run, string reason, string? state)
    {
        var worker = Tag("worker", _options.Name);
        RunMetrics.AttemptsFailed.Add(1, worker, Tag("reason", reason));
        if (state == RunStates.Queued) RunMetrics.Retried.Add(1, worker, Tag("configuration", run.ConfigurationKey));
        else if (state == RunStates.Failed) RunMetrics.Failed.Add(1, worker, Tag("configuration", run.ConfigurationKey));
    }

    /// <summary>
    /// A run stopped because its heartbeat was refused: a pause queued it again, a cancel cancelled it (both
    /// hand-backs), or another worker leased it after this one's lease ran out (a lost attempt).
    /// </summary>
    private async Task CountLostLeaseAsync(LeasedRun run)
    {
        var worker = Tag("worker", _options.Name);
        try
        {
            var now = await queue.GetRunAsync(run.RunId);
            if (now?.State == RunStates.Cancelled) RunMetrics.HandedBack.Add(1, worker, Tag("reason", "cancel"));
            else if (now?.State == RunStates.Queued) RunMetrics.HandedBack.Add(1, worker, Tag("reason", "pause"));
            else RunMetrics.AttemptsFailed.Add(1, worker, Tag("reason", "lease_lost"));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            RunMetrics.AttemptsFailed.Add(1, worker, Tag("reason", "lease_lost"));
        }
    }

    /// <summary>
    /// Renews the lease of every run this worker holds, every third of a lease, with the epoch each
    /// reached; marks a run whose renewal is refused (paused, cancelled or taken over) so that it stops
    /// at its next epoch boundary. One loop for all slots, not a timer per run.
    /// </summary>
    private async Task HeartbeatsAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(_options.Lease / 3, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
                await Parallel.ForEachAsync(_held.Values.ToList(), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellation }, async (held, ct) =>
                {
                    try
                    {
                        if (!await queue.HeartbeatAsync(held.Run.RunId, _options.Name, Volatile.Read(ref held.Epoch), _options.Lease, ct))
                            held.LeaseLost = true;
                    }
                    catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
                    {
                        logger.LogWarning("Worker {Worker}: heartbeat of run {Run} failed ({Message}); next try in {Interval}", _options.Name, held.Run.RunId, e.Message, _options.Lease / 3);
                    }
                });
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
        }
    }

    /// <summary>A run this worker holds: what its heartbeat reports and whether its lease was lost.</summary>
    private sealed class HeldRun(LeasedRun run)
    {
        public LeasedRun Run { get; } = run;

        /// <summary>The last epoch the run finished (written by the executor's callback, read by the heartbeat).</summary>
        public int Epoch;

        public volatile bool LeaseLost;

        /// <summary>When the run last progressed (its start, then each epoch): a <see cref="TimeProvider"/> timestamp.</summary>
        public long Progressed;

        /// <summary>Stopped by the progress watchdog: its attempt fails.</summary>
        public volatile bool TimedOut;
    }

    private async Task Report(DateTimeOffset now, int busy)
    {
        // A worker leases while its silo joins; a grain call before the join fails placement (and Orleans' retry
        // policy logs a warning with the stack): the first report after the join says the same.
        if (!readiness.SiloActive) return;
        try
        {
            await grains.GetGrain<IWorkerRegistryGrain>(0).Report(new WorkerStatus(_options.Name, _options.Slots, busy, now));
        }
        catch (Exception e)
        {
            logger.LogDebug(e, "Worker {Worker}: no coordinator to report to", _options.Name);   // reports are informational
        }
    }

    /// <summary>
    /// Database calls wait out an unreachable server (a restart, a failover) instead of losing the
    /// run: retried with backoff up to <see cref="MaxRetryDelay"/> between tries. So does a server that
    /// refuses writes for lack of room (53100 disk_full, a <see cref="Npgsql.PostgresException"/>): a
    /// result waits for the space to return rather than failing its run.
    /// </summary>
    private async Task<T> Retry<T>(Func<Task<T>> call, CancellationToken cancellation)
    {
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks)))
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException && !cancellation.IsCancellationRequested)
            {
                logger.LogWarning("Worker {Worker}: database call failed ({Message}); retrying in {Delay}", _options.Name, e.Message, delay);
                await Task.Delay(delay, clock, cancellation);
            }
        }
    }

    private async Task Retry(Func<Task> call, CancellationToken cancellation) => await Retry(async () => { await call(); return true; }, cancellation);
}
