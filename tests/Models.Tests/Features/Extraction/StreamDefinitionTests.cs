using Orchestrator.Models.Audio;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Extraction;
using Orchestrator.Models.Features.Store;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features.Extraction;

/// <summary>
/// What the extractor stores is method.md section 3, recomputed here from the wav, the parsed
/// alignment and the transcript (<see cref="ReferenceStreams"/>), not through the production mapper.
/// </summary>
[Collection(ExtractionCollection.Name)]
public sealed class StreamDefinitionTests(ExtractionFixture fixture)
{
    private const double F32Tolerance = 1e-5;

    [Fact]
    public void Stored_f32_streams_equal_the_method_recomputed_from_wav_alignment_and_transcript()
    {
        using var scope = NewDisposeScope();
        using var store = FeatureStore.Open(fixture.StoreF32);

        foreach (var utterance in SampleUtterances())
            AssertStreams(store, utterance, keepSilence: false, Close(rtol: 0, atol: F32Tolerance));
    }

    [Fact]
    public void Stored_f16_streams_equal_the_method_to_half_precision_rounding()
    {
        using var scope = NewDisposeScope();
        var directory = fixture.NewFolder("store-f16");
        fixture.Extractor.Run(fixture.Corpus, directory, new ExtractionOptions());
        using var store = FeatureStore.Open(directory);

        Assert.Equal(StoreDType.Float16, store.Description.DType);
        // F16 keeps 11 significant bits: the stored value is the float32 one rounded (half an ulp, 2^-11
        // relative), and the float32 one may itself differ from ours by summation order.
        foreach (var utterance in SampleUtterances())
            AssertStreams(store, utterance, keepSilence: false, Close(rtol: 1.0 / 1024, atol: 1e-5));
    }

    [Fact]
    public void Keeping_silence_pools_the_silence_segments_too()
    {
        using var scope = NewDisposeScope();
        var directory = fixture.NewFolder("store-silence");

        var report = fixture.Extractor.Run(fixture.Corpus, directory, ExtractionFixture.F32 with { KeepSilence = true });

        using var store = FeatureStore.Open(directory);
        using var defaults = FeatureStore.Open(fixture.StoreF32);
        var aligned = fixture.Corpus.FourClass.Where(u => u.Alignment is not null).ToList();
        Assert.All(aligned, u =>
        {
            Assert.Equal(u.Alignment!.Phones.Count, store.Lengths(u.Id)[StreamKind.Phone]);
            Assert.Equal(u.Alignment.Words.Count, store.Lengths(u.Id)[StreamKind.Word]);
            Assert.Equal(u.Alignment.Phones.Count(p => !p.IsSilence), defaults.Lengths(u.Id)[StreamKind.Phone]);
            Assert.Equal(u.Alignment.Words.Count(w => !w.IsSilence), defaults.Lengths(u.Id)[StreamKind.Word]);
        });
        Assert.True(aligned.Sum(u => u.Alignment!.Phones.Count(p => p.IsSilence)) > 0, "the synthetic corpus should have silence phones");
        Assert.Equal(0, report.SilenceDropped.GetValueOrDefault("phone"));
        Assert.Equal(aligned.Sum(u => u.Alignment!.Phones.Count(p => p.IsSilence)), fixture.StoreF32Report.SilenceDropped["phone"]);
        AssertStreams(store, aligned.MaxBy(u => u.Alignment!.Phones.Count)!, keepSilence: true, Close(rtol: 0, atol: F32Tolerance));
    }

    [Fact]
    public void Utterances_without_alignment_are_counted_and_have_only_text_and_frames()
    {
        var unaligned = fixture.Corpus.FourClass.Where(u => u.Alignment is null).Select(u => u.Id).ToList();
        using var store = FeatureStore.Open(fixture.StoreF32);

        Assert.NotEmpty(unaligned);
        Assert.Equal(unaligned.Count, fixture.StoreF32Report.NoAlignment);
        Assert.All(unaligned, id =>
        {
            Assert.Equal([StreamKind.Text, StreamKind.Frame], store.Lengths(id).Keys.Order());
            Assert.Null(store.Read(id, StreamKind.Phone));
            Assert.Null(store.ReadSegmentFrames(id, StreamKind.Word));
            Assert.Equal(1, store.Utterances.Single(u => u.Id == id).Counts["no_alignment"]);
        });
        Assert.All(fixture.Corpus.FourClass.Where(u => u.Alignment is not null),
            u => Assert.Equal(StreamKinds.All, store.Lengths(u.Id).Keys.Order()));
    }

    [Fact]
    public void Layer_selection_stores_exactly_the_chosen_hidden_states()
    {
        using var scope = NewDisposeScope();
        var directory = fixture.NewFolder("store-layers");

        fixture.Extractor.Run(fixture.Corpus, directory, ExtractionFixture.F32 with { SpeechLayers = "0,2", TextLayers = "3-4" });

        using var store = FeatureStore.Open(directory);
        Assert.Equal([0, 2], store.Description.SpeechLayers);
        Assert.Equal([3, 4], store.Description.TextLayers);
        var utterance = SampleUtterances()[0];
        using var states = Encode(utterance);
        var frames = store.Read(utterance.Id, StreamKind.Frame)!;
        var word = store.Read(utterance.Id, StreamKind.Word)!;
        Assert.Equal(2, frames.shape[0]);
        Assert.Equal(2, word.shape[0]);
        AssertClose(states.Layers.index_select(0, tensor(new long[] { 0, 2 })), frames, Close(0, F32Tolerance), "frame 0,2");
        using var text = fixture.Text.Encode(ReferenceStreams.Clean(utterance.Transcript));
        var expectedText = text.States.Layers[3..5, 1..(text.States.Length - 1)];
        AssertClose(expectedText, store.Read(utterance.Id, StreamKind.Text)!, Close(0, F32Tolerance), "text 3-4");
    }

    [Fact]
    public void Special_tokens_are_kept_when_asked()
    {
        using var scope = NewDisposeScope();
        var directory = fixture.NewFolder("store-special");

        fixture.Extractor.Run(fixture.Corpus, directory, ExtractionFixture.F32 with { KeepSpecialTokens = true });

        using var store = FeatureStore.Open(directory);
        using var defaults = FeatureStore.Open(fixture.StoreF32);
        foreach (var utterance in SampleUtterances())
        {
            using var text = fixture.Text.Encode(ReferenceStreams.Clean(utterance.Transcript));
            var stored = store.Read(utterance.Id, StreamKind.Text)!;
            Assert.Equal(text.States.Length, stored.shape[1]);
            Assert.Equal(text.States.Length - 2, defaults.Lengths(utterance.Id)[StreamKind.Text]);
            AssertClose(text.States.Layers[1..], stored, Close(0, F32Tolerance), $"{utterance.Id} text with [CLS]/[SEP]");
        }
    }

    /// <summary>A few utterances: the shortest, one in the middle and the longest aligned one, and one with a tag if any.</summary>
    private List<Utterance> SampleUtterances()
    {
        var aligned = fixture.Corpus.FourClass.Where(u => u.Alignment is not null).OrderBy(u => new FileInfo(u.WavPath).Length).ToList();
        var chosen = new List<Utterance> { aligned[0], aligned[aligned.Count / 2], aligned[^1] };
        if (aligned.FirstOrDefault(u => u.Transcript.Contains('[')) is { } tagged) chosen.Add(tagged);
        return chosen.DistinctBy(u => u.Id).ToList();
    }

    private Orchestrator.Models.Encoders.HiddenStates Encode(Utterance utterance)
    {
        var wave = WavReader.ReadMono(utterance.WavPath, fixture.Speech.Preprocessor.SamplingRate);
        return fixture.Speech.EncodeWave(wave.Samples, wave.SampleRate);
    }

    private void AssertStreams(FeatureStore store, Utterance utterance, bool keepSilence, Func<Tensor, Tensor, bool> close)
    {
        var speechLayers = tensor(store.Description.SpeechLayers.Select(l => (long)l).ToArray());
        var textLayers = tensor(store.Description.TextLayers.Select(l => (long)l).ToArray());

        // F: the encoder's frames, kept layers.
        using var states = Encode(utterance);                                              // (L + 1, T, H)
        var kept = states.Layers.index_select(0, speechLayers);                            // (L, T, H)
        AssertClose(kept, store.Read(utterance.Id, StreamKind.Frame)!, close, $"{utterance.Id} frame");

        // P, S, W: the centre rule over the alignment as the corpus reader parsed it.
        var (hop, field) = ReferenceStreams.Geometry(fixture.Speech.Config);
        var alignment = utterance.Alignment!;
        Assert.NotNull(alignment.Syllables);   // the synthetic corpus writes .syseg
        var segments = new Dictionary<StreamKind, IReadOnlyList<AlignedSegment>>
        {
            [StreamKind.Phone] = alignment.Phones, [StreamKind.Syllable] = alignment.Syllables!, [StreamKind.Word] = alignment.Words,
        };
        foreach (var (kind, all) in segments)
        {
            var ranges = all.Where(s => keepSilence || !s.IsSilence)
                .Select(s => ReferenceStreams.Frames(s, hop, field, fixture.Speech.Preprocessor.SamplingRate, states.Length)).ToList();
            var storedRanges = store.ReadSegmentFrames(utterance.Id, kind)!.data<long>().ToArray();
            Assert.Equal(ranges.SelectMany(r => new long[] { r.First, r.Last }), storedRanges);
            AssertClose(ReferenceStreams.Pool(kept, ranges), store.Read(utterance.Id, kind)!, close, $"{utterance.Id} {kind.Name()}");
        }

        // T: BERT over the cleaned transcript, [CLS] and [SEP] dropped, kept layers.
        using var text = fixture.Text.Encode(ReferenceStreams.Clean(utterance.Transcript));
        var expectedText = text.States.Layers.index_select(0, textLayers)[.., 1..(text.States.Length - 1)];   // (Lt, N, Ht)
        AssertClose(expectedText, store.Read(utterance.Id, StreamKind.Text)!, close, $"{utterance.Id} text");
    }

    private static Func<Tensor, Tensor, bool> Close(double rtol, double atol) => (expected, actual) => actual.allclose(expected, rtol, atol);

    private static void AssertClose(Tensor expected, Tensor actual, Func<Tensor, Tensor, bool> close, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(close(expected, actual), $"{what}: max |difference| {(actual - expected).abs().max().item<float>()}");
    }
}
