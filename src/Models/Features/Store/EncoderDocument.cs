using System.Text.Json.Serialization;

namespace Orchestrator.Models.Features.Store;

/// <summary>JSON form of <see cref="EncoderDescription"/> in the manifest and shard headers.</summary>
internal sealed class EncoderDocument
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("config_hash")] public required string ConfigHash { get; init; }
    [JsonPropertyName("untrained")] public required bool Untrained { get; init; }
}
