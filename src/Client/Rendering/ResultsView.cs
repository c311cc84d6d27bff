using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Orchestrator.Database;
using Spectre.Console;

namespace Orchestrator.Client.Rendering;

/// <summary>
/// The output of <c>results</c>: a sweep's scores laid out as one sheet (every configuration, or
/// the paper's Table 1, 2 or 3) and written as a Spectre table, CSV, Markdown, LaTeX or JSON.
/// Human formats print "mean ± sd (n)" to two decimals; CSV and JSON give every number whole, in
/// fields of its own.
/// </summary>
public static class ResultsView
{
    /// <summary>The values of <c>--format</c>.</summary>
    public static readonly string[] Formats = ["table", "csv", "markdown", "latex", "json"];

    /// <summary>Table 1's rows: one stream each (method.md section 7).</summary>
    public static readonly string[] Table1Rows = ["T", "F", "P", "S", "W"];

    /// <summary>Table 2's rows: the speech streams fused with the text.</summary>
    public static readonly string[] Table2Rows = ["F", "F+P", "F+S", "F+W", "F+P+S", "F+P+W", "F+S+W", "F+P+S+W"];

    /// <summary>A table as every format needs it: a title, columns, rows of cells, and notes below.</summary>
    public sealed record Sheet(string Title, IReadOnlyList<Column> Columns, IReadOnlyList<IReadOnlyList<Cell>> Rows, IReadOnlyList<string> Notes);

    /// <summary>A column: its header in human formats, its field names in CSV and JSON (a score has several), and whether humans see it.</summary>
    public sealed record Column(string Header, IReadOnlyList<string> Fields, bool Human = true, bool Numeric = false);

    /// <summary>A cell: its text for humans and its values for CSV and JSON, one per field of its column.</summary>
    public abstract record Cell
    {
        public abstract string Display { get; }

        public abstract IReadOnlyList<object?> Values { get; }
    }

    /// <summary>Text, with another value for CSV and JSON when given (a model name behind its label).</summary>
    public sealed record TextCell(string Text, string? Value = null) : Cell
    {
        public override string Display => Text;

        public override IReadOnlyList<object?> Values => [Value ?? Text];
    }

    /// <summary>A count; empty when null.</summary>
    public sealed record CountCell(int? Count) : Cell
    {
        public override string Display => Count?.ToString(CultureInfo.InvariantCulture) ?? "";

        public override IReadOnlyList<object?> Values => [Count];
    }

    /// <summary>Mean ± sample sd in percent, with the number of runs when <paramref name="ShowRuns"/>; empty without a mean.</summary>
    public sealed record ScoreCell(double? Mean, double? Sd, int? Runs = null, bool ShowRuns = false) : Cell
    {
        public override string Display => Mean is not { } mean ? ""
            : F(mean) + (Sd is { } sd ? $" ± {F(sd)}" : "") + (ShowRuns ? $" ({Runs})" : "");

        public override IReadOnlyList<object?> Values => ShowRuns ? [Runs, Mean, Sd] : [Mean, Sd];

        private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);
    }

    /// <summary>Every configuration of the sweep in grid order, then its combinations.</summary>
    public static Sheet Listing(SweepRow sweep, IReadOnlyList<SweepConfigurationScore> configurations, IReadOnlyList<SweepCombinationScore> combinations, IReadOnlyList<string> notes)
    {
        Column[] columns =
        [
            new("kind", ["kind"], Human: false), new("configuration", ["configuration"]), new("model", ["model"], Human: false),
            new("streams", ["streams"], Human: false), new("n", ["n"], Numeric: true), new("UA", ["ua_mean", "ua_sd"], Numeric: true),
            new("WA", ["wa_mean", "wa_sd"], Numeric: true), new("macro F1", ["macro_f1_mean", "macro_f1_sd"], Numeric: true),
            new("collapsed", ["collapsed_runs"], Numeric: true),
        ];
        var rows = configurations.Select(c => (IReadOnlyList<Cell>)
            [
                new TextCell("configuration"), new TextCell(c.ConfigurationKey), new TextCell(c.Model), new TextCell(c.Streams), new CountCell(c.Runs),
                new ScoreCell(c.UaMean, c.UaSd), new ScoreCell(c.WaMean, c.WaSd), new ScoreCell(c.MacroF1Mean, c.MacroF1Sd), new CountCell(c.CollapsedRuns),
            ])
            .Concat(combinations.Select(c => (IReadOnlyList<Cell>)
            [
                new TextCell("combination"), new TextCell(c.Name), new TextCell("combination"), new TextCell(""), new CountCell(c.Runs),
                new ScoreCell(c.UaMean, c.UaSd), new ScoreCell(c.WaMean, c.WaSd), new ScoreCell(null, null), new CountCell(null),
            ]))
            .ToList();
        return new Sheet($"{Name(sweep)}: scores in %, mean ± sd over n runs", columns, rows, notes);
    }

    /// <summary>Table 1: streams T, F, P, S, W by Linear and Transformer encoder.</summary>
    public static Sheet Table1(SweepRow sweep, IReadOnlyList<PaperTableCell> cells, IReadOnlyList<string> notes) =>
        Grid($"{Name(sweep)}: Table 1, UA in %, mean ± sd (n)", new Column("stream", ["stream"]), Table1Rows,
            [("linear", "Linear"), ("transformer", "Transformer")], cells, notes);

    /// <summary>Table 2: the text with each set of speech streams, by Coattention and Late fusion.</summary>
    public static Sheet Table2(SweepRow sweep, IReadOnlyList<PaperTableCell> cells, IReadOnlyList<string> notes) =>
        Grid($"{Name(sweep)}: Table 2, UA in %, mean ± sd (n)", new Column("T + speech", ["speech_streams"]), Table2Rows,
            [("coattention", "Coattention"), ("late", "Late fusion")], cells, notes);

    /// <summary>
    /// Table 3: concatenation, the early-fusion configurations combined (coattention in the paper),
    /// late fusion and their combinations; a method the sweep lacks keeps an empty row.
    /// </summary>
    public static Sheet Table3(SweepRow sweep, IReadOnlyList<Table3Entry> entries, IReadOnlyList<string> notes)
    {
        var methods = new[] { "concat", "coattention" }
            .Concat(entries.Select(e => e.Method).Where(m => m is not ("concat" or "coattention" or "late" or "combination")).Distinct())
            .Concat(["late", "combination"]);
        var rows = new List<IReadOnlyList<Cell>>();
        foreach (var method in methods)
        {
            var mine = entries.Where(e => e.Method == method).ToList();
            var label = new TextCell(MethodLabel(method), method);
            if (mine.Count == 0) rows.Add([label, new TextCell(""), new ScoreCell(null, null, null, ShowRuns: true)]);
            rows.AddRange(mine.Select(e => (IReadOnlyList<Cell>)[label, new TextCell(e.Configuration), new ScoreCell(e.UaMean, e.UaSd, e.Runs, ShowRuns: true)]));
        }
        Column[] columns = [new("method", ["method"]), new("configuration", ["configuration"]), new("UA", ["n", "ua_mean", "ua_sd"], Numeric: true)];
        return new Sheet($"{Name(sweep)}: Table 3, UA in %, mean ± sd (n)", columns, rows, notes);
    }

    /// <summary>
    /// What a reader of the scores must know: runs still missing, scores that count other sweeps' runs,
    /// and, for a paper table (<paramref name="table"/>), runs that collapsed and the configurations
    /// left out for their non-default settings. <paramref name="shown"/>: the configurations the sheet holds.
    /// </summary>
    public static IReadOnlyList<string> Notes(IReadOnlyList<SweepConfigurationProgress> progress, IReadOnlyList<SweepConfigurationScore> configurations,
        int? table, IReadOnlySet<string> shown, string tableVariant = "")
    {
        var notes = new List<string>();
        var (total, succeeded) = (progress.Sum(p => p.Queued + p.Leased + p.Running + p.Succeeded + p.Failed + p.Cancelled), progress.Sum(p => p.Succeeded));
        if (succeeded < total)
        {
            var others = new[] { ("queued", progress.Sum(p => p.Queued)), ("running", progress.Sum(p => p.Leased + p.Running)),
                                 ("failed", progress.Sum(p => p.Failed)), ("cancelled", progress.Sum(p => p.Cancelled)) }
                .Where(s => s.Item2 > 0).Select(s => $"{s.Item2} {s.Item1}");
            notes.Add($"{succeeded} of the sweep's {total} runs have succeeded ({string.Join(", ", others)}); the scores are over those.");
        }
        var mine = configurations.Where(c => shown.Contains(c.ConfigurationKey)).ToList();
        if (mine.Where(c => c.Runs > c.SweepRuns).ToList() is { Count: > 0 } shared)
            notes.Add($"n counts every succeeded run of the store, other sweeps' too: {string.Join(", ", shared.Select(c => $"{c.ConfigurationKey} {c.Runs} runs, {c.SweepRuns} of them this sweep's"))}.");
        if (table is null) return notes;
        if (mine.Where(c => c.CollapsedRuns > 0).ToList() is { Count: > 0 } collapsed)
            notes.Add($"Runs that never predicted some class of their test session: {string.Join(", ", collapsed.Select(c => $"{c.ConfigurationKey} {c.CollapsedRuns} of {c.Runs}"))}.");
        // tableVariant: the settings the table shows (ResultTables.TableVariantAsync), '' for the method's defaults.
        if (tableVariant.Length > 0)
            notes.Add($"Every configuration of this sweep has the settings {tableVariant}, which the table shows.");
        if (configurations.Where(c => c.Variant != tableVariant).ToList() is { Count: > 0 } variants)
            notes.Add($"Only configurations with the method's default settings are in Table {table}; the sweep also has {string.Join(", ", variants.Select(c => c.ConfigurationKey))} (results without --table shows every configuration).");
        return notes;
    }

    /// <summary>Writes <paramref name="sheet"/> in <paramref name="format"/> to <paramref name="output"/>; CSV and JSON send the notes to <paramref name="messages"/>.</summary>
    public static void Write(IAnsiConsole output, IAnsiConsole messages, Sheet sheet, string format)
    {
        var writer = output.Profile.Out.Writer;
        switch (format)
        {
            case "table":
                WriteTable(output, sheet);
                return;
            case "markdown":
                writer.Write(Markdown(sheet));
                break;
            case "latex":
                writer.Write(Latex(sheet));
                break;
            case "csv":
                writer.Write(Csv(sheet));
                break;
            case "json":
                writer.WriteLine(Json(sheet));
                break;
            default:
                throw new ArgumentException($"Unknown format '{format}': one of {string.Join(", ", Formats)}.", nameof(format));
        }
        writer.Flush();
        if (format is "csv" or "json")
            foreach (var note in sheet.Notes) messages.WriteLine(note);
    }

    private static void WriteTable(IAnsiConsole console, Sheet sheet)
    {
        var human = HumanColumns(sheet);
        var table = new Table { Title = new TableTitle(Markup.Escape(sheet.Title)) };
        foreach (var (column, _) in human)
            table.AddColumn(new TableColumn(Markup.Escape(column.Header)) { Alignment = column.Numeric ? Justify.Right : Justify.Left });
        foreach (var row in sheet.Rows)
            table.AddRow(human.Select(h => (Spectre.Console.Rendering.IRenderable)new Text(row[h.Index].Display)).ToArray());
        console.Write(table);
        foreach (var note in sheet.Notes) console.WriteLine(note);
    }

    /// <summary>A GitHub pipe table under the title in bold, the notes as a list below.</summary>
    private static string Markdown(Sheet sheet)
    {
        var human = HumanColumns(sheet);
        var text = new StringBuilder();
        text.Append($"**{EscapeMarkdown(sheet.Title)}**\n\n");
        text.Append("| ").AppendJoin(" | ", human.Select(h => EscapeMarkdown(h.Column.Header))).Append(" |\n");
        text.Append("| ").AppendJoin(" | ", human.Select(h => h.Column.Numeric ? "---:" : "---")).Append(" |\n");
        foreach (var row in sheet.Rows)
            text.Append("| ").AppendJoin(" | ", human.Select(h => EscapeMarkdown(row[h.Index].Display))).Append(" |\n");
        if (sheet.Notes.Count > 0) text.Append('\n');
        foreach (var note in sheet.Notes) text.Append("- ").Append(EscapeMarkdown(note)).Append('\n');
        return text.ToString();
    }

    /// <summary>A table float: the title as caption, a booktabs tabular, the notes in small type below it.</summary>
    private static string Latex(Sheet sheet)
    {
        var human = HumanColumns(sheet);
        var text = new StringBuilder();
        text.Append("% Needs \\usepackage{booktabs}.\n\\begin{table}[ht]\n\\centering\n");
        text.Append($"\\caption{{{EscapeLatex(sheet.Title)}}}\n");
        text.Append("\\begin{tabular}{").AppendJoin("", human.Select(h => h.Column.Numeric ? "r" : "l")).Append("}\n\\toprule\n");
        text.AppendJoin(" & ", human.Select(h => EscapeLatex(h.Column.Header))).Append(" \\\\\n\\midrule\n");
        foreach (var row in sheet.Rows)
            text.AppendJoin(" & ", human.Select(h => EscapeLatex(row[h.Index].Display))).Append(" \\\\\n");
        text.Append("\\bottomrule\n\\end{tabular}\n");
        foreach (var note in sheet.Notes) text.Append("\\par\\smallskip{\\footnotesize ").Append(EscapeLatex(note)).Append("}\n");
        text.Append("\\end{table}\n");
        return text.ToString();
    }

    /// <summary>RFC 4180: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line break; numbers round-trip in the invariant culture.</summary>
    private static string Csv(Sheet sheet)
    {
        var text = new StringBuilder();
        text.AppendJoin(",", sheet.Columns.SelectMany(c => c.Fields).Select(CsvField)).Append("\r\n");
        foreach (var row in sheet.Rows)
            text.AppendJoin(",", row.SelectMany(c => c.Values).Select(v => CsvField(v switch
            {
                null => "",
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                int i => i.ToString(CultureInfo.InvariantCulture),
                _ => v.ToString()!,
            }))).Append("\r\n");
        return text.ToString();
    }

    private static string CsvField(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;

    /// <summary>An array of row objects, one property per field; numbers as JSON numbers, empty cells as null.</summary>
    private static string Json(Sheet sheet)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var fields = sheet.Columns.SelectMany(c => c.Fields).ToList();
            json.WriteStartArray();
            foreach (var row in sheet.Rows)
            {
                json.WriteStartObject();
                foreach (var (field, value) in fields.Zip(row.SelectMany(c => c.Values)))
                {
                    switch (value)
                    {
                        case null: json.WriteNull(field); break;
                        case double d: json.WriteNumber(field, d); break;
                        case int i: json.WriteNumber(field, i); break;
                        default: json.WriteString(field, value.ToString()); break;
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Backslashes every character Markdown (GitHub's included) could read as syntax in a table cell.</summary>
    public static string EscapeMarkdown(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '\r' or '\n') { escaped.Append(' '); continue; }
            if (c is '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '<' or '>' or '#' or '~' or '$') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>Text as LaTeX typesets it: the ten special characters escaped, &lt; &gt; | spelled out, ± in math mode, line breaks as spaces.</summary>
    public static string EscapeLatex(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
            escaped.Append(c switch
            {
                '\\' => @"\textbackslash{}",
                '{' or '}' or '&' or '%' or '$' or '#' or '_' => $"\\{c}",
                '~' => @"\textasciitilde{}",
                '^' => @"\textasciicircum{}",
                '<' => @"\textless{}",
                '>' => @"\textgreater{}",
                '|' => @"\textbar{}",
                '±' => @"$\pm$",
                '\r' or '\n' or '\t' => " ",
                _ => c.ToString(),
            });
        return escaped.ToString();
    }

    private static Sheet Grid(string title, Column rowColumn, IReadOnlyList<string> rowLabels, IReadOnlyList<(string Model, string Header)> models,
        IReadOnlyList<PaperTableCell> cells, IReadOnlyList<string> notes)
    {
        // Rows the sweep fills beyond the paper's (Table 2 with text and phones alone, say) follow them.
        var labels = rowLabels.Concat(cells.Select(c => c.Row).Where(r => !rowLabels.Contains(r)).Distinct().Order(StringComparer.Ordinal));
        var columns = new[] { rowColumn }.Concat(models.Select(m => new Column(m.Header, [$"{m.Model}_n", $"{m.Model}_ua_mean", $"{m.Model}_ua_sd"], Numeric: true))).ToList();
        var rows = labels.Select(label => (IReadOnlyList<Cell>)new Cell[] { new TextCell(label) }
            .Concat(models.Select(m => cells.FirstOrDefault(c => c.Row == label && c.Model == m.Model) is { } cell
                ? new ScoreCell(cell.UaMean, cell.UaSd, cell.Runs, ShowRuns: true)
                : new ScoreCell(null, null, null, ShowRuns: true)))
            .ToList()).ToList();
        return new Sheet(title, columns, rows, notes);
    }

    private static List<(Column Column, int Index)> HumanColumns(Sheet sheet) =>
        sheet.Columns.Select((c, i) => (c, i)).Where(c => c.c.Human).ToList();

    private static string Name(SweepRow sweep) => $"Sweep {sweep.Id} ({sweep.Name})";

    private static string MethodLabel(string method) => method switch
    {
        "concat" => "Concatenation",
        "coattention" => "Coattention",
        "late" => "Late fusion",
        "combination" => "Combination",
        _ => char.ToUpperInvariant(method[0]) + method[1..],
    };
}
