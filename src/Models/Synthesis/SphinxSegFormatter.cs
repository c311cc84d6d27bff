using System.Globalization;
using System.Text;

namespace Orchestrator.Models.Synthesis;

/// <summary>Sphinx-3's segmentation text: a header, right-aligned columns under it, a total-score footer.</summary>
public static class SphinxSegFormatter
{
    /// <param name="rows">The segments in order.</param>
    /// <param name="unit">Last header column: <c>Phone</c> (.phseg), <c>Word</c> (.wdseg) or <c>Syllable</c> (.syseg).</param>
    public static string Format(IReadOnlyList<SphinxRow> rows, string unit)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"\tSFrm  EFrm    SegAScr {unit}\n");
        foreach (var row in rows)
            text.Append(CultureInfo.InvariantCulture, $"\t{row.StartFrame,4}{row.EndFrame,6}{row.Score,11} {row.Label}\n");
        text.Append(CultureInfo.InvariantCulture, $" Total score: {rows.Sum(r => (long)r.Score)}\n");
        return text.ToString();
    }
}
