using System.Diagnostics;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>
/// Parallel synthesis with workers that misbehave (stand-ins started by /bin/sh): whatever happens, no
/// corpus and no partial folder are left, and no worker outlives the call. The bytes of a real parallel
/// corpus are compared with the serial one in the CLI's tests, which can start the real worker.
/// </summary>
public sealed class SyntheticCorpusWorkersTests : IDisposable
{
    private static readonly SyntheticCorpusOptions Options = new() { Utterances = 12 };

    private readonly string scratch = TestDirectory.Create();

    [Fact]
    public void FailingWorker_FailsTheCorpus_NamingItsExitCodeAndLastWords()
    {
        var workers = Shell("echo 'no voices here' >&2; exit 3", count: 2);

        var error = Assert.Throws<IOException>(() => SyntheticCorpus.Write(Path.Combine(scratch, "corpus"), Options, workers));

        Assert.Contains("exit code 3", error.Message);
        Assert.Contains("no voices here", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }

    [Fact]
    public void WorkerAnsweringNonsense_FailsTheCorpus()
    {
        var workers = Shell("echo '{\"index\": 999, \"duration\": 1, \"synthesisTicks\": 1}'; sleep 30", count: 1);
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<IOException>(() => SyntheticCorpus.Write(Path.Combine(scratch, "corpus"), Options, workers));

        Assert.Contains("not given", error.Message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the worker was not killed");
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }

    [Fact]
    public void Cancelling_KillsSilentWorkers_AndLeavesNothing()
    {
        var workers = Shell("sleep 30", count: 2);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            SyntheticCorpus.Write(Path.Combine(scratch, "corpus"), Options, workers, progress: null, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the workers were not killed");
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }

    [Fact]
    public void MissingProgram_FailsTheCorpus()
    {
        var workers = new SynthesisWorkers([Path.Combine(scratch, "no-such-program")], 2);

        Assert.Throws<IOException>(() => SyntheticCorpus.Write(Path.Combine(scratch, "corpus"), Options, workers));
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    /// <summary>Workers that run <paramref name="script"/>; the corpus folder, appended, becomes its $0.</summary>
    private static SynthesisWorkers Shell(string script, int count) => new(["/bin/sh", "-c", script], count);
}
