using System.Text.Json.Serialization;
using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// JSON form of one stored utterance: <see cref="UtteranceInfo"/>, the sequence length of each
/// stored stream, and (in the manifest only) the shard that holds it.
/// </summary>
internal sealed class UtteranceDocument
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("session")] public required int Session { get; init; }
    [JsonPropertyName("speaker")] public required string Speaker { get; init; }
    [JsonPropertyName("gender")] public required string Gender { get; init; }
    [JsonPropertyName("raw_label")] public required string RawLabel { get; init; }
    [JsonPropertyName("label")] public string? Label { get; init; }
    [JsonPropertyName("key")] public required string Key { get; init; }
    [JsonPropertyName("lengths")] public required SortedDictionary<string, int> Lengths { get; init; }
    [JsonPropertyName("counts")] public required SortedDictionary<string, int> Counts { get; init; }

    [JsonPropertyName("shard")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Shard { get; init; }

    public static UtteranceDocument From(UtteranceInfo info, IReadOnlyDictionary<StreamKind, int> lengths) => new()
    {
        Id = info.Id,
        Session = info.Session,
        Speaker = info.Speaker,
        Gender = info.Gender.ToString(),
        RawLabel = info.RawLabel,
        Label = info.Label?.Code(),
        Key = info.Key,
        Lengths = new SortedDictionary<string, int>(lengths.ToDictionary(l => l.Key.Name(), l => l.Value), StringComparer.Ordinal),
        Counts = new SortedDictionary<string, int>(info.Counts.ToDictionary(), StringComparer.Ordinal),
    };

    public UtteranceDocument WithShard(string? shard) => new()
    {
        Id = Id, Session = Session, Speaker = Speaker, Gender = Gender, RawLabel = RawLabel, Label = Label,
        Key = Key, Lengths = Lengths, Counts = Counts, Shard = shard,
    };

    /// <summary>The stored streams and their lengths N.</summary>
    /// <exception cref="FormatException">A stream name is unknown.</exception>
    public IReadOnlyDictionary<StreamKind, int> StreamLengths() => Lengths.ToDictionary(
        l => StreamKinds.All.FirstOrDefault(k => k.Name() == l.Key, (StreamKind)(-1)) is var kind && kind >= 0
            ? kind : throw new FormatException($"utterance '{Id}' lists an unknown stream '{l.Key}'"),
        l => l.Value);

    /// <exception cref="FormatException">Gender or label is not valid.</exception>
    public UtteranceInfo ToInfo() => new(
        Id,
        Session,
        Speaker,
        Gender.Length == 1 ? Gender[0] : throw new FormatException($"utterance '{Id}' has gender '{Gender}'; expected one letter"),
        RawLabel,
        Label is null ? null
            : EmotionLabels.Codes.ToList().IndexOf(Label) is var index and >= 0 ? (Emotion)index
            : throw new FormatException($"utterance '{Id}' has label '{Label}'; expected one of {string.Join(", ", EmotionLabels.Codes)} or null"),
        Key,
        Counts);
}
