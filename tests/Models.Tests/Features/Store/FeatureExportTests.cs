using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Tests.Encoders;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features.Store;

public sealed class FeatureExportTests
{
    [Fact]
    public void Export_writes_every_stream_as_float32_and_segment_frames_as_int64()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description()))
            StoreFixtures.AddAll(writer, [2]);
        using var store = FeatureStore.Open(directory.Path);
        var output = directory.File("one.safetensors");

        FeatureExport.Write(store, StoreFixtures.Id(2), output);

        using var file = SafeTensorsFile.Open(output);
        using var scope = NewDisposeScope();
        Assert.Equal(["text", "frame", "phone", "syllable", "word", "phone_frames", "syllable_frames", "word_frames"], file.Tensors.Keys);
        Assert.Equal([2L, 5, StoreFixtures.TextWidth], file.Tensors["text"].Shape);
        Assert.Equal([3L, 12, StoreFixtures.SpeechWidth], file.Tensors["frame"].Shape);
        Assert.Equal([3L, 5, StoreFixtures.SpeechWidth], file.Tensors["phone"].Shape);
        Assert.Equal([3L, 3, StoreFixtures.SpeechWidth], file.Tensors["syllable"].Shape);
        Assert.Equal([3L, 2, StoreFixtures.SpeechWidth], file.Tensors["word"].Shape);
        Assert.Equal([5L, 2], file.Tensors["phone_frames"].Shape);
        Assert.All(StreamKinds.All, k => Assert.Equal(ScalarType.Float32, file.Tensors[k.Name()].DType));
        Assert.All(StreamKinds.Segmental, k => Assert.Equal(ScalarType.Int64, file.Tensors[$"{k.Name()}_frames"].DType));
        Assert.True(StoreFixtures.Same(store.Read(StoreFixtures.Id(2), StreamKind.Word)!, file.Tensors["word"].Read()));
        Assert.True(StoreFixtures.Same(store.ReadSegmentFrames(StoreFixtures.Id(2), StreamKind.Syllable)!, file.Tensors["syllable_frames"].Read()));
        Assert.Equal(StoreFixtures.Id(2), file.Metadata["utterance"]);
        Assert.Equal("", file.Metadata["absent_streams"]);
        Assert.Equal("1,2,3", file.Metadata["speech_layers"]);
    }

    [Fact]
    public void Export_of_an_unaligned_utterance_omits_its_segment_streams_and_says_so()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description()))
            StoreFixtures.AddAll(writer, [1], oddUnaligned: true);
        using var store = FeatureStore.Open(directory.Path);
        var output = directory.File("one.safetensors");

        FeatureExport.Write(store, StoreFixtures.Id(1), output);

        using var file = SafeTensorsFile.Open(output);
        Assert.Equal(["text", "frame"], file.Tensors.Keys);
        Assert.Equal("phone,syllable,word", file.Metadata["absent_streams"]);
    }

    [Fact]
    public void Export_of_an_unknown_utterance_names_it()
    {
        using var directory = new TempDirectory();
        using (FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description())) { }
        using var store = FeatureStore.Open(directory.Path);

        var error = Assert.Throws<KeyNotFoundException>(() => FeatureExport.Write(store, "Ses09X_nope", directory.File("x.safetensors")));

        Assert.Contains("Ses09X_nope", error.Message);
    }
}
