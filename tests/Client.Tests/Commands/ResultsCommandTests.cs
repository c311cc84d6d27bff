using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Client.Rendering;
using Orchestrator.Models.Training;
using static Orchestrator.Client.Tests.Commands.ResultsDatabaseFixture;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// <c>orchestrator results</c> against a real PostgreSQL filled through the run queue: every
/// number against mean and sample sd recomputed here from the recorded results, the paper tables'
/// cell positions, and each format read back (CSV parsed, JSON deserialised, LaTeX escaping).
/// </summary>
public sealed class ResultsCommandTests(ResultsDatabaseFixture fixture) : IClassFixture<ResultsDatabaseFixture>
{
    private const double Tolerance = 1e-9;

    [Fact]
    public async Task Json_lists_every_configuration_with_the_mean_and_sample_sd_of_its_runs_in_percent_then_the_combination()
    {
        var rows = await Json($"{fixture.PaperSweep}");

        Assert.Equal([.. PaperKeys, $"{Coattention} + {Late}"], rows.Select(r => r.GetProperty("configuration").GetString()));
        foreach (var (key, row) in PaperKeys.Zip(rows))
        {
            var runs = Runs(key);
            Assert.Equal(("configuration", Folds * Repeats), (row.GetProperty("kind").GetString(), row.GetProperty("n").GetInt32()));
            AssertScore(runs.Select(r => r.Metrics.UnweightedAccuracy), row, "ua_mean", "ua_sd");
            AssertScore(runs.Select(r => r.Metrics.WeightedAccuracy), row, "wa_mean", "wa_sd");
            AssertScore(runs.Select(r => r.Metrics.MacroF1), row, "macro_f1_mean", "macro_f1_sd");
            Assert.Equal(runs.Count(r => r.Metrics.Collapsed), row.GetProperty("collapsed_runs").GetInt32());
        }
        Assert.Equal(Folds, rows[1].GetProperty("collapsed_runs").GetInt32());
        var combination = rows[^1];
        var combined = Runs(Coattention).Select(r => Combination.Evaluate(r, fixture.Results[(Late, r.Fold, r.Repeat)]).Metrics).ToList();
        Assert.Equal(("combination", Folds * Repeats), (combination.GetProperty("kind").GetString(), combination.GetProperty("n").GetInt32()));
        AssertScore(combined.Select(m => m.UnweightedAccuracy), combination, "ua_mean", "ua_sd");
        AssertScore(combined.Select(m => m.WeightedAccuracy), combination, "wa_mean", "wa_sd");
        Assert.Equal(JsonValueKind.Null, combination.GetProperty("macro_f1_mean").ValueKind);
    }

    [Fact]
    public async Task Csv_is_RFC_4180_with_a_header_row_and_parses_back_to_the_same_numbers()
    {
        var result = await Run($"{fixture.PaperSweep}", "--format", "csv");

        Assert.EndsWith("\r\n", result.Output);
        var records = ParseCsv(result.Output);
        Assert.Equal(["kind", "configuration", "model", "streams", "n", "ua_mean", "ua_sd", "wa_mean", "wa_sd", "macro_f1_mean", "macro_f1_sd", "collapsed_runs"], records[0]);
        Assert.Equal(PaperKeys.Length + 2, records.Count);
        // The key with two settings holds a comma: quoted, and read back whole.
        var variant = Assert.Single(records, r => r[1] == Variant);
        Assert.Contains($"\"{Variant}\"", result.Output);
        Assert.Equal(("late", "T+F", "6"), (variant[2], variant[3], variant[4]));
        foreach (var record in records.Skip(1).Take(PaperKeys.Length))
        {
            var ua = Runs(record[1]).Select(r => r.Metrics.UnweightedAccuracy).ToList();
            Assert.Equal(100 * Mean(ua), double.Parse(record[5], CultureInfo.InvariantCulture), Tolerance);
            Assert.Equal(100 * SampleSd(ua), double.Parse(record[6], CultureInfo.InvariantCulture), Tolerance);
        }
        Assert.Equal(("combination", ""), (records[^1][0], records[^1][10]));
    }

    [Fact]
    public async Task Table_2_puts_each_configuration_in_its_row_of_speech_streams_and_its_fusion_column()
    {
        var rows = await Json($"{fixture.PaperSweep}", "--table", "2");

        Assert.Equal(ResultsView.Table2Rows, rows.Select(r => r.GetProperty("speech_streams").GetString()));
        var filled = rows.SelectMany(r => new[] { "coattention", "late" }
                .Where(m => r.GetProperty($"{m}_ua_mean").ValueKind == JsonValueKind.Number)
                .Select(m => (r.GetProperty("speech_streams").GetString(), m)))
            .ToList();
        Assert.Equal([("F", "coattention"), ("F", "late"), ("F+P+S", "late"), ("F+S+W", "coattention")], filled);
        AssertCell(rows[0], "coattention", Coattention);
        AssertCell(rows[0], "late", Late);
        AssertCell(rows[4], "late", "late:T+F+P+S");
        AssertCell(rows[6], "coattention", "coattention:T+F+S+W");
        Assert.Equal(JsonValueKind.Null, rows[4].GetProperty("coattention_n").ValueKind);
    }

    [Fact]
    public async Task Table_1_has_a_row_per_stream_and_a_cell_per_encoder_the_sweep_ran()
    {
        var rows = await Json($"{fixture.PaperSweep}", "--table", "1");

        Assert.Equal(["T", "F", "P", "S", "W"], rows.Select(r => r.GetProperty("stream").GetString()));
        AssertCell(rows[0], "linear", "linear:T");
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("transformer_ua_mean").ValueKind);
        AssertCell(rows[1], "linear", "linear:F");
        AssertCell(rows[1], "transformer", "transformer:F");
        Assert.All(rows.Skip(2), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("linear_ua_mean").ValueKind));
    }

    [Fact]
    public async Task Table_3_holds_concatenation_coattention_late_fusion_and_their_combination_in_the_papers_order()
    {
        var rows = await Json($"{fixture.PaperSweep}", "--table", "3");

        Assert.Equal([("concat", "concat:T+F"), ("coattention", Coattention), ("late", Late), ("combination", $"{Coattention} + {Late}")],
            rows.Select(r => (r.GetProperty("method").GetString(), r.GetProperty("configuration").GetString())));
        AssertScore(Runs("concat:T+F").Select(r => r.Metrics.UnweightedAccuracy), rows[0], "ua_mean", "ua_sd");
        AssertScore(Runs(Late).Select(r => r.Metrics.UnweightedAccuracy), rows[2], "ua_mean", "ua_sd");
        var combined = Runs(Coattention).Select(r => Combination.Evaluate(r, fixture.Results[(Late, r.Fold, r.Repeat)]).Metrics.UnweightedAccuracy);
        AssertScore(combined, rows[3], "ua_mean", "ua_sd");
        Assert.All(rows, r => Assert.Equal(Folds * Repeats, r.GetProperty("n").GetInt32()));
    }

    [Fact]
    public async Task Markdown_table_2_is_a_pipe_table_with_a_footnote_naming_the_configuration_left_out_for_its_settings()
    {
        var result = await Run($"{fixture.PaperSweep}", "--table", "2", "--format", "markdown");

        var lines = result.Output.Split('\n');
        var ua = Runs(Late).Select(r => r.Metrics.UnweightedAccuracy).ToList();
        Assert.Contains("| T + speech | Coattention | Late fusion |", lines);
        Assert.Contains("| --- | ---: | ---: |", lines);
        Assert.Equal(ResultsView.Table2Rows.Length, lines.Count(l => l.StartsWith("| F", StringComparison.Ordinal)));
        Assert.Contains(lines, l => l.StartsWith("| F | ", StringComparison.Ordinal) && l.EndsWith(
            string.Create(CultureInfo.InvariantCulture, $"| {100 * Mean(ua):0.00} ± {100 * SampleSd(ua):0.00} (6) |"), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("- Only configurations with the method's default settings are in Table 2", StringComparison.Ordinal)
                                    && l.Contains(ResultsView.EscapeMarkdown(Variant), StringComparison.Ordinal));
        Assert.DoesNotContain("| " + Variant, result.Output);
    }

    [Fact]
    public async Task Latex_escapes_a_hostile_sweep_name_and_writes_a_booktabs_tabular_with_pm()
    {
        var result = await Run($"{fixture.HostileSweep}", "--table", "1", "--format", "latex");

        Assert.Contains(@"\caption{Sweep " + fixture.HostileSweep + @" (Ab \& 50\% \$x\_1\$ \#2 \{a\}\textasciitilde{}\textasciicircum{}\textbackslash{} \textbar{} \textless{}b\textgreater{}): Table 1, UA in \%, mean $\pm$ sd (n)}", result.Output);
        Assert.Contains(@"\begin{tabular}{lrr}", result.Output);
        Assert.Contains("\\toprule\nstream & Linear & Transformer \\\\\n\\midrule\n", result.Output);
        Assert.Matches(@"\nT & \d+\.\d\d \$\\pm\$ \d+\.\d\d \(6\) &  \\\\\n", result.Output);
        Assert.Contains("\\bottomrule\n\\end{tabular}\n", result.Output);
        // The one run this sweep asked for is shared with the paper-like sweep, whose five others n counts too.
        Assert.Contains("other sweeps' too: linear:T 6 runs, 1 of them this sweep's", result.Output);
    }

    [Fact]
    public async Task The_default_table_shows_the_configurations_scores_and_combination_for_people()
    {
        var result = await Run($"{fixture.PaperSweep}");

        Assert.Contains($"Sweep {fixture.PaperSweep} (paper-like)", result.Output);
        Assert.Contains("linear:T", result.Output);
        Assert.Contains("concat:T+F", result.Output);
        Assert.Contains(" ± ", result.Output);
        Assert.Contains("collapsed", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task An_unknown_sweep_is_refused_with_the_ids_that_exist()
    {
        var result = await CliRunner.RunAsync("results", "999", "--database", fixture.Database);

        var error = OneLine(result.Error);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("There is no sweep 999. Sweeps: ", error);
        Assert.Contains($"{fixture.PaperSweep} (paper-like), {fixture.HostileSweep} (", error);
        Assert.Contains($"{fixture.WaitingSweep} (waiting)", error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_sweep_without_a_finished_run_says_how_many_are_queued_and_running()
    {
        var result = await CliRunner.RunAsync("results", $"{fixture.WaitingSweep}", "--table", "1", "--database", fixture.Database);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Sweep {fixture.WaitingSweep} (waiting) has no finished run yet: 2 queued, 1 running, 0 failed, 0 cancelled", OneLine(result.Error));
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_table_the_paper_has_not_is_refused()
    {
        var result = await CliRunner.RunAsync("results", $"{fixture.PaperSweep}", "--table", "4", "--database", fixture.Database);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("the paper has Tables 1, 2 and 3", result.Error);
    }

    private async Task<CliRunner.Result> Run(params string[] args)
    {
        var result = await CliRunner.RunAsync(["results", .. args, "--database", fixture.Database]);
        Assert.True(result.ExitCode == 0, result.Error);
        return result;
    }

    private async Task<List<JsonElement>> Json(params string[] args)
    {
        var result = await Run([.. args, "--format", "json"]);
        return JsonSerializer.Deserialize<List<JsonElement>>(result.Output)!;
    }

    // The console wraps long messages at its width.
    private static string OneLine(string text) => Regex.Replace(text, @"\s+", " ");

    private List<RunResult> Runs(string key) => fixture.Results.Values.Where(r => r.ConfigurationKey == key).ToList();

    private void AssertCell(JsonElement row, string model, string key)
    {
        var ua = Runs(key).Select(r => r.Metrics.UnweightedAccuracy).ToList();
        Assert.Equal(ua.Count, row.GetProperty($"{model}_n").GetInt32());
        Assert.Equal(100 * Mean(ua), row.GetProperty($"{model}_ua_mean").GetDouble(), Tolerance);
        Assert.Equal(100 * SampleSd(ua), row.GetProperty($"{model}_ua_sd").GetDouble(), Tolerance);
    }

    private static void AssertScore(IEnumerable<double> fractions, JsonElement row, string mean, string sd)
    {
        var values = fractions.ToList();
        Assert.Equal(JsonValueKind.Number, row.GetProperty(mean).ValueKind);
        Assert.Equal(100 * Mean(values), row.GetProperty(mean).GetDouble(), Tolerance);
        Assert.Equal(100 * SampleSd(values), row.GetProperty(sd).GetDouble(), Tolerance);
    }

    private static double Mean(IReadOnlyList<double> values) => values.Sum() / values.Count;

    private static double SampleSd(IReadOnlyList<double> values)
    {
        var mean = Mean(values);
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }

    /// <summary>RFC 4180 records: CRLF between records, fields in double quotes may hold commas, CRLF and doubled quotes.</summary>
    private static List<string[]> ParseCsv(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < text.Length && text[i + 1] == '"') field.Append(text[++i]);
                else quoted = false;
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
                i++;
            }
            else
            {
                Assert.False(c is '"' or '\r' or '\n', $"A bare {(int)c} at {i}: RFC 4180 allows it only inside quotes.");
                field.Append(c);
            }
        }
        Assert.True(fields.Count == 0 && field.Length == 0 && !quoted, "The last record must end with CRLF.");
        Assert.All(records, r => Assert.Equal(records[0].Length, r.Length));
        return records;
    }
}
