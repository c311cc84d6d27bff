using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Tests.Encoders;

namespace Orchestrator.Models.Tests.Features.Store;

public sealed class FingerprintTests
{
    private static TempDirectory StoreOf(StoreDescription description, int count = 3)
    {
        var directory = new TempDirectory();
        using var writer = FeatureStoreWriter.Open(directory.Path, description);
        StoreFixtures.AddAll(writer, Enumerable.Range(0, count));
        writer.Complete("{}");
        return directory;
    }

    [Theory]
    [InlineData("fingerprint", "extraction fingerprint: store extraction-a, requested extraction-b")]
    [InlineData("dtype", "dtype: store F16, requested F32")]
    [InlineData("layers", "speech layers: store [1,2,3], requested [0,1,2]")]
    public void Reopening_for_another_extraction_is_refused_naming_what_differs(string change, string expected)
    {
        using var directory = StoreOf(StoreFixtures.Description());
        var requested = change switch
        {
            "fingerprint" => StoreFixtures.Description(fingerprint: "extraction-b"),
            "dtype" => StoreFixtures.Description(StoreDType.Float32),
            _ => StoreFixtures.Description(speechLayers: [0, 1, 2]),
        };

        var error = Assert.Throws<FeatureStoreMismatchException>(() => FeatureStoreWriter.Open(directory.Path, requested));

        Assert.Contains(expected, error.Differences);
        Assert.Contains(directory.Path, error.Message);
        Assert.Contains("overwrite", error.Message);
    }

    [Fact]
    public void A_mismatch_is_found_from_the_shards_when_the_manifest_is_gone()
    {
        using var directory = StoreOf(StoreFixtures.Description());
        File.Delete(Path.Combine(directory.Path, "manifest.json"));

        var error = Assert.Throws<FeatureStoreMismatchException>(() => FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(StoreDType.Float32)));

        Assert.Contains("dtype: store F16, requested F32", error.Differences);
    }

    [Fact]
    public void Changing_one_utterance_key_makes_only_that_utterance_pending_and_its_new_features_supersede()
    {
        using var directory = StoreOf(StoreFixtures.Description());
        var before = FeatureStore.Open(directory.Path);
        var fingerprint = before.Fingerprint;
        before.Dispose();
        var inputs = Enumerable.Range(0, 3).Select(i => (StoreFixtures.Id(i), i == 1 ? "key-1-edited" : $"key-{i}")).ToList();

        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description()))
        {
            Assert.Equal([(StoreFixtures.Id(1), "key-1-edited")], writer.Pending(inputs));
            using var features = StoreFixtures.Features(1);
            Assert.True(writer.Add(StoreFixtures.Info(1, "key-1-edited"), features));
            Assert.Empty(writer.Pending(inputs));
            writer.Complete("{}");
        }

        using var store = FeatureStore.Open(directory.Path);
        Assert.Equal(3, store.Utterances.Count);
        Assert.Equal("key-1-edited", store.Utterances.Single(u => u.Id == StoreFixtures.Id(1)).Key);
        Assert.NotEqual(fingerprint, store.Fingerprint);
        using var writerAgain = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description());
        Assert.Empty(writerAgain.Pending(inputs));
        Assert.Empty(writerAgain.Problems);
    }

    [Fact]
    public void The_store_fingerprint_depends_on_every_input_and_on_nothing_descriptive()
    {
        (string, string)[] keys = [("a", "1"), ("b", "2")];
        var baseline = StoreHash.StoreFingerprint(StoreFixtures.Description(), keys);

        Assert.Equal(baseline, StoreHash.StoreFingerprint(StoreFixtures.Description(), keys.Reverse()));
        Assert.Equal(baseline, StoreHash.StoreFingerprint(StoreFixtures.Description() with { Encoders = [] }, keys));
        Assert.NotEqual(baseline, StoreHash.StoreFingerprint(StoreFixtures.Description(), [("a", "1"), ("b", "3")]));
        Assert.NotEqual(baseline, StoreHash.StoreFingerprint(StoreFixtures.Description(), [("a", "1")]));
        Assert.NotEqual(baseline, StoreHash.StoreFingerprint(StoreFixtures.Description(StoreDType.Float32), keys));
        Assert.NotEqual(baseline, StoreHash.StoreFingerprint(StoreFixtures.Description(fingerprint: "x"), keys));
        Assert.NotEqual(baseline, StoreHash.StoreFingerprint(StoreFixtures.Description(speechLayers: [1, 2]), keys));
    }

    [Fact]
    public void The_extraction_fingerprint_changes_with_encoders_and_options_but_not_checkpoint_paths()
    {
        var encoders = StoreFixtures.Description().Encoders;
        var options = new Dictionary<string, string> { ["keep_silence"] = "false", ["keep_cls"] = "false" };
        var baseline = StoreDescription.ComputeExtractionFingerprint(encoders, options);

        Assert.Equal(baseline, StoreDescription.ComputeExtractionFingerprint(encoders.Select(e => e with { Path = "/elsewhere" }), options));
        Assert.Equal(baseline, StoreDescription.ComputeExtractionFingerprint(encoders, options.Reverse().ToDictionary()));
        Assert.NotEqual(baseline, StoreDescription.ComputeExtractionFingerprint(encoders, new Dictionary<string, string>(options) { ["keep_silence"] = "true" }));
        Assert.NotEqual(baseline, StoreDescription.ComputeExtractionFingerprint([encoders[0] with { ConfigHash = "other" }, encoders[1]], options));
        Assert.NotEqual(baseline, StoreDescription.ComputeExtractionFingerprint([encoders[0] with { Untrained = true }, encoders[1]], options));
    }

    [Fact]
    public void Overwrite_clears_a_store_of_another_extraction_but_never_a_folder_that_is_not_a_store()
    {
        using var directory = StoreOf(StoreFixtures.Description());
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(StoreDType.Float32), new StoreWriterOptions(Overwrite: true)))
            Assert.Equal(0, writer.Count);
        using (var store = FeatureStore.Open(directory.Path))
            Assert.Equal(StoreDType.Float32, store.Description.DType);

        using var other = new TempDirectory();
        File.WriteAllText(other.File("thesis.tex"), "precious");
        var error = Assert.Throws<FeatureStoreException>(() => FeatureStoreWriter.Open(other.Path, StoreFixtures.Description(), new StoreWriterOptions(Overwrite: true)));
        Assert.Contains("not a feature store", error.Message);
        Assert.True(File.Exists(other.File("thesis.tex")));
    }

    [Fact]
    public void Overwrite_keeps_a_store_of_the_same_extraction()
    {
        using var directory = StoreOf(StoreFixtures.Description());
        int before;
        using (var store = FeatureStore.Open(directory.Path)) before = store.Utterances.Count;

        using var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), new StoreWriterOptions(Overwrite: true));

        Assert.True(before > 0);
        Assert.Equal(before, writer.Count);
    }

    [Fact]
    public void A_second_writer_on_the_same_folder_is_refused()
    {
        using var directory = new TempDirectory();
        using var first = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description());

        var error = Assert.Throws<FeatureStoreException>(() => FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description()));

        Assert.Contains("another extraction", error.Message);
    }
}
