using System.Text.Json.Serialization;

namespace Orchestrator.Models.Features.Store;

/// <summary>JSON form of <see cref="StoreDescription"/> (manifest <c>description</c>, shard metadata <c>description</c>).</summary>
internal sealed class DescriptionDocument
{
    [JsonPropertyName("extraction_fingerprint")] public required string ExtractionFingerprint { get; init; }
    [JsonPropertyName("dtype")] public required string DType { get; init; }
    [JsonPropertyName("speech_layers")] public required int[] SpeechLayers { get; init; }
    [JsonPropertyName("text_layers")] public required int[] TextLayers { get; init; }
    [JsonPropertyName("speech_width")] public required int SpeechWidth { get; init; }
    [JsonPropertyName("text_width")] public required int TextWidth { get; init; }
    [JsonPropertyName("encoders")] public required EncoderDocument[] Encoders { get; init; }
    [JsonPropertyName("options")] public required SortedDictionary<string, string> Options { get; init; }

    public static DescriptionDocument From(StoreDescription description) => new()
    {
        ExtractionFingerprint = description.ExtractionFingerprint,
        DType = description.DType.Name(),
        SpeechLayers = [.. description.SpeechLayers],
        TextLayers = [.. description.TextLayers],
        SpeechWidth = description.SpeechWidth,
        TextWidth = description.TextWidth,
        Encoders = [.. description.Encoders.Select(e => new EncoderDocument { Name = e.Name, Path = e.Path, ConfigHash = e.ConfigHash, Untrained = e.Untrained })],
        Options = new SortedDictionary<string, string>(description.Options.ToDictionary(), StringComparer.Ordinal),
    };

    /// <exception cref="FormatException">The dtype is not F16 or F32.</exception>
    public StoreDescription ToDescription() => new(
        ExtractionFingerprint,
        StoreDTypes.Parse(DType),
        SpeechLayers,
        TextLayers,
        SpeechWidth,
        TextWidth,
        [.. Encoders.Select(e => new EncoderDescription(e.Name, e.Path, e.ConfigHash, e.Untrained))],
        Options);
}
