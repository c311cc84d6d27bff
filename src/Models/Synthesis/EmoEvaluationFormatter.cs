using System.Globalization;
using System.Text;

namespace Orchestrator.Models.Synthesis;

/// <summary>A dialog's <c>dialog/EmoEvaluation/&lt;dialog&gt;.txt</c>.</summary>
public static class EmoEvaluationFormatter
{
    public const string Header = "% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]";

    public static string Format(IReadOnlyList<DialogTurn> turns)
    {
        var text = new StringBuilder(Header).Append("\n\n");
        foreach (var turn in turns.OrderBy(t => t.Start))
        {
            var a = turn.Plan.Annotation;
            text.Append(CultureInfo.InvariantCulture,
                $"[{turn.Start:0.0000} - {turn.End:0.0000}]\t{turn.Plan.Id}\t{turn.Plan.RawLabel}\t[{a.Valence:0.0000}, {a.Activation:0.0000}, {a.Dominance:0.0000}]\n");
            foreach (var line in a.Lines) text.Append(line).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }
}
