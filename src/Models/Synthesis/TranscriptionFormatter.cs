using System.Globalization;
using System.Text;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// A dialog's <c>dialog/transcriptions/&lt;dialog&gt;.txt</c>, including IEMOCAP's stray turns whose
/// names are not utterance ids (<c>M_XXX0</c>): backchannels with no wav, which readers must skip.
/// </summary>
public static class TranscriptionFormatter
{
    private static readonly IReadOnlyList<string> Backchannels = ["Mm-hmm.", "Yeah.", "[LAUGHTER]", "Uh-huh.", "Hmm."];

    public static string Format(IReadOnlyList<DialogTurn> turns, DeterministicRandom random)
    {
        var lines = turns.Select(t => (t.Start, Text: Line(t.Plan.Id, t.Start, t.End, t.Plan.Transcript))).ToList();
        var strays = random.Next(3); // 0 to 2 per dialog
        for (var k = 0; k < strays && turns.Count > 1; k++)
        {
            var after = turns[random.Next(turns.Count - 1)];
            var start = after.End + 0.05;
            var name = $"{(random.NextDouble() < 0.5 ? 'F' : 'M')}_XXX{k}";
            lines.Add((start, Line(name, start, start + random.Uniform(0.2, 0.6), random.Pick(Backchannels))));
        }
        var text = new StringBuilder();
        foreach (var line in lines.OrderBy(l => l.Start)) text.Append(line.Text).Append('\n');
        return text.ToString();
    }

    private static string Line(string name, double start, double end, string words) =>
        string.Create(CultureInfo.InvariantCulture, $"{name} [{start:000.0000}-{end:000.0000}]: {words}");
}
