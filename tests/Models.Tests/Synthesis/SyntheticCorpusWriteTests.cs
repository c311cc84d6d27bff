using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>Writing is reproducible byte for byte and never leaves a half-written corpus behind.</summary>
public sealed class SyntheticCorpusWriteTests(SmallCorpusFixture corpus) : IClassFixture<SmallCorpusFixture>, IDisposable
{
    private readonly string scratch = TestDirectory.Create();

    [Fact]
    public void SameSeed_WritesIdenticalBytes()
    {
        var again = SyntheticCorpus.Write(Path.Combine(scratch, "again"), SmallCorpusFixture.Options);

        var expected = Files(corpus.Root);
        var actual = Files(again.Root);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        Assert.All(expected, f => Assert.True(f.Value.SequenceEqual(actual[f.Key]), $"{f.Key} differs"));
    }

    [Fact]
    public void DifferentSeed_WritesADifferentCorpus()
    {
        var one = SyntheticCorpus.Write(Path.Combine(scratch, "one"), new SyntheticCorpusOptions { Seed = 1, Utterances = 10 });
        var two = SyntheticCorpus.Write(Path.Combine(scratch, "two"), new SyntheticCorpusOptions { Seed = 2, Utterances = 10 });

        var first = Files(one.Root);
        var second = Files(two.Root);
        var wavsInBoth = first.Keys.Intersect(second.Keys).Where(k => k.EndsWith(".wav", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(wavsInBoth);
        Assert.NotEqual(first[SynthesisManifest.FileName], second[SynthesisManifest.FileName]);
        Assert.All(wavsInBoth, k => Assert.False(first[k].SequenceEqual(second[k]), $"{k} is the same under both seeds"));
    }

    [Fact]
    public void ExistingFolder_IsRefusedAndLeftUntouched()
    {
        var existing = Path.Combine(scratch, "existing");
        Directory.CreateDirectory(existing);
        File.WriteAllText(Path.Combine(existing, "keep.txt"), "mine");

        Assert.Throws<IOException>(() => SyntheticCorpus.Write(existing, new SyntheticCorpusOptions { Utterances = 5 }));
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(existing).Select(Path.GetFileName));
        Assert.False(Directory.Exists(existing + ".partial"));
    }

    [Fact]
    public void CancelledWrite_LeavesNeitherCorpusNorPartialFolder()
    {
        var target = Path.Combine(scratch, "cancelled");
        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress(done => { if (done == 3) cancel.Cancel(); });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            SyntheticCorpus.Write(target, new SyntheticCorpusOptions { Utterances = 20 }, progress, cancel.Token));
        Assert.Empty(Directory.GetFileSystemEntries(scratch));
    }

    [Fact]
    public void Progress_CountsEverySynthesisedUtterance()
    {
        var reported = new List<int>();

        SyntheticCorpus.Write(Path.Combine(scratch, "progress"), new SyntheticCorpusOptions { Utterances = 6 }, new InlineProgress(reported.Add));

        Assert.Equal([1, 2, 3, 4, 5, 6], reported);
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    /// <summary>Reports on the calling thread, unlike <see cref="Progress{T}"/>, so tests see every call in order.</summary>
    private sealed class InlineProgress(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
