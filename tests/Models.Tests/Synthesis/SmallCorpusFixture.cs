using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>One small synthetic corpus, written once and shared by the tests that only read it.</summary>
public sealed class SmallCorpusFixture : IDisposable
{
    public static readonly SyntheticCorpusOptions Options = new() { Seed = 7, Utterances = 40 };

    public SmallCorpusFixture()
    {
        Scratch = TestDirectory.Create();
        Report = SyntheticCorpus.Write(Path.Combine(Scratch, "corpus"), Options, progress: null);
    }

    public string Scratch { get; }

    public SyntheticCorpusReport Report { get; }

    public string Root => Report.Root;

    public void Dispose() => Directory.Delete(Scratch, recursive: true);
}
