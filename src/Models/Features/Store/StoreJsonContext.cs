using System.Text.Json.Serialization;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// Source-generated serialization of the manifest and shard metadata, so that the store also
/// works where reflection-based JSON is disabled (trimmed or AOT builds, file-based apps).
/// </summary>
[JsonSerializable(typeof(ManifestDocument))]
[JsonSerializable(typeof(DescriptionDocument))]
[JsonSerializable(typeof(List<UtteranceDocument>))]
internal sealed partial class StoreJsonContext : JsonSerializerContext;
