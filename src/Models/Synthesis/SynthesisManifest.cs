using System.Text.Json;
using System.Text.Json.Serialization;
using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// <c>synthesis.json</c> at the corpus root: how the corpus was made and what a correct reader must find
/// in it. IEMOCAP readers ignore the file; tests compare their output with it.
/// </summary>
public sealed record SynthesisManifest(
    ulong Seed,
    SyntheticCorpusOptions Options,
    int Utterances,
    int Dialogs,
    IReadOnlyDictionary<string, int> RawLabels,
    int FourClassTotal,
    IReadOnlyDictionary<string, int> FourClass,
    IReadOnlyList<SessionCounts> Sessions,
    IReadOnlyList<string> WithoutAlignment,
    IReadOnlyList<SpeakerVoice> Speakers,
    IReadOnlyList<UtteranceTruth> Truth)
{
    public const string FileName = "synthesis.json";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    public static SynthesisManifest From(SyntheticCorpusOptions options, IReadOnlyList<PlannedUtterance> plan) => new(
        options.Seed,
        options,
        plan.Count,
        plan.Select(p => p.Dialog).Distinct().Count(),
        Count(plan.Select(p => p.RawLabel)),
        plan.Count(p => EmotionLabels.FromRaw(p.RawLabel) is not null),
        CountFourClass(plan),
        plan.GroupBy(p => p.Session).OrderBy(g => g.Key).Select(g => new SessionCounts(g.Key, g.Count(), CountFourClass(g))).ToList(),
        plan.Where(p => !p.HasAlignment).Select(p => p.Id).ToList(),
        SpeakerCast.Speakers,
        plan.Select(p => new UtteranceTruth(p.Id, p.RawLabel, p.Cue, p.Speaker.Voice, p.SpokenText)).ToList());

    public static SynthesisManifest Read(string path) =>
        JsonSerializer.Deserialize<SynthesisManifest>(File.ReadAllText(path), Json)
        ?? throw new InvalidDataException($"{path} holds no manifest.");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Every class appears, with 0 where absent, so comparisons need no special case.</summary>
    private static SortedDictionary<string, int> CountFourClass(IEnumerable<PlannedUtterance> plan)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var code in EmotionLabels.Codes) counts[code] = 0;
        foreach (var p in plan)
            if (EmotionLabels.FromRaw(p.RawLabel) is { } emotion) counts[emotion.Code()]++;
        return counts;
    }

    private static SortedDictionary<string, int> Count(IEnumerable<string> codes)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var code in codes) counts[code] = counts.GetValueOrDefault(code) + 1;
        return counts;
    }
}
