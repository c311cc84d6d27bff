using System.CommandLine;
using Orchestrator.Client.Cluster;
using Orchestrator.Client.Rendering;
using Orchestrator.Client.Reports;
using Orchestrator.Database;
using Spectre.Console;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator results ID [--table 1|2|3] [--format ...] [--plot DIR] [--report FILE.html]</c>: a
/// sweep's scores from the score views, and on request its figures (<see cref="ResultsReport"/>). It reads the database alone (no grain serves results), so it needs no running silo:
/// without a connection string it starts, or finds, the embedded cluster's private server.
/// </summary>
public static class ResultsCommand
{
    public static Command Create()
    {
        var id = new Argument<long>("id") { Description = "The sweep (sweep status lists them)." };
        var table = new Option<int?>("--table") { HelpName = "1|2|3", Description = "Lay the scores out as the paper's Table 1 (streams x Linear/Transformer), 2 (text + speech streams x Coattention/Late fusion) or 3 (concatenation, coattention, late fusion, combination): UA mean ± sd (n), default settings only." };
        table.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value is not (1 or 2 or 3)) result.AddError($"--table {value}: the paper has Tables 1, 2 and 3.");
        });
        var format = new Option<string>("--format") { Description = "table (default), csv (RFC 4180), markdown (GitHub), latex (booktabs) or json (an array of rows). Scores are percentages.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong(ResultsView.Formats);
        var database = new Option<string?>("--database")
        {
            Description = "The PostgreSQL connection string (default: the environment variable ORCHESTRATOR_DATABASE; without either, the embedded cluster's private server, started if it is not running). Only the database is read: no silo is needed. A password here is refused (docs/security.md).",
        }.RefusingPasswords();
        var plot = new Option<string?>("--plot") { HelpName = "DIR", Description = "Also write the figures as PNG files to DIR (created if missing): Table 2 heat-map, UA bars, paired differences, confusion matrices, learning curves, layer weights." };
        var report = new Option<string?>("--report") { HelpName = "FILE.html", Description = "Also write one self-contained HTML report: the score tables and every figure inlined, readable offline." };
        var compare = new Option<string[]>("--compare")
        {
            HelpName = "A,B", Arity = ArgumentArity.OneOrMore,
            Description = "For --plot/--report: draw the paired UA differences A - B per (fold, repeat), e.g. late:T+F,late:T+W; repeatable. Default: each Table 2 row's coattention - late fusion.",
        };
        var curves = new Option<string[]>("--curves")
        {
            HelpName = "KEY[/FOLD/REPEAT]", Arity = ArgumentArity.OneOrMore,
            Description = "For --plot/--report: the runs whose learning curves to draw, e.g. late:T+F/2/1; repeatable. Default: each configuration's first fold, repeat 1.",
        };
        var command = new Command("results", "A sweep's scores: every configuration with n, UA, WA and macro F1 (mean ± sd, %), collapsed runs and the combinations; or the paper's Table 1, 2 or 3; with --plot or --report, its figures.")
        {
            id, table, format, database, plot, report, compare, curves,
        };
        command.SetAction((result, cancellation) => Guard(async () =>
        {
            await using var opened = await ClusterConnection.OpenDatabaseAsync(result.GetValue(database), cancellation);
            var options = new ReportOptions([.. (result.GetValue(compare) ?? []).Select(ReportOptions.ParsePair)], [.. (result.GetValue(curves) ?? []).Select(CurveRun.Parse)]);
            var sheet = await SheetAsync(opened.DataSource, result.GetValue(id), result.GetValue(table), cancellation);
            var (plotDirectory, reportFile) = (result.GetValue(plot), result.GetValue(report));
            // Built before the scores are printed, so that a bad --compare or --curves fails the command whole.
            var figures = plotDirectory is null && reportFile is null ? null : await ResultsReport.BuildAsync(opened.DataSource, result.GetValue(id), options, cancellation);
            ResultsView.Write(Terminal.Out, Terminal.Error, sheet, result.GetValue(format)!);
            if (figures is null) return 0;
            // Messages go to standard error: standard output holds the scores, perhaps as CSV or JSON.
            var leftOut = figures.Figures.Count(f => !f.Drawn);
            var leftOutText = leftOut == 0 ? "" : $" ({leftOut} left out for want of data: {string.Join(", ", figures.Figures.Where(f => !f.Drawn).Select(f => f.Title))})";
            if (plotDirectory is not null)
                Terminal.Error.WriteLine($"Wrote {figures.WritePlots(plotDirectory).Count} figures to {plotDirectory}{leftOutText}.");
            if (reportFile is not null)
            {
                HtmlReport.Write(figures, reportFile);
                Terminal.Error.WriteLine($"Wrote the report {reportFile}.");
            }
            return 0;
        }));
        return command;
    }

    /// <summary>The scores of sweep <paramref name="sweepId"/> from the score views: every configuration, or the paper's Table <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentException">No such sweep.</exception>
    /// <exception cref="InvalidOperationException">No run of the sweep has succeeded yet.</exception>
    public static async Task<ResultsView.Sheet> SheetAsync(Npgsql.NpgsqlDataSource dataSource, long sweepId, int? table, CancellationToken cancellation)
    {
        var queue = new RunQueue(dataSource);
        if (await queue.GetSweepAsync(sweepId, cancellation) is not { } sweep)
        {
            var ids = (await queue.ListSweepsAsync(cancellation)).Select(s => $"{s.Id} ({s.Name})").ToList();
            throw new ArgumentException(ids.Count == 0
                ? $"There is no sweep {sweepId}: the database holds no sweep yet (orchestrator sweep submit GRID.yaml)."
                : $"There is no sweep {sweepId}. Sweeps: {string.Join(", ", ids)}.");
        }
        var progress = await queue.SweepProgressAsync(sweepId, cancellation);
        if (progress.Sum(p => p.Succeeded) == 0)
            throw new InvalidOperationException(
                $"Sweep {sweep.Id} ({sweep.Name}) has no finished run yet: {progress.Sum(p => p.Queued)} queued, {progress.Sum(p => p.Leased + p.Running)} running, " +
                $"{progress.Sum(p => p.Failed)} failed, {progress.Sum(p => p.Cancelled)} cancelled (sweep status {sweep.Id} follows it).");

        var tables = new ResultTables(dataSource);
        var configurations = await tables.ConfigurationsAsync(sweepId, cancellation);
        switch (table)
        {
            case null:
                return ResultsView.Listing(sweep, configurations, await tables.CombinationsAsync(sweepId, cancellation),
                    ResultsView.Notes(progress, configurations, null, configurations.Select(c => c.ConfigurationKey).ToHashSet()));
            case 3:
                var entries = await tables.Table3Async(sweepId, cancellation);
                return ResultsView.Table3(sweep, entries, ResultsView.Notes(progress, configurations, 3, entries.Select(e => e.Configuration).ToHashSet(),
                    await tables.TableVariantAsync(sweepId, cancellation)));
            default:
                var cells = table == 1 ? await tables.Table1Async(sweepId, cancellation) : await tables.Table2Async(sweepId, cancellation);
                var notes = ResultsView.Notes(progress, configurations, table, cells.Select(c => c.ConfigurationKey).ToHashSet(),
                    await tables.TableVariantAsync(sweepId, cancellation));
                return table == 1 ? ResultsView.Table1(sweep, cells, notes) : ResultsView.Table2(sweep, cells, notes);
        }
    }

    private static async Task<int> Guard(Func<Task<int>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException or IOException or UnauthorizedAccessException or Npgsql.NpgsqlException)
        {
            Terminal.Error.WriteLine(error.Message);
            return 1;
        }
        catch (OperationCanceledException)
        {
            return 130;
        }
    }
}
