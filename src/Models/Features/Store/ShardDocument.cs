using System.Text.Json.Serialization;

namespace Orchestrator.Models.Features.Store;

/// <summary>One shard in the manifest's <c>shards</c> list.</summary>
internal sealed class ShardDocument
{
    /// <summary>Path relative to the store folder, with forward slashes: <c>shards/000012.safetensors</c>.</summary>
    [JsonPropertyName("file")] public required string File { get; init; }

    /// <summary>File size: a shard of another size is not the one the manifest indexed.</summary>
    [JsonPropertyName("bytes")] public required long Bytes { get; init; }

    /// <summary>Utterances the shard holds (including any superseded by a later shard).</summary>
    [JsonPropertyName("utterances")] public required int Utterances { get; init; }
}
