namespace Orchestrator.Client;

/// <summary>
/// Reports on the reporting thread. <see cref="Progress{T}"/> posts to the thread pool, so its
/// reports arrive late and out of order: wrong for a progress bar.
/// </summary>
public class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
