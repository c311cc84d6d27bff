using System.Text.RegularExpressions;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>The ForcedAlignment files read like Sphinx-3 output and agree with the audio and the transcripts.</summary>
public sealed partial class SyntheticAlignmentTests(SmallCorpusFixture corpus) : IClassFixture<SmallCorpusFixture>
{
    [Fact]
    public void PhoneRows_TileTheWavFromFrameZeroToItsLastWholeFrame()
    {
        foreach (var (e, phones, _, _) in Aligned())
        {
            var wav = WavFile.Read(Path.Combine(corpus.Root, $"Session{e.Session}", "sentences", "wav", e.Dialog, e.Id + ".wav"));

            AssertTiles(phones);
            Assert.Equal((int)Math.Floor(wav.Duration * 100), phones.Rows[^1].End + 1); // end <= duration, by less than a frame
        }
    }

    [Fact]
    public void WordAndSyllableRows_SpanExactlyTheirPhones()
    {
        foreach (var (_, phones, words, syllables) in Aligned())
        {
            var phoneStarts = phones.Rows.Select(r => r.Start).ToHashSet();
            foreach (var seg in new[] { words, syllables })
            {
                AssertTiles(seg);
                Assert.Equal(phones.Rows[^1].End, seg.Rows[^1].End);
                Assert.All(seg.Rows, r => Assert.Contains(r.Start, phoneStarts));
                Assert.Equal(phones.TotalScore, seg.TotalScore);
            }
            foreach (var word in words.Rows.Where(r => !r.Label.StartsWith('<')))
            {
                var inside = phones.Rows.Where(p => p.Start >= word.Start && p.End <= word.End).Select(p => p.Label.Split(' ')[3]).ToList();
                Assert.Equal(inside.Count == 1 ? "s" : "b", inside[0][..1] == "s" ? "s" : inside[0]);
                if (inside.Count > 1) Assert.Equal("e", inside[^1]);
                Assert.All(inside.Skip(1).SkipLast(1), position => Assert.Equal("i", position));
            }
        }
    }

    [Fact]
    public void Labels_FollowSphinxConventions()
    {
        foreach (var (_, phones, words, syllables) in Aligned())
        {
            Assert.All(phones.Rows, r => Assert.Matches(PhoneLabel(), r.Label));
            Assert.Equal("<s>", words.Rows[0].Label);
            Assert.Equal("</s>", words.Rows[^1].Label);
            Assert.All(words.Rows.Skip(1).SkipLast(1), r => Assert.Matches(WordLabel(), r.Label));
            Assert.All(syllables.Rows, r => Assert.Matches(@"^(SIL|[A-Z]{1,2}( [A-Z]{1,2})*)$", r.Label));
            Assert.Equal(phones.Rows.Sum(r => (long)r.Score), phones.TotalScore);
        }
    }

    [Fact]
    public void AlignedWords_AreTheTranscriptsWordsWithoutItsTags()
    {
        var transcripts = Directory.GetFiles(corpus.Root, "*.txt", SearchOption.AllDirectories)
            .Where(f => f.Contains("transcriptions")).SelectMany(File.ReadAllLines)
            .Select(l => TranscriptLine().Match(l)).Where(m => m.Groups[1].Value.StartsWith("Ses", StringComparison.Ordinal))
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

        foreach (var (e, _, words, _) in Aligned())
        {
            var expected = Tag().Replace(transcripts[e.Id], " ").ToUpperInvariant()
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim(',', '.', '!', '?')).Where(w => w.Length > 0);
            var aligned = words.Rows.Select(r => r.Label).Where(l => !l.StartsWith('<')).Select(l => Variant().Replace(l, ""));

            Assert.Equal(expected, aligned);
        }
    }

    private IEnumerable<(LabelFileEntry Entry, SegFile Phones, SegFile Words, SegFile Syllables)> Aligned()
    {
        foreach (var e in LabelFiles.Read(corpus.Root))
        {
            var stem = Path.Combine(corpus.Root, $"Session{e.Session}", "sentences", "ForcedAlignment", e.Dialog, e.Id);
            if (!File.Exists(stem + ".phseg")) continue;
            yield return (e, SegFile.Read(stem + ".phseg"), SegFile.Read(stem + ".wdseg"), SegFile.Read(stem + ".syseg"));
        }
    }

    /// <summary>Rows start at frame 0 and each starts the frame after the previous one ends.</summary>
    private static void AssertTiles(SegFile file)
    {
        Assert.Equal(0, file.Rows[0].Start);
        for (var i = 0; i < file.Rows.Count; i++)
        {
            Assert.True(file.Rows[i].End >= file.Rows[i].Start);
            if (i > 0) Assert.Equal(file.Rows[i - 1].End + 1, file.Rows[i].Start);
        }
    }

    [GeneratedRegex(@"^(SIL|[A-Z]{1,2} [A-Z]{1,3} [A-Z]{1,3} [bies])$")]
    private static partial Regex PhoneLabel();

    [GeneratedRegex(@"^([A-Z']+(\(\d\))?|<sil>)$")]
    private static partial Regex WordLabel();

    [GeneratedRegex(@"\(\d\)$")]
    private static partial Regex Variant();

    [GeneratedRegex(@"\[[A-Z]+\]")]
    private static partial Regex Tag();

    [GeneratedRegex(@"^(\S+) \[[^\]]+\]: (.*)$")]
    private static partial Regex TranscriptLine();
}
