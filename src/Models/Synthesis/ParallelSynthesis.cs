using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// The parent side of <see cref="SynthesisWorkers"/>: hands the plan out one utterance at a time to whichever
/// worker answers first, so a worker that drew long sentences, or shares its core with something else,
/// takes fewer. Any worker's failure, or cancellation, kills them all and waits for them to exit.
/// </summary>
internal static class ParallelSynthesis
{
    /// <summary>Jobs a worker holds at once: the next one is already waiting when it finishes one.</summary>
    private const int JobsInFlight = 2;

    private const int TailLines = 20;

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static (double[] Durations, TimeSpan Synthesis) SpeakAll(
        string root, IReadOnlyList<PlannedUtterance> plan, SynthesisWorkers workers, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (workers.Command.Count == 0) throw new ArgumentException("A synthesis worker's command needs at least a program.", nameof(workers));
        ArgumentOutOfRangeException.ThrowIfLessThan(workers.Count, 1, nameof(workers));
        var dispatch = new Dispatch(plan, progress);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var drivers = Enumerable.Range(0, Math.Min(workers.Count, plan.Count))
            .Select(_ => Task.Run(async () =>
            {
                try { await DriveAsync(workers.Command, root, dispatch, stop.Token); }
                catch
                {
                    await stop.CancelAsync(); // the others stop too: one failure fails the corpus
                    throw;
                }
            }, CancellationToken.None))
            .ToArray();
        try
        {
            Task.WaitAll(drivers); // all of them, failed or not: none may outlive the folder
        }
        catch (AggregateException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // One worker failed and the others were stopped because of it: report the one that failed.
            var failures = drivers.Select(d => d.Exception?.InnerException).OfType<Exception>().ToList();
            ExceptionDispatchInfo.Throw(failures.FirstOrDefault(e => e is not OperationCanceledException) ?? failures[0]);
        }
        return (dispatch.Durations, dispatch.Synthesis);
    }

    /// <summary>Runs one worker until it has answered its last job and exited, or kills it when <paramref name="stop"/> fires.</summary>
    private static async Task DriveAsync(IReadOnlyList<string> command, string root, Dispatch dispatch, CancellationToken stop)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,   // a worker also stops when this pipe closes: a killed parent leaves no orphan
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
        };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        start.ArgumentList.Add(root);

        using var process = Start(start);
        var tail = new Queue<string>(TailLines);
        var errors = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync(CancellationToken.None) is { } line)
                lock (tail)
                {
                    if (tail.Count == TailLines) tail.Dequeue();
                    tail.Enqueue(line);
                }
        }, CancellationToken.None);

        Exception? cause = null;
        try
        {
            await ConverseAsync(process, dispatch, stop);
            await process.WaitForExitAsync(stop);
            if (process.ExitCode == 0)
            {
                await errors;
                return;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw; // stopped by the caller or by another worker's failure; finally kills this one
        }
        catch (Exception e) when (e is IOException or InvalidDataException or JsonException)
        {
            cause = e;
        }
        finally
        {
            // A worker whose output ended is exiting by itself: its own exit code says more than a kill's.
            if (cause is not null) await Task.WhenAny(process.WaitForExitAsync(CancellationToken.None), Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            if (!process.HasExited)
            {
                try { process.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { } // exited meanwhile
                await process.WaitForExitAsync(CancellationToken.None);
            }
        }

        await errors;
        string log;
        lock (tail) log = tail.Count == 0 ? "it printed nothing" : "its last words:\n" + string.Join('\n', tail);
        throw new IOException($"A synthesis worker ({string.Join(' ', start.ArgumentList.Prepend(start.FileName))}) failed " +
            $"with exit code {process.ExitCode}{(cause is null ? "" : $" ({cause.Message})")}; {log}", cause);
    }

    private static Process Start(ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start) ?? throw new IOException($"Could not start {start.FileName}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new IOException($"Could not start a synthesis worker ({start.FileName}): {e.Message}", e);
        }
    }

    /// <summary>Sends jobs and reads answers until every job sent is answered and no job is left to send.</summary>
    private static async Task ConverseAsync(Process process, Dispatch dispatch, CancellationToken cancellationToken)
    {
        var sent = new HashSet<int>();
        var open = true;
        async Task SendAsync()
        {
            if (dispatch.Next() is not { } job)
            {
                process.StandardInput.Close(); // the worker writes what it holds and exits
                open = false;
                return;
            }
            sent.Add(job.Index);
            await process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(job, SynthesisWorker.Json).AsMemory(), cancellationToken);
            await process.StandardInput.FlushAsync(cancellationToken);
        }

        for (var i = 0; i < JobsInFlight && open; i++) await SendAsync();
        while (sent.Count > 0)
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new IOException($"it stopped answering with {sent.Count} utterance(s) unanswered");
            var reply = JsonSerializer.Deserialize<SynthesisReply>(line, SynthesisWorker.Json);
            if (reply is null || !sent.Remove(reply.Index)) throw new InvalidDataException($"it answered a job it was not given: {line}");
            dispatch.Complete(reply);
            if (open) await SendAsync();
        }
    }

    /// <summary>The plan's utterances in order, to whichever worker asks; what the answers say.</summary>
    private sealed class Dispatch(IReadOnlyList<PlannedUtterance> plan, IProgress<int>? progress)
    {
        private readonly Lock gate = new();
        private int next = -1;
        private int done;
        private long synthesisTicks;

        public double[] Durations { get; } = new double[plan.Count];

        public TimeSpan Synthesis => TimeSpan.FromTicks(Interlocked.Read(ref synthesisTicks));

        public SynthesisJob? Next()
        {
            var index = Interlocked.Increment(ref next);
            return index < plan.Count ? new SynthesisJob(index, plan[index]) : null;
        }

        public void Complete(SynthesisReply reply)
        {
            Durations[reply.Index] = reply.Duration;
            Interlocked.Add(ref synthesisTicks, reply.SynthesisTicks);
            lock (gate) progress?.Report(++done); // under the lock, so the count never goes back
        }
    }
}
