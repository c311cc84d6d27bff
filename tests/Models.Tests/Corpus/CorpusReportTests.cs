using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Tests.Corpus;

public sealed class CorpusReportTests
{
    private static readonly Alignment SomeAlignment = new([new("SIL", 0, 9, true)], [], null);

    private static Utterance Utterance(string id, string raw, Alignment? alignment) =>
        new(id, int.Parse(id.AsSpan(3, 2)), id[..id.LastIndexOf('_')], id[^4], raw, EmotionLabels.FromRaw(raw), "", $"/c/{id}.wav", alignment);

    private static IemocapCorpus Corpus() => new(
        [
            Utterance("Ses01F_impro01_F000", "neu", SomeAlignment),
            Utterance("Ses01F_impro01_F001", "exc", SomeAlignment),
            Utterance("Ses01F_impro01_M000", "xxx", null),
            Utterance("Ses02F_impro01_F000", "hap", SomeAlignment),
            Utterance("Ses03M_impro03_M001", "ang", null),
            Utterance("Ses03M_impro03_M002", "xxx", SomeAlignment),
            Utterance("Ses05F_impro01_M000", "fru", SomeAlignment),
        ],
        [
            new("Session4", null, "session folder missing: session 4 contributes no utterances", ChangesClassSet: true),
            new("Session1/dialog/EmoEvaluation/Ses01F_impro01.txt", 7, "malformed row: '<s> ++LAUGHTER++ & co'"),
        ]);

    [Fact]
    public void Counts_four_class_utterances_by_class_and_session_and_raw_labels_over_all()
    {
        // Act
        var report = CorpusReport.From(Corpus());

        // Assert
        Assert.Equal(4, report.Utterances);
        Assert.Equal([("ang", 1), ("hap", 2), ("sad", 0), ("neu", 1)], report.Classes.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal([("1", 2), ("2", 1), ("3", 1), ("4", 0), ("5", 0)], report.Sessions.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal([("xxx", 2), ("ang", 1), ("exc", 1), ("fru", 1), ("hap", 1), ("neu", 1)], report.RawLabels.Select(kv => (kv.Key, kv.Value)));
        Assert.Equal(["Ses03M_impro03_M001"], report.MissingAlignment);
    }

    [Fact]
    public void Writes_json_with_snake_case_keys_null_lines_and_unescaped_quotes()
    {
        // Arrange
        var report = CorpusReport.From(Corpus());

        // Act
        var json = report.ToJson();

        // Assert
        const string expected = """
            {
              "utterances": 4,
              "classes": {
                "ang": 1,
                "hap": 2,
                "sad": 0,
                "neu": 1
              },
              "sessions": {
                "1": 2,
                "2": 1,
                "3": 1,
                "4": 0,
                "5": 0
              },
              "raw_labels": {
                "xxx": 2,
                "ang": 1,
                "exc": 1,
                "fru": 1,
                "hap": 1,
                "neu": 1
              },
              "missing_alignment": [
                "Ses03M_impro03_M001"
              ],
              "problems": [
                {
                  "file": "Session4",
                  "line": null,
                  "message": "session folder missing: session 4 contributes no utterances",
                  "changes_class_set": true
                },
                {
                  "file": "Session1/dialog/EmoEvaluation/Ses01F_impro01.txt",
                  "line": 7,
                  "message": "malformed row: '<s> ++LAUGHTER++ & co'",
                  "changes_class_set": false
                }
              ]
            }
            """;
        Assert.Equal(expected, json.ReplaceLineEndings("\n"));
    }
}
