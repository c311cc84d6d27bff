using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Tests.Encoders;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features.Store;

/// <summary>
/// A killed extraction, simulated by leaving the files a kill -9 can leave at each step of a shard
/// write (a partial <c>.tmp</c> shard, a renamed shard the manifest does not list yet, a partial
/// manifest <c>.tmp</c>) plus a shard damaged after the fact. Starting a real child process and
/// killing it would need a separate executable project; the writer's steps are few enough that the
/// simulation covers every state between them.
/// </summary>
public sealed class ResumeTests
{
    private static readonly IReadOnlyList<(string Id, string Key)> Inputs =
        Enumerable.Range(0, 10).Select(i => (StoreFixtures.Id(i), $"key-{i}")).ToList();

    [Fact]
    public void A_store_killed_between_steps_resumes_with_exactly_the_missing_utterances_pending()
    {
        using var directory = new TempDirectory();
        var manifest = Path.Combine(directory.Path, "manifest.json");
        string staleManifest;
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
        {
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 4));
            writer.Flush();
            staleManifest = File.ReadAllText(manifest);
            StoreFixtures.AddAll(writer, Enumerable.Range(4, 2));
            writer.Flush();
        }
        var shards = Path.Combine(directory.Path, "shards");
        var last = Directory.GetFiles(shards).Order().Last();
        // Killed after renaming the last shard, before the manifest listed it ...
        File.WriteAllText(manifest, staleManifest);
        // ... or while writing the next shard, or the manifest.
        File.WriteAllBytes(Path.Combine(shards, $"{int.Parse(Path.GetFileNameWithoutExtension(last)) + 1:D6}.safetensors.tmp"), File.ReadAllBytes(last)[..100]);
        File.WriteAllText(manifest + ".tmp", "{\"format\": \"orchestr");

        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
        {
            Assert.Equal(Inputs.Skip(6), writer.Pending(Inputs));
            Assert.Contains(writer.Problems, p => p.Contains(".safetensors.tmp") && p.Contains("deleted"));
            Assert.Contains(writer.Problems, p => p.Contains("manifest.json.tmp"));
            Assert.Contains(writer.Problems, p => p.Contains("did not match the shards"));
            StoreFixtures.AddAll(writer, writer.Pending(Inputs).Select(p => Inputs.ToList().IndexOf(p)));
            writer.Complete("{}");
        }

        AssertStoreHolds(directory.Path, Enumerable.Range(0, 10));
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void A_missing_manifest_is_rebuilt_from_the_shard_headers()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 5), oddUnaligned: true);
        File.Delete(Path.Combine(directory.Path, "manifest.json"));

        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
            Assert.Equal(Inputs.Skip(5), writer.Pending(Inputs));

        AssertStoreHolds(directory.Path, Enumerable.Range(0, 5), oddUnaligned: true);
    }

    [Fact]
    public void A_truncated_shard_is_quarantined_and_its_utterances_extracted_again()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 6));
        var damaged = Directory.GetFiles(Path.Combine(directory.Path, "shards")).Order().ElementAt(1);
        var lost = Inputs.Take(6).Select(i => i.Id).Where(id => ShardOf(directory.Path, id) == Path.GetFileName(damaged)).ToList();
        Assert.NotEmpty(lost);
        var bytes = File.ReadAllBytes(damaged);
        File.WriteAllBytes(damaged, bytes[..(bytes.Length - 10)]);

        // The reader refuses the store until a writer has repaired it.
        var readError = Assert.Throws<FeatureStoreException>(() => FeatureStore.Open(directory.Path));
        Assert.Contains(Path.GetFileName(damaged), readError.Message);

        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
        {
            Assert.Equal(lost.Order(), writer.Pending(Inputs.Take(6)).Select(p => p.Id).Order());
            Assert.Contains(writer.Problems, p => p.Contains("truncated") && p.Contains("quarantine"));
            StoreFixtures.AddAll(writer, lost.Select(id => Inputs.Select(i => i.Id).ToList().IndexOf(id)));
        }

        Assert.True(File.Exists(Path.Combine(directory.Path, "quarantine", Path.GetFileName(damaged))));
        Assert.False(File.Exists(damaged));
        AssertStoreHolds(directory.Path, Enumerable.Range(0, 6));
    }

    [Fact]
    public void An_utterance_in_two_shards_under_the_same_key_keeps_its_first_copy()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 2));
        var shards = Directory.GetFiles(Path.Combine(directory.Path, "shards")).Order().ToList();
        File.Copy(shards[0], Path.Combine(directory.Path, "shards", "000099.safetensors"));

        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(), StoreFixtures.SmallShards))
            Assert.Contains(writer.Problems, p => p.Contains("first copy"));

        Assert.Equal("shards/000000.safetensors", ShardOf(directory.Path, StoreFixtures.Id(0)) is { } name ? $"shards/{name}" : null);
        AssertStoreHolds(directory.Path, Enumerable.Range(0, 2));
    }

    private static string? ShardOf(string directory, string id)
    {
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json")));
        return manifest.RootElement.GetProperty("utterances").EnumerateArray()
            .Where(u => u.GetProperty("id").GetString() == id).Select(u => Path.GetFileName(u.GetProperty("shard").GetString())).SingleOrDefault();
    }

    /// <summary>Exactly these utterances, once each, each readable and equal to its features.</summary>
    private static void AssertStoreHolds(string directory, IEnumerable<int> indices, bool oddUnaligned = false)
    {
        using var store = FeatureStore.Open(directory);
        using var scope = NewDisposeScope();
        var expected = indices.ToList();
        Assert.Equal(expected.Select(StoreFixtures.Id).Order(StringComparer.Ordinal), store.Utterances.Select(u => u.Id));
        foreach (var i in expected)
        {
            using var original = StoreFixtures.Features(i, aligned: !(oddUnaligned && i % 2 == 1));
            Assert.Equal(original.Streams.Keys.Order(), store.Lengths(StoreFixtures.Id(i)).Keys.Order());
            foreach (var (kind, tensor) in original.Streams)
                Assert.True(StoreFixtures.Same(tensor.to_type(ScalarType.Float16).to_type(ScalarType.Float32), store.Read(StoreFixtures.Id(i), kind)!));
        }
    }
}
