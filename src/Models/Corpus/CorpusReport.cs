using System.Text.Encodings.Web;
using System.Text.Json;

namespace Orchestrator.Models.Corpus;

/// <summary>
/// The facts <c>orchestrator corpus check</c> prints: 4-class counts, raw label counts, the
/// 4-class utterances without alignment and every problem found. A plain object: the CLI
/// decides how to render it.
/// </summary>
/// <param name="Utterances">Utterances in the 4-class set.</param>
/// <param name="Classes">4-class counts by code, in the order ang, hap, sad, neu.</param>
/// <param name="Sessions">4-class counts by session "1" to "5" (0 for a session with none).</param>
/// <param name="RawLabels">Counts of every raw category over all utterances (xxx included), most frequent first.</param>
/// <param name="MissingAlignment">Ids of 4-class utterances without any alignment file, sorted.</param>
/// <param name="Problems">Everything the reader found wrong, in its order.</param>
public sealed record CorpusReport(
    int Utterances,
    IReadOnlyDictionary<string, int> Classes,
    IReadOnlyDictionary<string, int> Sessions,
    IReadOnlyDictionary<string, int> RawLabels,
    IReadOnlyList<string> MissingAlignment,
    IReadOnlyList<CorpusProblem> Problems)
{
    private static readonly CorpusReportJsonContext Json = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Messages quote file text ('WHAT(2)', <s>, ++LAUGHTER++); the default encoder would
        // print them as \u0027 and \u003C. The JSON goes to a terminal or a file, never into HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static CorpusReport From(IemocapCorpus corpus)
    {
        var fourClass = corpus.FourClass;
        var classes = EmotionLabels.Codes.ToDictionary(code => code, _ => 0);
        foreach (var utterance in fourClass)
            classes[utterance.Label!.Value.Code()]++;

        var sessions = Enumerable.Range(1, IemocapLayout.SessionCount)
            .ToDictionary(s => s.ToString(), s => fourClass.Count(u => u.Session == s));

        // Ties broken by code so that the report is the same on every run.
        var rawLabels = corpus.Utterances
            .GroupBy(u => u.RawLabel, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());

        var missing = fourClass.Where(u => u.Alignment is null).Select(u => u.Id).Order(StringComparer.Ordinal).ToList();
        return new CorpusReport(fourClass.Count, classes, sessions, rawLabels, missing, corpus.Problems);
    }

    /// <summary>The report as JSON with snake_case keys; a problem's <c>line</c> is null when it concerns a whole file.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json.CorpusReport);
}
