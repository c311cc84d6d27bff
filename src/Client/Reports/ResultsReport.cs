using Npgsql;
using Orchestrator.Client.Commands;
using Orchestrator.Client.Rendering;
using Orchestrator.Database;

namespace Orchestrator.Client.Reports;

/// <summary>
/// A sweep's results as figures and tables: what <c>results --plot</c> writes as PNG files and
/// <c>results --report</c> as one HTML page. A figure the sweep has no data for is kept as a note
/// saying why, so a partial sweep still gets a report.
/// </summary>
/// <param name="Sweep">The sweep.</param>
/// <param name="Sheets">Every configuration's scores, then the paper's Tables 1-3 that the sweep fills.</param>
/// <param name="Figures">In report order: Table 2, UA bars, paired differences, confusion matrices, learning curves, layer weights.</param>
public sealed record ResultsReport(SweepRow Sweep, IReadOnlyList<ResultsView.Sheet> Sheets, IReadOnlyList<ReportFigure> Figures)
{
    /// <summary>Reads sweep <paramref name="sweepId"/> and draws its figures.</summary>
    /// <exception cref="ArgumentException">No such sweep, or an option names a configuration the sweep lacks.</exception>
    /// <exception cref="InvalidOperationException">No run of the sweep has succeeded yet.</exception>
    public static async Task<ResultsReport> BuildAsync(NpgsqlDataSource dataSource, long sweepId, ReportOptions options, CancellationToken ct)
    {
        var sheets = new List<ResultsView.Sheet> { await ResultsCommand.SheetAsync(dataSource, sweepId, null, ct) };
        foreach (var table in new[] { 1, 2, 3 })
            if (await ResultsCommand.SheetAsync(dataSource, sweepId, table, ct) is var sheet && sheet.Rows.Any(r => r.OfType<ResultsView.ScoreCell>().Any(c => c.Mean is not null)))
                sheets.Add(sheet);
        var sweep = (await new RunQueue(dataSource).GetSweepAsync(sweepId, ct))!;
        var tables = new ResultTables(dataSource);
        var keys = (await tables.ConfigurationsAsync(sweepId, ct)).Select(c => c.ConfigurationKey).ToList();
        Check(options, keys);

        var data = new ReportData(dataSource);
        var runs = await data.RunsAsync(sweepId, ct);
        var table2 = await tables.Table2Async(sweepId, ct);
        var figures = new List<ReportFigure>
        {
            Table2Heatmap.Draw(table2),
            ScoreBars.Draw(keys, runs),
            PairedDifferences.Draw(options.Compare.Count > 0 ? options.Compare : Table2Pairs(table2), runs),
        };
        figures.AddRange(keys.Where(k => runs.Any(r => r.ConfigurationKey == k))
            .Select(k => ConfusionHeatmap.Draw(k, [.. runs.Where(r => r.ConfigurationKey == k)])));
        figures.AddRange(await CurvesAsync(data, keys, runs, options.Curves, ct));
        var weights = await data.LayerWeightsAsync(sweepId, ct);
        figures.AddRange(weights.Count == 0
            ? [ReportFigure.LeftOut("layer-weights.png", "Layer weights", "Left out: no run of the sweep recorded learned layer weights.")]
            : weights.GroupBy(w => w.Module).Select(g => LayerWeightHeatmap.Draw(g.Key, [.. g])));
        return new ResultsReport(sweep, sheets, figures);
    }

    /// <summary>Writes every drawn figure to <paramref name="directory"/> (created if missing) and returns the paths.</summary>
    public IReadOnlyList<string> WritePlots(string directory)
    {
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var figure in Figures.Where(f => f.Drawn))
        {
            var path = Path.Combine(directory, figure.FileName);
            File.WriteAllBytes(path, figure.Png!);
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>Each Table 2 row with both cells: its coattention configuration against its late fusion one.</summary>
    private static List<(string A, string B)> Table2Pairs(IReadOnlyList<PaperTableCell> cells) =>
        ResultsView.Table2Rows
            .Select(row => (A: cells.FirstOrDefault(c => c.Row == row && c.Model == "coattention"), B: cells.FirstOrDefault(c => c.Row == row && c.Model == "late")))
            .Where(p => p.A is not null && p.B is not null)
            .Select(p => (p.A!.ConfigurationKey, p.B!.ConfigurationKey))
            .ToList();

    /// <summary>
    /// The learning curves of the picked runs (default: each configuration's first fold, repeat 1);
    /// runs without epochs, and picks with no succeeded run, are named in one note instead.
    /// </summary>
    private static async Task<IReadOnlyList<ReportFigure>> CurvesAsync(ReportData data, IReadOnlyList<string> keys, IReadOnlyList<ReportRun> runs,
        IReadOnlyList<CurveRun> picks, CancellationToken ct)
    {
        var wanted = picks.Count > 0 ? picks : keys.Select(k => new CurveRun(k, null, 1)).ToList();
        var chosen = new List<ReportRun>();
        var missing = new List<string>();
        foreach (var pick in wanted)
        {
            var run = runs.Where(r => r.ConfigurationKey == pick.ConfigurationKey && r.Repeat == pick.Repeat && (pick.Fold is null || r.Fold == pick.Fold))
                .OrderBy(r => r.Fold).FirstOrDefault();
            if (run is null) missing.Add($"{pick.ConfigurationKey} {(pick.Fold is { } fold ? $"fold {fold}" : "first fold")} repeat {pick.Repeat}: no succeeded run");
            else if (!chosen.Contains(run)) chosen.Add(run);
        }
        var epochs = (await data.EpochsAsync([.. chosen.Select(r => r.RunId)], ct)).ToLookup(e => e.RunId);
        var figures = chosen.Where(r => epochs[r.RunId].Any()).Select(r => LearningCurves.Draw(r, [.. epochs[r.RunId]])).ToList<ReportFigure>();
        missing.AddRange(chosen.Where(r => !epochs[r.RunId].Any()).Select(r => $"{r.ConfigurationKey} fold {r.Fold} repeat {r.Repeat}: no epochs recorded"));
        if (missing.Count > 0)
            figures.Add(ReportFigure.LeftOut("learning-curves.png", "Learning curves left out", $"Left out: {string.Join("; ", missing)}."));
        return figures;
    }

    private static void Check(ReportOptions options, IReadOnlyList<string> keys)
    {
        var named = options.Compare.SelectMany(p => new[] { p.A, p.B }).Concat(options.Curves.Select(c => c.ConfigurationKey));
        if (named.Where(k => !keys.Contains(k)).Distinct().ToList() is { Count: > 0 } unknown)
            throw new ArgumentException($"The sweep has no configuration {string.Join(", ", unknown)}. Its configurations: {string.Join(", ", keys)}.");
    }
}
