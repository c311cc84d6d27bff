using System.Threading.Channels;
using Npgsql;
using Orchestrator.Models.Training;

namespace Orchestrator.Database;

/// <summary>
/// Records run results for many callers with group commit: callers queue their result, one writer
/// takes everything queued since its last commit and records it with <see cref="RunQueue.CompleteManyAsync"/>
/// (one transaction, one WAL flush for the lot). A caller's task completes only after the commit that
/// recorded its result, so an acknowledged result is durable; when the commit fails, every caller of
/// the batch gets the exception and may try again (recording is idempotent).
/// </summary>
/// <remarks>
/// Batches form by themselves: while one commit waits for its fsync, the results that arrive queue up
/// for the next. A lone result is written at once, never held back for company.
/// </remarks>
public sealed class CompletionBatcher : IAsyncDisposable
{
    private readonly RunQueue _queue;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;

    /// <param name="queue">Where results are recorded.</param>
    /// <param name="maxBatch">The most results one transaction records.</param>
    public CompletionBatcher(RunQueue queue, int maxBatch = 128)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        (_queue, _maxBatch) = (queue, maxBatch);
        _writer = Task.Run(WriteAsync);
    }

    /// <summary>
    /// <see cref="RunQueue.CompleteAsync"/> in the next batch: true once this result is committed, false
    /// when one was recorded already.
    /// </summary>
    /// <exception cref="ArgumentException">The result was refused (no such run, a result of another run, logits without labels).</exception>
    /// <exception cref="NpgsqlException">The batch could not be committed; nothing of it was recorded.</exception>
    public Task<bool> CompleteAsync(long runId, string worker, RunResult result)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentNullException.ThrowIfNull(result);
        var pending = new Pending(new RunCompletion(runId, worker, result));
        if (!_pending.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(CompletionBatcher));
        return pending.Recorded.Task;
    }

    /// <summary>Records what is queued, then stops the writer; later calls throw.</summary>
    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _pending.Reader.TryRead(out var next)) batch.Add(next);
            await RecordAsync(batch);
        }
    }

    private async Task RecordAsync(IReadOnlyList<Pending> batch)
    {
        IReadOnlyList<CompletionOutcome> outcomes;
        try
        {
            outcomes = await _queue.CompleteManyAsync(batch.Select(p => p.Completion).ToList());
        }
        catch (PostgresException) when (batch.Count > 1)
        {
            // An error of the server's (not a lost connection): record them one by one, so that only the culprit fails.
            foreach (var single in batch) await RecordAsync([single]);
            return;
        }
        catch (Exception e)
        {
            foreach (var pending in batch) pending.Recorded.TrySetException(e);
            return;
        }
        for (var i = 0; i < batch.Count; i++)
            if (outcomes[i].Refusal is { } refusal) batch[i].Recorded.TrySetException(new ArgumentException(refusal));
            else batch[i].Recorded.TrySetResult(outcomes[i].Recorded);
    }

    private sealed record Pending(RunCompletion Completion)
    {
        public TaskCompletionSource<bool> Recorded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
