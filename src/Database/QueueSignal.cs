using Npgsql;

namespace Orchestrator.Database;

/// <summary>
/// Tells an idle worker that runs may be waiting: a connection of its own LISTENs on
/// <see cref="Channel"/>, which the database notifies at the commit of a sweep's submission or
/// resumption and of a run queued again (migration 0004). A hint, not a promise: a notice may come
/// with nothing left to lease, and none comes for a lease that runs out, so workers still poll,
/// only less urgently. While the connection is down it retries every second and signals once it is back.
/// </summary>
public sealed class QueueSignal : IAsyncDisposable
{
    /// <summary>The notification channel.</summary>
    public const string Channel = "runs_queued";

    // How long a silent connection waits before checking that the server is still there.
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);

    private readonly NpgsqlDataSource _dataSource;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _listener;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal QueueSignal(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _listener = Task.Run(ListenAsync);
    }

    /// <summary>
    /// Completes at the first notice after it was read. Read it before looking at the queue, then wait
    /// on it: a notice sent in between is not missed.
    /// </summary>
    public Task Next => Volatile.Read(ref _next).Task;

    /// <summary>Completes once the first LISTEN is in place (tests wait on it before notifying).</summary>
    public Task Listening => _listening.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _listener;
        _stop.Dispose();
    }

    private void Signal() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    private async Task ListenAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(_stop.Token);
                connection.Notification += (_, _) => Signal();
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection)) await listen.ExecuteNonQueryAsync(_stop.Token);
                _listening.TrySetResult();
                Signal();       // whatever was queued while nobody listened
                while (true)
                    if (!await connection.WaitAsync(KeepAlive, _stop.Token))
                        await using (var ping = new NpgsqlCommand("SELECT 1", connection)) await ping.ExecuteScalarAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException or InvalidOperationException)
            {
                // The server went away or restarted: polling covers the gap.
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
