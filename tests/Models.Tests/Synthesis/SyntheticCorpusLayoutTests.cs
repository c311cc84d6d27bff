using System.Text.RegularExpressions;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>The written corpus has IEMOCAP's layout and file formats, and synthesis.json tells its truth.</summary>
public sealed partial class SyntheticCorpusLayoutTests(SmallCorpusFixture corpus) : IClassFixture<SmallCorpusFixture>
{
    [Fact]
    public void LabelFiles_ListEveryUtteranceOnceInEverySession()
    {
        var entries = LabelFiles.Read(corpus.Root);

        Assert.Equal(SmallCorpusFixture.Options.Utterances, entries.Count);
        Assert.Equal(entries.Count, entries.Select(e => e.Id).Distinct().Count());
        Assert.Equal([1, 2, 3, 4, 5], entries.Select(e => e.Session).Distinct().Order());
        Assert.All(entries, e => Assert.StartsWith($"Ses{e.Session:00}", e.Id));
    }

    [Fact]
    public void EveryUtterance_HasASixteenKilohertzMonoPcmWavAsLongAsItsLabelledSpan()
    {
        foreach (var e in LabelFiles.Read(corpus.Root))
        {
            var wav = WavFile.Read(Path.Combine(corpus.Root, $"Session{e.Session}", "sentences", "wav", e.Dialog, e.Id + ".wav"));

            Assert.Equal((1, 1, 16000, 16), ((int)wav.Format, (int)wav.Channels, wav.SampleRate, (int)wav.BitsPerSample));
            Assert.InRange(wav.Duration, 0.5, 10);
            Assert.Equal(e.End - e.Start, wav.Duration, 0.0002); // spans are printed to 0.1 ms
        }
    }

    [Fact]
    public void TranscriptionLines_NameTheLabelledUtterancesWithTheirSpans_PlusStrayTurns()
    {
        var labelled = LabelFiles.Read(corpus.Root).ToDictionary(e => e.Id);
        var seen = new HashSet<string>();
        var strays = 0;
        foreach (var file in Directory.GetFiles(corpus.Root, "*.txt", SearchOption.AllDirectories).Where(f => f.Contains("transcriptions")))
        {
            foreach (var line in File.ReadAllLines(file))
            {
                var m = TranscriptionLine().Match(line);
                Assert.True(m.Success, $"{file}: '{line}'");
                var name = m.Groups[1].Value;
                if (!name.StartsWith("Ses", StringComparison.Ordinal))
                {
                    Assert.Matches(@"^[FM]_XXX\d$", name);
                    strays++;
                    continue;
                }
                var entry = labelled[name];
                Assert.Equal($"{entry.Start:000.0000}-{entry.End:000.0000}", $"{m.Groups[2].Value}-{m.Groups[3].Value}");
                Assert.Equal(entry.Dialog + ".txt", Path.GetFileName(file));
                seen.Add(name);
            }
        }

        Assert.Equal(labelled.Keys.Order(), seen.Order());
        Assert.True(strays > 0, "no stray M_XXX-style turn to exercise the reader's skipping");
    }

    [Fact]
    public void Manifest_CountsWhatTheLabelFilesSay()
    {
        var entries = LabelFiles.Read(corpus.Root);
        var manifest = SynthesisManifest.Read(Path.Combine(corpus.Root, SynthesisManifest.FileName));
        var fourClass = entries.Where(e => EmotionLabels.FromRaw(e.Label) is not null).ToList();

        Assert.Equal(SmallCorpusFixture.Options.Seed, manifest.Seed);
        Assert.Equal(entries.Count, manifest.Utterances);
        Assert.Equal(entries.GroupBy(e => e.Label).ToDictionary(g => g.Key, g => g.Count()), manifest.RawLabels);
        Assert.Equal(fourClass.Count, manifest.FourClassTotal);
        foreach (var code in EmotionLabels.Codes)
            Assert.Equal(fourClass.Count(e => EmotionLabels.FromRaw(e.Label)!.Value.Code() == code), manifest.FourClass[code]);
        foreach (var session in manifest.Sessions)
        {
            Assert.Equal(entries.Count(e => e.Session == session.Session), session.Utterances);
            Assert.Equal(fourClass.Count(e => e.Session == session.Session), session.FourClass.Values.Sum());
        }
        Assert.Contains(manifest.RawLabels.Keys, code => EmotionLabels.FromRaw(code) is null); // dropped labels are present
        Assert.Contains("exc", manifest.RawLabels.Keys);
    }

    [Fact]
    public void UtterancesWithoutAlignment_AreFourClassAndKeepTheirWav_AllOthersHaveThreeSegmentations()
    {
        var manifest = SynthesisManifest.Read(Path.Combine(corpus.Root, SynthesisManifest.FileName));
        var missing = manifest.WithoutAlignment.ToHashSet();

        Assert.Equal(SmallCorpusFixture.Options.UtterancesWithoutAlignment, missing.Count);
        foreach (var e in LabelFiles.Read(corpus.Root))
        {
            var alignment = Path.Combine(corpus.Root, $"Session{e.Session}", "sentences", "ForcedAlignment", e.Dialog, e.Id);
            var present = new[] { ".phseg", ".wdseg", ".syseg" }.Count(x => File.Exists(alignment + x));
            Assert.True(File.Exists(Path.Combine(corpus.Root, $"Session{e.Session}", "sentences", "wav", e.Dialog, e.Id + ".wav")));
            Assert.Equal(missing.Contains(e.Id) ? 0 : 3, present);
            if (missing.Contains(e.Id)) Assert.NotNull(EmotionLabels.FromRaw(e.Label));
        }
    }

    [GeneratedRegex(@"^(\S+) \[(\d{3}\.\d{4})-(\d{3}\.\d{4})\]: (.+)$")]
    private static partial Regex TranscriptionLine();
}
