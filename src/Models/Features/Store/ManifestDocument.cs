using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orchestrator.Models.Features.Store;

/// <summary>The JSON document of <c>manifest.json</c>; docs/feature-store.md describes every key.</summary>
internal sealed class ManifestDocument
{
    public const string FormatName = "orchestrator-feature-store";
    public const int CurrentVersion = 1;

    [JsonPropertyName("format")] public required string Format { get; init; }
    [JsonPropertyName("version")] public required int Version { get; init; }
    [JsonPropertyName("fingerprint")] public required string Fingerprint { get; init; }
    [JsonPropertyName("complete")] public required bool Complete { get; init; }
    [JsonPropertyName("report")] public JsonElement? Report { get; init; }
    [JsonPropertyName("description")] public required DescriptionDocument Description { get; init; }
    [JsonPropertyName("shards")] public required ShardDocument[] Shards { get; init; }
    [JsonPropertyName("utterances")] public required UtteranceDocument[] Utterances { get; init; }
}
