using System.Text.Json;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>
/// A worker's utterances are byte for byte the serial corpus's, whatever share it gets and in whatever
/// order: what makes a corpus written by any number of workers equal the serial one.
/// </summary>
public sealed class SynthesisWorkerTests(SmallCorpusFixture corpus) : IClassFixture<SmallCorpusFixture>, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(SynthesisManifest.Json) { WriteIndented = false };

    private readonly string scratch = TestDirectory.Create();

    [Fact]
    public void EveryThirdUtteranceBackwards_IsWrittenAsTheSerialCorpusWroteIt()
    {
        var plan = CorpusPlanner.Plan(SmallCorpusFixture.Options);
        var share = Enumerable.Range(0, plan.Count).Where(i => i % 3 == 1).Reverse().ToList();
        var jobs = string.Join('\n', share.Select(i => JsonSerializer.Serialize(new { Index = i, Utterance = plan[i] }, Json)));
        var answers = new StringWriter();

        SynthesisWorker.Serve(scratch, new StringReader(jobs), answers);

        var replies = answers.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(share, replies.Select(r => r.GetProperty("index").GetInt32()));
        Assert.All(replies, r => Assert.True(r.GetProperty("duration").GetDouble() > 0));
        var written = Directory.GetFiles(scratch, "*", SearchOption.AllDirectories);
        Assert.Equal(share.Sum(i => plan[i].HasAlignment ? 4 : 1), written.Length);
        Assert.All(written, f =>
        {
            var relative = Path.GetRelativePath(scratch, f);
            Assert.True(File.ReadAllBytes(f).SequenceEqual(File.ReadAllBytes(Path.Combine(corpus.Root, relative))), $"{relative} differs");
        });
    }

    [Fact]
    public void MissingFolder_IsRefused()
    {
        var missing = Path.Combine(scratch, "missing");

        Assert.Throws<DirectoryNotFoundException>(() => SynthesisWorker.Serve(missing, new StringReader(""), new StringWriter()));
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
