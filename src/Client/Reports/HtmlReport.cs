using System.Globalization;
using System.Net;
using System.Text;
using Orchestrator.Client.Rendering;

namespace Orchestrator.Client.Reports;

/// <summary>
/// A <see cref="ResultsReport"/> as one self-contained HTML page: the score tables as HTML tables,
/// each figure inlined as a <c>data:image/png;base64</c> URI with its caption, and a note where a
/// figure was left out. No script, no external file: it reads offline and survives being mailed.
/// Every name (sweep, configuration, module) is HTML-escaped.
/// </summary>
public static class HtmlReport
{
    private const string Style = """
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
        h1 { font-size: 1.5em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { font-size: 1.05em; }
        table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; }
        th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; } th { background: #f2f2f2; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1.5em 0; } img { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption, .note { font-size: 0.9em; color: #444; } .note { background: #fff8e1; border-left: 4px solid #f0c36d; padding: 0.4em 0.8em; }
        """;

    /// <summary>The page as text.</summary>
    public static string Render(ResultsReport report)
    {
        var html = new StringBuilder();
        var sweep = report.Sweep;
        var name = $"Sweep {sweep.Id} ({sweep.Name})";
        html.AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\">")
            .AppendLine("<head>")
            .AppendLine("<meta charset=\"utf-8\">")
            .AppendLine($"<title>{E(name)}: results</title>")
            .AppendLine($"<style>\n{Style}\n</style>")
            .AppendLine("</head>")
            .AppendLine("<body>")
            .AppendLine($"<h1>{E(name)}: results</h1>")
            .AppendLine($"<p>Store <code>{E(sweep.StoreFingerprint)}</code>, {E(sweep.State)}, submitted {E(sweep.SubmittedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC; " +
                        $"report written {E(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))} UTC. Scores are percentages.</p>");

        html.AppendLine("<h2 id=\"scores\">Scores</h2>");
        foreach (var sheet in report.Sheets) Table(html, sheet);

        html.AppendLine("<h2 id=\"figures\">Figures</h2>");
        foreach (var figure in report.Figures) Figure(html, figure);
        html.AppendLine("</body>").AppendLine("</html>");
        return html.ToString();
    }

    /// <summary>Writes the page to <paramref name="path"/>, creating its folder.</summary>
    public static void Write(ResultsReport report, string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder) Directory.CreateDirectory(folder);
        File.WriteAllText(path, Render(report), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static void Table(StringBuilder html, ResultsView.Sheet sheet)
    {
        var columns = sheet.Columns.Select((c, i) => (Column: c, Index: i)).Where(c => c.Column.Human).ToList();
        html.AppendLine($"<h3>{E(sheet.Title)}</h3>")
            .AppendLine("<table>")
            .AppendLine("<thead><tr>" + string.Concat(columns.Select(c => $"<th>{E(c.Column.Header)}</th>")) + "</tr></thead>")
            .AppendLine("<tbody>");
        foreach (var row in sheet.Rows)
            html.AppendLine("<tr>" + string.Concat(columns.Select(c => $"<td{(c.Column.Numeric ? " class=\"n\"" : "")}>{E(row[c.Index].Display)}</td>")) + "</tr>");
        html.AppendLine("</tbody>").AppendLine("</table>");
        if (sheet.Notes.Count > 0)
            html.AppendLine("<ul class=\"note\">" + string.Concat(sheet.Notes.Select(n => $"<li>{E(n)}</li>")) + "</ul>");
    }

    private static void Figure(StringBuilder html, ReportFigure figure)
    {
        html.AppendLine("<figure>").AppendLine($"<h3>{E(figure.Title)}</h3>");
        if (figure.Png is { } png)
            html.AppendLine($"<img src=\"data:image/png;base64,{Convert.ToBase64String(png)}\" alt=\"{E(figure.Title)}\">")
                .AppendLine($"<figcaption>{E(figure.Caption)}</figcaption>");
        else
            html.AppendLine($"<p class=\"note\">{E(figure.Caption)}</p>");
        html.AppendLine("</figure>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
