namespace Orchestrator.Database.Server;

/// <summary>
/// An exclusive lock on a file, held across processes (.NET takes <c>flock</c> for
/// <see cref="FileShare.None"/> on Unix): two processes starting the same server directory at
/// once initialise and start it once, the second finding the first's server running.
/// </summary>
internal sealed class DirectoryLock : IDisposable
{
    private readonly FileStream stream;

    private DirectoryLock(FileStream stream) => this.stream = stream;

    /// <summary>Waits until the lock on <paramref name="path"/> is free, then holds it until disposed.</summary>
    public static async Task<DirectoryLock> AcquireAsync(string path, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                return new DirectoryLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (e.GetType() == typeof(IOException)) // held by another process (not a missing folder)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
            }
        }
    }

    public void Dispose() => stream.Dispose();
}
