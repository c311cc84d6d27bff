using static TorchSharp.torch;

namespace Orchestrator.Models.Fusion;

/// <summary>
/// The random generator of the run training on this thread. libtorch's default generator is
/// shared by the whole process, so two runs training side by side would interleave their dropout
/// draws and neither would be reproducible; <see cref="RunDropout"/> draws from this one instead.
/// Thread-local like TorchSharp's dispose scopes, because a run stays on one thread.
/// </summary>
public static class RunRandomness
{
    [ThreadStatic] private static Generator? _current;

    /// <summary>The generator of this thread's run, or null outside a run (dropout then uses libtorch's default).</summary>
    public static Generator? Current => _current;

    /// <summary>Makes <paramref name="generator"/> this thread's until the returned scope is disposed.</summary>
    public static IDisposable Use(Generator generator)
    {
        var previous = _current;
        _current = generator;
        return new Restore(previous);
    }

    private sealed class Restore(Generator? previous) : IDisposable
    {
        public void Dispose() => _current = previous;
    }
}
