using System.Globalization;
using System.Text.RegularExpressions;

namespace Orchestrator.Models.Tests.Synthesis;

/// <summary>Parses every EmoEvaluation file of a corpus by iemocap-format.md, asserting the format on the way.</summary>
internal static partial class LabelFiles
{
    public static List<LabelFileEntry> Read(string root)
    {
        var entries = new List<LabelFileEntry>();
        for (var session = 1; session <= 5; session++)
        {
            foreach (var file in Directory.GetFiles(Path.Combine(root, $"Session{session}", "dialog", "EmoEvaluation"), "*.txt").Order())
            {
                var dialog = Path.GetFileNameWithoutExtension(file);
                var lines = File.ReadAllLines(file);
                Assert.StartsWith("%", lines[0]);
                foreach (var block in Blocks(lines.Skip(1)))
                {
                    var summary = Summary().Match(block[0]);
                    Assert.True(summary.Success, $"{file}: summary '{block[0]}'");
                    Assert.All(block.Skip(1), line => Assert.Matches(Evaluator(), line));
                    var id = summary.Groups[3].Value;
                    Assert.Equal(dialog, id[..id.LastIndexOf('_')]);
                    entries.Add(new LabelFileEntry(session, dialog, id, summary.Groups[4].Value,
                        double.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture),
                        double.Parse(summary.Groups[2].Value, CultureInfo.InvariantCulture)));
                }
            }
        }
        return entries;
    }

    /// <summary>Runs of non-blank lines.</summary>
    private static IEnumerable<List<string>> Blocks(IEnumerable<string> lines)
    {
        var block = new List<string>();
        foreach (var line in lines.Append(""))
        {
            if (line.Length > 0) { block.Add(line); continue; }
            if (block.Count > 0) yield return block;
            block = [];
        }
    }

    [GeneratedRegex(@"^\[(\d+\.\d{4}) - (\d+\.\d{4})\]\t(Ses0[1-5][FM]_(?:impro\d\d|script\d\d_\d)_[FM]\d{3})\t(neu|hap|exc|sad|ang|fru|sur|fea|dis|oth|xxx)\t\[\d\.\d{4}, \d\.\d{4}, \d\.\d{4}\]$")]
    private static partial Regex Summary();

    [GeneratedRegex(@"^(C-E\d:\t[A-Z][a-z]+( state)?;|A-E\d:\tval \d; act \d; dom  \d;)\t\(\)$")]
    private static partial Regex Evaluator();
}
