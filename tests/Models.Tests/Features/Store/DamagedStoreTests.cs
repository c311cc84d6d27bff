using System.Text.Json.Nodes;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Tests.Encoders;

namespace Orchestrator.Models.Tests.Features.Store;

/// <summary>
/// A store that is not one, or whose manifest and shards disagree, is refused on opening with the
/// manifest's path and what is wrong (the shard, the sizes, the utterance), and opening it changes
/// no file: training never reads a half-valid store, and the extraction can still repair it.
/// </summary>
public sealed class DamagedStoreTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "no manifest", "manifest.json: not found; {dir} is not a feature store" },
        { "manifest cut short", "manifest.json: invalid JSON (" },
        { "another format version", "manifest.json: format 'orchestrator-feature-store' version 99; this reader needs" },
        { "shard deleted", "manifest.json: lists {shard}, which does not exist" },
        { "shard truncated", "manifest.json: lists {shard} with {bytes} bytes but it has {half}" },
        { "fingerprint edited", "manifest.json: fingerprint 0123abcd does not match its contents" },
        { "utterance listed twice", "manifest.json: utterance '{utterance}' is listed twice." },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_damaged_store_is_refused_naming_its_manifest_and_the_fault_and_left_as_it_was(string damage, string expected)
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description()))
        {
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 3));
            writer.Complete("{}");
        }
        var manifestPath = Path.Combine(directory.Path, "manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        var shard = (string)manifest["shards"]![0]!["file"]!;
        var shardPath = Path.Combine(directory.Path, shard);
        var bytes = new FileInfo(shardPath).Length;
        Damage(damage, manifestPath, manifest, shardPath);
        var before = Snapshot(directory.Path);

        var error = Assert.Throws<FeatureStoreException>(() => FeatureStore.Open(directory.Path));

        var message = expected.Replace("{dir}", directory.Path).Replace("{shard}", shard).Replace("{bytes}", $"{bytes}").Replace("{half}", $"{bytes / 2}")
            .Replace("{utterance}", (string)manifest["utterances"]![0]!["id"]!);
        Assert.StartsWith(Path.Combine(directory.Path, message), error.Message);
        Assert.Equal(before, Snapshot(directory.Path));
    }

    private static void Damage(string damage, string manifestPath, JsonNode manifest, string shardPath)
    {
        switch (damage)
        {
            case "no manifest": File.Delete(manifestPath); return;
            case "manifest cut short": File.WriteAllText(manifestPath, manifest.ToJsonString()[..100]); return;
            case "shard deleted": File.Delete(shardPath); return;
            case "shard truncated": File.WriteAllBytes(shardPath, File.ReadAllBytes(shardPath)[..(int)(new FileInfo(shardPath).Length / 2)]); return;
            case "another format version": manifest["version"] = 99; break;
            case "fingerprint edited": manifest["fingerprint"] = "0123abcd"; break;
            case "utterance listed twice": manifest["utterances"]!.AsArray().Add(manifest["utterances"]![0]!.DeepClone()); break;
            default: throw new ArgumentException(damage);
        }
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }

    /// <summary>Every file with its size and last write: what "left as it was" means.</summary>
    private static List<(string, long, DateTime)> Snapshot(string directory) =>
        [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order().Select(f => (f, new FileInfo(f).Length, File.GetLastWriteTimeUtc(f)))];
}
