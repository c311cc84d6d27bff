using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orchestrator.Models.Training;

namespace Orchestrator.Silo.Workers;

/// <summary>
/// The worker role: keeps every slot busy with runs leased from PostgreSQL, trains each in a child
/// process (<see cref="RunProcess"/>), renews its lease while it trains, records the result or the
/// failed attempt, and reports its load to the cluster.
/// </summary>
/// <remarks>
/// Leases are the whole protocol between workers: a worker that dies stops renewing, its runs are
/// leased again once their leases expire, and a result is recorded at most once whoever finishes
/// (<see cref="RunQueue.CompleteAsync"/> is idempotent), so a killed worker costs time, never a run.
/// A graceful stop kills the run processes and hands their runs back at once.
/// </remarks>
public sealed class RunWorker(RunQueue queue, IOptions<WorkerOptions> settings, IGrainFactory grains, ILogger<RunWorker> logger, TimeProvider clock)
    : BackgroundService
{
    private readonly WorkerOptions _options = settings.Value;
    private readonly Dictionary<long, Task> _running = [];

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var command = _options.RunCommand.Length > 0 ? _options.RunCommand : throw new InvalidOperationException("Orchestrator:Worker:RunCommand is not set: a worker needs the command that trains one run.");
        logger.LogInformation("Worker {Worker}: {Slots} slot(s), lease {Lease}", _options.Name, _options.Slots, _options.Lease);
        var reported = DateTimeOffset.MinValue;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                foreach (var done in _running.Where(r => r.Value.IsCompleted).Select(r => r.Key).ToList()) _running.Remove(done);
                var free = _options.Slots - _running.Count;
                if (free > 0)
                    foreach (var run in await Retry(() => queue.LeaseAsync(_options.Name, free, _options.Lease), stopping))
                        _running[run.RunId] = Task.Run(() => TrainAsync(command, run, stopping), CancellationToken.None);
                if (clock.GetUtcNow() - reported > TimeSpan.FromSeconds(5))
                {
                    reported = clock.GetUtcNow();
                    await Report(reported);
                }
                // Wake when a run ends (a slot frees) or after the poll interval (new runs may be queued).
                var poll = Task.Delay(_options.Poll, clock, stopping);
                await Task.WhenAny(_running.Values.Append(poll));
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        await Task.WhenAll(_running.Values);
        var handedBack = await queue.ReleaseAsync(_options.Name);
        logger.LogInformation("Worker {Worker} stopped; {Runs} run(s) handed back", _options.Name, handedBack);
    }

    /// <summary>Trains one leased run to its end: result recorded, attempt failed, or run given up because its lease was lost.</summary>
    private async Task TrainAsync(IReadOnlyList<string> command, LeasedRun run, CancellationToken stopping)
    {
        var name = $"{run.ConfigurationKey} fold {run.Fold} repeat {run.Repeat} (run {run.RunId}, attempt {run.Attempt})";
        try
        {
            if (!await queue.StartAsync(run.RunId, _options.Name)) return;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            var epoch = 0;
            var leaseLost = false;
            using var heartbeat = new PeriodicTimer(_options.Lease / 3, clock);
            var beating = Task.Run(async () =>
            {
                while (await heartbeat.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                    if (!await queue.HeartbeatAsync(run.RunId, _options.Name, Volatile.Read(ref epoch), _options.Lease))
                        Volatile.Write(ref leaseLost, true);     // paused, cancelled or taken over: stop at the next epoch boundary
            }, CancellationToken.None);

            var outcome = await RunProcess.RunAsync([.. command, .. Arguments(run)], line =>
            {
                if (!line.StartsWith("{\"epoch\"", StringComparison.Ordinal)) return;
                Interlocked.Increment(ref epoch);
                if (Volatile.Read(ref leaseLost)) stop.Cancel();
            }, _options.LogTailLines, stop.Token);
            await stop.CancelAsync();
            await beating.ContinueWith(_ => { }, TaskScheduler.Default);

            if (stopping.IsCancellationRequested || leaseLost)
            {
                logger.LogInformation("{Run}: stopped ({Why})", name, stopping.IsCancellationRequested ? "worker stopping" : "lease lost: sweep paused or cancelled, or run taken over");
                return;
            }
            if (outcome.ExitCode == 0 && Parse(outcome.Output) is { } result)
            {
                var recorded = await Retry(() => queue.CompleteAsync(run.RunId, _options.Name, result), CancellationToken.None);
                logger.LogInformation("{Run}: UA {UA:0.00}{Recorded}", name, result.Metrics.UnweightedAccuracy * 100, recorded ? "" : " (already recorded)");
                return;
            }
            var error = outcome.ExitCode == 0 ? "the run process printed no result" : $"the run process exited with code {outcome.ExitCode}";
            logger.LogWarning("{Run}: {Error}", name, error);
            await Retry(() => queue.FailAttemptAsync(run.RunId, _options.Name, error, outcome.LogTail), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "{Run}: the worker failed around the run", name);
            await Retry(() => queue.FailAttemptAsync(run.RunId, _options.Name, $"worker error: {e.Message}", ""), CancellationToken.None);
        }
    }

    /// <summary>The run's own arguments after <see cref="WorkerOptions.RunCommand"/>.</summary>
    public static IReadOnlyList<string> Arguments(LeasedRun run) =>
        ["--store", run.StorePath, "--configuration", run.ConfigurationKey, "--fold", $"{run.Fold}", "--repeat", $"{run.Repeat}"];

    private static RunResult? Parse(string output)
    {
        try
        {
            return JsonSerializer.Deserialize(output, TrainingJsonContext.Default.RunResult);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task Report(DateTimeOffset now)
    {
        try
        {
            await grains.GetGrain<IWorkerRegistryGrain>(0).Report(new WorkerStatus(_options.Name, _options.Slots, _running.Count(r => !r.Value.IsCompleted), now));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "Worker {Worker}: no coordinator to report to", _options.Name);   // reports are informational
        }
    }

    /// <summary>
    /// Database calls wait out an unreachable server (a restart, a failover) instead of losing the
    /// run: retried with backoff up to a minute between tries.
    /// </summary>
    private async Task<T> Retry<T>(Func<Task<T>> call, CancellationToken cancellation)
    {
        for (var delay = TimeSpan.FromSeconds(1); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks)))
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException && !cancellation.IsCancellationRequested)
            {
                logger.LogWarning("Worker {Worker}: database unreachable ({Message}); retrying in {Delay}", _options.Name, e.Message, delay);
                await Task.Delay(delay, clock, cancellation);
            }
        }
    }

    private async Task Retry(Func<Task> call, CancellationToken cancellation) => await Retry(async () => { await call(); return true; }, cancellation);
}
