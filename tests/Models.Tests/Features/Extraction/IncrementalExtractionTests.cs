using System.Security.Cryptography;
using System.Text.Json;
using Orchestrator.Models.Audio;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Extraction;
using Orchestrator.Models.Features.Store;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features.Extraction;

/// <summary>
/// The store as a cache (docs/feature-store.md): same inputs, no work; a changed utterance, exactly
/// that one; changed options, refused unless overwriting; an interrupted or failed run, resumed.
/// </summary>
[Collection(ExtractionCollection.Name)]
public sealed class IncrementalExtractionTests(ExtractionFixture fixture)
{
    private int Total => fixture.Corpus.FourClass.Count;

    [Fact]
    public void A_second_extraction_of_the_same_inputs_is_a_cache_hit_that_touches_no_file()
    {
        var store = fixture.CopyStore();
        var before = Snapshot(store);

        var report = fixture.Extractor.Run(IemocapCorpus.Read(fixture.CopyCorpus()), store, ExtractionFixture.F32);

        Assert.True(report.CacheHit);
        Assert.Equal(0, report.Extracted);
        Assert.Equal(Total, report.Reused);
        Assert.Equal(fixture.StoreF32Report.Fingerprint, report.Fingerprint);
        Assert.Equal(before, Snapshot(store));
    }

    [Fact]
    public void Changing_one_transcript_re_extracts_exactly_that_utterance()
    {
        var corpusRoot = fixture.CopyCorpus();
        var target = fixture.Corpus.FourClass.First(u => u.Alignment is not null);
        var transcription = IemocapLayout.Absolute(corpusRoot, IemocapLayout.TranscriptionFile(target.Session, target.Dialog));
        var lines = File.ReadAllLines(transcription);
        var line = Array.FindIndex(lines, l => l.StartsWith(target.Id + " ", StringComparison.Ordinal));
        lines[line] = lines[line][..(lines[line].IndexOf(':') + 1)] + " Entirely different words now.";
        File.WriteAllLines(transcription, lines);
        var store = fixture.CopyStore();

        var report = fixture.Extractor.Run(IemocapCorpus.Read(corpusRoot), store, ExtractionFixture.F32);

        Assert.Equal(1, report.Extracted);
        Assert.Equal(Total - 1, report.Reused);
        AssertOnlyChanged(store, target.Id, expectTextChanged: true);
    }

    [Fact]
    public void Changing_one_wav_re_extracts_exactly_that_utterance()
    {
        var corpusRoot = fixture.CopyCorpus();
        var target = fixture.Corpus.FourClass.First(u => u.Alignment is not null);
        var wav = IemocapLayout.Absolute(corpusRoot, Path.GetRelativePath(fixture.CorpusRoot, target.WavPath));
        var original = WavReader.Read(wav);
        WavWriter.WritePcm16(wav, original.Samples.Select((s, i) => i % 7 == 0 ? -s : s).ToArray(), original.SampleRate);
        var store = fixture.CopyStore();

        var report = fixture.Extractor.Run(IemocapCorpus.Read(corpusRoot), store, ExtractionFixture.F32);

        Assert.Equal(1, report.Extracted);
        Assert.Equal(Total - 1, report.Reused);
        AssertOnlyChanged(store, target.Id, expectTextChanged: false);
    }

    public static TheoryData<string, string> ChangedOptions => new()
    {
        { "dtype", "dtype: store F32, requested F16" },
        { "layers", "speech layers: store [1,2], requested [2]" },
        { "keep-silence", "option keep_silence: store false, requested true" },
    };

    [Theory]
    [MemberData(nameof(ChangedOptions))]
    public void Changing_an_option_on_the_same_store_is_refused_naming_it_and_overwrite_rebuilds(string option, string difference)
    {
        var changed = option switch
        {
            "dtype" => ExtractionFixture.F32 with { DType = StoreDType.Float16 },
            "layers" => ExtractionFixture.F32 with { SpeechLayers = "2" },
            _ => ExtractionFixture.F32 with { KeepSilence = true },
        };
        var store = fixture.CopyStore();
        var before = Snapshot(store);

        var error = Assert.Throws<FeatureStoreMismatchException>(() => fixture.Extractor.Run(fixture.Corpus, store, changed));
        var rebuilt = fixture.Extractor.Run(fixture.Corpus, store, changed, new StoreWriterOptions(Overwrite: true));

        Assert.Contains(difference, error.Differences);
        Assert.Contains(difference, error.Message);
        Assert.Equal(Total, rebuilt.Extracted);
        using var reopened = FeatureStore.Open(store);
        Assert.True(reopened.IsComplete);
        Assert.Equal(fixture.Extractor.Describe(changed).ExtractionFingerprint, reopened.Description.ExtractionFingerprint);
        Assert.NotEqual(fixture.StoreF32Report.Fingerprint, reopened.Fingerprint);
        Assert.NotEqual(before, Snapshot(store));
    }

    [Fact]
    public void A_cancelled_extraction_resumes_with_exactly_the_rest_and_ends_equal_to_one_run()
    {
        var options = ExtractionFixture.F32 with { BatchSize = 4 };
        var writer = new StoreWriterOptions(ShardBytes: 64 << 10);
        var store = fixture.NewFolder("store-resumed");
        using var cancel = new CancellationTokenSource();
        var progress = new InlineProgress<ExtractionProgress>(p => { if (p.Phase == "encoding" && p.Done >= 8) cancel.Cancel(); });

        Assert.ThrowsAny<OperationCanceledException>(() => fixture.Extractor.Run(fixture.Corpus, store, options, writer, progress, cancel.Token));
        var interrupted = Manifest(store);
        var resumed = fixture.Extractor.Run(fixture.Corpus, store, options, writer);
        var oneGo = fixture.NewFolder("store-one-go");
        var reference = fixture.Extractor.Run(fixture.Corpus, oneGo, options, writer);

        Assert.False(interrupted.GetProperty("complete").GetBoolean());
        var stored = interrupted.GetProperty("utterances").GetArrayLength();
        Assert.Equal(8, stored);
        Assert.True(interrupted.GetProperty("shards").GetArrayLength() > 1, "small shards: several written before the cancel");
        Assert.Equal(Total - stored, resumed.Extracted);
        Assert.Equal(stored, resumed.Reused);
        var manifest = Manifest(store);
        Assert.True(manifest.GetProperty("complete").GetBoolean());
        Assert.Equal(Total, manifest.GetProperty("utterances").GetArrayLength());
        Assert.Equal(Total, manifest.GetProperty("shards").EnumerateArray().Sum(s => s.GetProperty("utterances").GetInt32()));   // nothing stored twice
        Assert.Equal(reference.Fingerprint, resumed.Fingerprint);
        AssertSameTensors(oneGo, store);
    }

    public static TheoryData<string> BrokenWavs => new() { "truncated", "garbage" };

    [Theory]
    [MemberData(nameof(BrokenWavs))]
    public void A_broken_wav_is_reported_by_name_the_rest_stored_and_a_rerun_after_fixing_it_completes(string damage)
    {
        var corpusRoot = fixture.CopyCorpus();
        var target = fixture.Corpus.FourClass[Total / 2];
        var wav = IemocapLayout.Absolute(corpusRoot, Path.GetRelativePath(fixture.CorpusRoot, target.WavPath));
        var bytes = File.ReadAllBytes(wav);
        File.WriteAllBytes(wav, damage == "truncated" ? bytes[..(bytes.Length / 2)] : RandomNumberGenerator.GetBytes(bytes.Length));
        var corpus = IemocapCorpus.Read(corpusRoot);
        var store = fixture.NewFolder("store-broken");

        var failed = fixture.Extractor.Run(corpus, store, ExtractionFixture.F32);
        bool completeAfterFailure;
        int storedAfterFailure;
        using (var partial = FeatureStore.Open(store))
            (completeAfterFailure, storedAfterFailure) = (partial.IsComplete, partial.Utterances.Count);
        File.WriteAllBytes(wav, bytes);
        var rerun = fixture.Extractor.Run(IemocapCorpus.Read(corpusRoot), store, ExtractionFixture.F32);

        var failure = Assert.Single(failed.Failed);
        Assert.Contains(wav, failure);
        Assert.Equal(Total - 1, failed.Extracted);
        Assert.False(completeAfterFailure);
        Assert.Equal(Total - 1, storedAfterFailure);
        Assert.Empty(rerun.Failed);
        Assert.Equal(1, rerun.Extracted);
        using var fixedStore = FeatureStore.Open(store);
        Assert.True(fixedStore.IsComplete);
        Assert.Equal(fixture.StoreF32Report.Fingerprint, fixedStore.Fingerprint);
    }

    /// <summary>Every utterance but <paramref name="changed"/> still where it was; that one in a new shard, with new features.</summary>
    private void AssertOnlyChanged(string store, string changed, bool expectTextChanged)
    {
        using var scope = NewDisposeScope();
        var before = Shards(Manifest(fixture.StoreF32));
        var after = Shards(Manifest(store));
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.All(before.Keys.Where(id => id != changed), id => Assert.Equal(before[id], after[id]));
        Assert.NotEqual(before[changed], after[changed]);
        using var old = FeatureStore.Open(fixture.StoreF32);
        using var now = FeatureStore.Open(store);
        var text = now.Read(changed, StreamKind.Text)!;
        var oldText = old.Read(changed, StreamKind.Text)!;
        // Text and (for the built-in layer-norm encoder) speech are encoded in padded batches of
        // another make-up: equal to float rounding when unchanged.
        Assert.Equal(expectTextChanged, !text.shape.SequenceEqual(oldText.shape) || !text.allclose(oldText, 0, 1e-5));
        var frames = now.Read(changed, StreamKind.Frame)!;
        var oldFrames = old.Read(changed, StreamKind.Frame)!;
        Assert.Equal(!expectTextChanged, !frames.shape.SequenceEqual(oldFrames.shape) || !frames.allclose(oldFrames, 0, 1e-4));
    }

    private static void AssertSameTensors(string expectedStore, string actualStore)
    {
        using var scope = NewDisposeScope();
        using var expected = FeatureStore.Open(expectedStore);
        using var actual = FeatureStore.Open(actualStore);
        Assert.Equal(expected.Utterances.Select(u => (u.Id, u.Key)), actual.Utterances.Select(u => (u.Id, u.Key)));
        foreach (var utterance in expected.Utterances)
            foreach (var kind in StreamKinds.All)
            {
                var a = expected.Read(utterance.Id, kind);
                var b = actual.Read(utterance.Id, kind);
                Assert.Equal(a is null, b is null);
                if (a is null) continue;
                Assert.True(a.shape.SequenceEqual(b!.shape), $"{utterance.Id} {kind.Name()}: [{string.Join(",", a.shape)}] against [{string.Join(",", b.shape)}]");
                Assert.True(a.allclose(b, 0, 1e-5), $"{utterance.Id} {kind.Name()} differs by {(a - b).abs().max().item<float>()}");
                if (kind.IsSegmental())
                    Assert.Equal(expected.ReadSegmentFrames(utterance.Id, kind)!.data<long>().ToArray(), actual.ReadSegmentFrames(utterance.Id, kind)!.data<long>().ToArray());
            }
    }

    private static JsonElement Manifest(string store)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(store, "manifest.json")));
        return document.RootElement.Clone();
    }

    private static Dictionary<string, string> Shards(JsonElement manifest) =>
        manifest.GetProperty("utterances").EnumerateArray().ToDictionary(u => u.GetProperty("id").GetString()!, u => u.GetProperty("shard").GetString()!);

    /// <summary>Relative path, size, last write time and SHA-256 of every file of a store.</summary>
    private static List<string> Snapshot(string store) =>
        Directory.GetFiles(store, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{Path.GetRelativePath(store, f)} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f):O} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}")
            .ToList();
}
