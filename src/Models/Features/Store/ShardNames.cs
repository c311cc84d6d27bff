namespace Orchestrator.Models.Features.Store;

/// <summary>File and tensor names inside a store folder.</summary>
internal static class ShardNames
{
    public const string Manifest = "manifest.json";
    public const string ShardFolder = "shards";
    public const string QuarantineFolder = "quarantine";
    public const string LockFile = ".lock";
    public const string ShardExtension = ".safetensors";
    public const string ShardFormat = "orchestrator-feature-store-shard";

    /// <summary><c>shards/000012.safetensors</c>: the manifest's relative spelling.</summary>
    public static string Relative(int number) => $"{ShardFolder}/{number:D6}{ShardExtension}";

    /// <summary>The shard's number, or null for a file name that is not six digits and .safetensors.</summary>
    public static int? Number(string fileName) =>
        fileName.EndsWith(ShardExtension, StringComparison.Ordinal)
        && fileName[..^ShardExtension.Length] is { Length: 6 } stem && stem.All(char.IsAsciiDigit)
            ? int.Parse(stem) : null;

    /// <summary><c>ID/frame</c>: the tensor holding a stream of an utterance.</summary>
    public static string Stream(string id, StreamKind kind) => $"{id}/{kind.Name()}";

    /// <summary><c>ID/phone_frames</c>: the segment frame spans of a P, S or W stream.</summary>
    public static string Frames(string id, StreamKind kind) => $"{id}/{kind.Name()}_frames";
}
