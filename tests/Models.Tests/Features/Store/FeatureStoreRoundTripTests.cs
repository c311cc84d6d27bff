using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Tests.Encoders;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features.Store;

public sealed class FeatureStoreRoundTripTests
{
    [Theory]
    [InlineData(StoreDType.Float16)]
    [InlineData(StoreDType.Float32)]
    public void Every_stream_reads_back_as_float32_equal_to_what_was_stored(StoreDType dtype)
    {
        using var directory = new TempDirectory();
        var description = StoreFixtures.Description(dtype);
        using (var writer = FeatureStoreWriter.Open(directory.Path, description, StoreFixtures.SmallShards))
        {
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 6));
            writer.Complete("""{"utterances": 6}""");
        }

        using var store = FeatureStore.Open(directory.Path);
        using var scope = NewDisposeScope();
        Assert.True(store.IsComplete);
        Assert.Equal(6, System.Text.Json.JsonDocument.Parse(store.ReportJson!).RootElement.GetProperty("utterances").GetInt32());
        Assert.True(store.ShardCount > 1);
        Assert.Equal(6, store.Utterances.Count);
        for (var i = 0; i < 6; i++)
        {
            using var original = StoreFixtures.Features(i, description: description);
            foreach (var (kind, tensor) in original.Streams)
            {
                // Float16 stores round once; reading converts exactly, so the comparison is exact either way.
                var expected = tensor.to_type(dtype.ScalarType()).to_type(ScalarType.Float32);
                Assert.True(StoreFixtures.Same(expected, store.Read(StoreFixtures.Id(i), kind)!), $"{StoreFixtures.Id(i)} {kind}");
            }
            foreach (var (kind, frames) in original.SegmentFrames)
                Assert.True(StoreFixtures.Same(frames, store.ReadSegmentFrames(StoreFixtures.Id(i), kind)!));
        }
    }

    [Fact]
    public void The_manifest_lists_utterance_info_and_lengths_without_opening_shards()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description()))
            StoreFixtures.AddAll(writer, [2, 3], oddUnaligned: true);

        using var store = FeatureStore.Open(directory.Path);

        Assert.False(store.IsComplete);
        var expected = StoreFixtures.Info(2);
        Assert.Equal(expected, store.Utterances[0] with { Counts = expected.Counts });
        Assert.Equal(expected.Counts, store.Utterances[0].Counts);
        Assert.Equal(Emotion.Happy, store.Utterances[0].Label);
        Assert.Null(store.Utterances[1].Label);
        Assert.Equal(2, store.Utterances[0].Counts["clipped_segments"]);
        Assert.Equal(new Dictionary<StreamKind, int> { [StreamKind.Text] = 5, [StreamKind.Frame] = 12, [StreamKind.Phone] = 5, [StreamKind.Syllable] = 3, [StreamKind.Word] = 2 },
            store.Lengths(StoreFixtures.Id(2)));
        Assert.Equal(StoreFixtures.Description().ExtractionFingerprint, store.Description.ExtractionFingerprint);
        Assert.Equal("cfg-w", store.Description.Encoders[0].ConfigHash);
    }

    [Fact]
    public void An_utterance_without_alignment_has_no_phone_syllable_or_word_stream()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description()))
            StoreFixtures.AddAll(writer, [1], oddUnaligned: true);

        using var store = FeatureStore.Open(directory.Path);
        using var scope = NewDisposeScope();
        var id = StoreFixtures.Id(1);

        Assert.Equal([StreamKind.Text, StreamKind.Frame], store.Lengths(id).Keys.Order());
        foreach (var kind in StreamKinds.Segmental)
        {
            Assert.Null(store.Read(id, kind));
            Assert.Null(store.ReadSegmentFrames(id, kind));
        }
        using var features = ((IFeatureReader)store).ReadUtterance(id);
        Assert.Equal([StreamKind.Text, StreamKind.Frame], features.Streams.Keys.Order());
        Assert.Empty(features.SegmentFrames);
    }

    [Fact]
    public void A_second_extraction_of_the_same_inputs_is_a_cache_hit_that_writes_nothing()
    {
        using var directory = new TempDirectory();
        var inputs = Enumerable.Range(0, 4).Select(i => (StoreFixtures.Id(i), $"key-{i}")).ToList();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
        {
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 4));
            writer.Complete("{}");
        }
        var manifest = Path.Combine(directory.Path, "manifest.json");
        var before = (File.ReadAllText(manifest), File.GetLastWriteTimeUtc(manifest), Directory.GetFiles(Path.Combine(directory.Path, "shards")).Length);

        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
        {
            Assert.Empty(writer.Pending(inputs));
            Assert.True(writer.IsComplete);
            Assert.Empty(writer.Problems);
            using var scope = NewDisposeScope();
            using var features = StoreFixtures.Features(0);
            Assert.False(writer.Add(StoreFixtures.Info(0), features));
        }

        Assert.Equal(before, (File.ReadAllText(manifest), File.GetLastWriteTimeUtc(manifest), Directory.GetFiles(Path.Combine(directory.Path, "shards")).Length));
    }

    [Fact]
    public void Loading_into_memory_reads_the_same_values_and_holds_the_estimated_bytes()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 5), oddUnaligned: true);
        using var store = FeatureStore.Open(directory.Path);
        StreamKind[] kinds = [StreamKind.Text, StreamKind.Frame, StreamKind.Phone];

        using var cache = store.LoadIntoMemory(kinds);

        using var scope = NewDisposeScope();
        Assert.Equal(store.EstimateMemoryBytes(kinds), cache.Bytes);
        foreach (var utterance in store.Utterances)
            foreach (var kind in kinds)
            {
                var fromDisk = store.Read(utterance.Id, kind);
                var fromMemory = cache.Read(utterance.Id, kind);
                Assert.Equal(fromDisk is null, fromMemory is null);
                if (fromDisk is not null) Assert.True(StoreFixtures.Same(fromDisk, fromMemory!));
            }
        Assert.True(StoreFixtures.Same(store.ReadSegmentFrames(StoreFixtures.Id(0), StreamKind.Phone)!, cache.ReadSegmentFrames(StoreFixtures.Id(0), StreamKind.Phone)!));
        Assert.Throws<InvalidOperationException>(() => cache.Read(StoreFixtures.Id(0), StreamKind.Word));
    }

    [Fact]
    public void Features_that_do_not_fit_the_description_are_refused_naming_the_stream()
    {
        using var directory = new TempDirectory();
        using var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description());
        using var scope = NewDisposeScope();
        var streams = new Dictionary<StreamKind, Tensor> { [StreamKind.Frame] = zeros(3, 10, StoreFixtures.SpeechWidth + 1) };
        using var features = new UtteranceFeatures(StoreFixtures.Id(0), streams, new Dictionary<StreamKind, Tensor>());

        var error = Assert.Throws<ArgumentException>(() => writer.Add(StoreFixtures.Info(0), features));

        Assert.Contains("frame", error.Message);
        Assert.Contains("width 8", error.Message);
    }
}
