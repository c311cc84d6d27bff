using Spectre.Console;
using Grid = Orchestrator.Models.Grids.Grid;
using System.CommandLine;
using Orchestrator.Client.Cluster;
using Orchestrator.Client.Rendering;
using Orchestrator.Client.Reports;
using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;
using Orchestrator.Models.Features.Extraction;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Grids;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Client.Commands;

/// <summary>
/// <c>orchestrator demo</c>: the README's main job, the whole method on one machine and through the
/// cluster. It synthesises an IEMOCAP-layout corpus (once), extracts features with the built-in
/// encoders (once: the store is reused), submits <c>grids/demo.yaml</c> to the embedded cluster (a
/// private PostgreSQL server and a silo in this process that trains each run in a child process),
/// and prints the paper's three tables from the database's score views, with the psql line that
/// queries them, and writes the figures as one HTML report. Every step resumes where an interrupted demo stopped; runs finished before are
/// not trained again.
/// </summary>
public static class DemoCommand
{
    /// <summary>The grid the demo submits: <c>grids/demo.yaml</c>, built into the program, its store replaced by the demo's.</summary>
    public static Grid LoadGrid() => GridFile.Parse(GridFileText(), Path.Combine(AppContext.BaseDirectory, "grids", GridResource));

    private static string GridFileText()
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream(GridResource)
            ?? throw new InvalidOperationException($"The program lacks its built-in {GridResource}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private const string GridResource = "demo.yaml";

    public static Command Create()
    {
        // A folder, so not --out (a file in encode and features export); --out stays as an alias.
        var output = new Option<DirectoryInfo>("--work-dir", "--out") { Description = "Where the demo keeps its corpus and features (results go to the cluster's database).", DefaultValueFactory = _ => new DirectoryInfo("demo") };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the synthetic corpus.", DefaultValueFactory = _ => 1 };
        var utterances = new Option<int>("--utterances") { Description = "Labelled utterances to synthesise.", DefaultValueFactory = _ => CorpusCommands.DefaultUtterances }.AtLeast(1, "utterance");
        var repeats = new Option<int?>("--repeats") { Description = "Repeats of the 5 leave-one-session-out folds (default: the grid's, 1; the paper: 5)." }.AtLeast(1, "repeat");
        var parallel = new Option<int>("--parallel") { Description = "Processes side by side: synthesis workers, then runs trained (default: one per core).", DefaultValueFactory = _ => RunOptions.DefaultParallelism }.AtLeast(1, "run at a time");
        var command = new Command("demo", "Run the method end to end on a synthetic corpus through the embedded cluster: synthesise, extract features, run grids/demo.yaml, print Tables 1-3 from PostgreSQL.")
        { output, seed, utterances, repeats, parallel };
        command.SetAction((result, cancellation) => RunAsync(result.GetValue(output)!, result.GetValue(seed), result.GetValue(utterances),
            result.GetValue(repeats), result.GetValue(parallel), cancellation));
        return command;
    }

    private static async Task<int> RunAsync(DirectoryInfo root, ulong seed, int utterances, int? repeats, int parallelism, CancellationToken cancellation)
    {
        var corpus = new DirectoryInfo(Path.Combine(root.FullName, "corpus"));
        var storeFolder = new DirectoryInfo(Path.Combine(root.FullName, "features"));

        Terminal.Error.MarkupLine("[bold]1. The corpus[/]: IEMOCAP layout, synthesised speech, exact alignments");
        // Off the invoking thread, as in corpus synth: Ctrl+C becomes cancellation only once this method has returned its task.
        if (await Task.Run(() => PrepareCorpus(corpus, seed, utterances, parallelism, cancellation), CancellationToken.None) is { } failed) return failed;

        Terminal.Error.MarkupLine("[bold]2. Features[/]: built-in encoders, every layer, five streams (extracted once, then reused)");
        // The demo owns its store: features of an older built-in encoder are replaced, not refused.
        var extracted = await FeaturesCommands.ExtractAsync(corpus, "builtin", "builtin", storeFolder, new ExtractionOptions(), overwrite: true, json: false, cancellation);
        if (extracted != 0) return extracted;

        var grid = LoadGrid();
        if (repeats is { } count) grid = grid with { Repeats = count };
        SweepRequest request;
        using (var store = FeatureStore.Open(storeFolder.FullName))
        {
            grid = grid with { Store = store.Directory };
            request = SweepRequests.FromGrid(grid, store, GridText(grid));
        }
        Terminal.Error.MarkupLineInterpolated($"[bold]3. The sweep[/]: {grid.Configurations.Count} configurations x {grid.Folds.Count} folds x {grid.Repeats} repeat(s) on the embedded cluster ({parallelism} runs at a time)");
        try
        {
            await using var cluster = await ClusterConnection.OpenAsync(null, parallelism, cancellation);
            var (sweepId, status) = await SweepFollower.RunAsync(cluster, request, cancellation);

            Terminal.Error.MarkupLine("[bold]4. Results[/], from the database's score views");
            await using var database = await OrchestratorDatabase.OpenAsync(cluster.Database, cancellation);
            foreach (var table in new[] { 1, 2, 3 })
                ResultsView.Write(Terminal.Out, Terminal.Error, await ResultsCommand.SheetAsync(database.DataSource, sweepId, table, cancellation), "table");
            var scores = await new ResultTables(database.DataSource).ConfigurationsAsync(sweepId, cancellation);
            var report = Path.Combine(root.FullName, "report.html");
            HtmlReport.Write(await ResultsReport.BuildAsync(database.DataSource, sweepId, ReportOptions.Default, cancellation), report);
            DemoView.RenderFooter(Terminal.Out, scores, sweepId, cluster.PsqlCommand, report);
            return status.Configurations.Sum(c => c.Failed) > 0 ? 1 : 0;
        }
        catch (OperationCanceledException)
        {
            Terminal.Error.MarkupLine("[yellow]Stopped: finished runs are kept; run the demo again to go on.[/]");
            return 130;
        }
        catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException)
        {
            // No run succeeded (their failures are printed above), or the private server is not usable.
            Terminal.Error.MarkupLineInterpolated($"[red]{e.Message}[/]");
            return 1;
        }
    }

    /// <summary>The grid as the sweep records it: the built-in file's text, with what the demo changed in front.</summary>
    private static string GridText(Grid grid) => $"# orchestrator demo: store {grid.Store}, repeats {grid.Repeats}\n{GridFileText()}";

    private static int? PrepareCorpus(DirectoryInfo corpus, ulong seed, int utterances, int parallelism, CancellationToken cancellation)
    {
        var manifest = Path.Combine(corpus.FullName, SynthesisManifest.FileName);
        if (Directory.Exists(corpus.FullName) && File.Exists(manifest) && SynthesisManifest.Read(manifest) is var existing
            && existing.Seed == seed && existing.Utterances == utterances)
        {
            Terminal.Error.MarkupLineInterpolated($"Reusing the demo corpus in [bold]{corpus.FullName}[/] (seed {seed}, {utterances} utterances).");
            return null;
        }
        if (Directory.Exists(corpus.FullName))
        {
            Terminal.Error.MarkupLineInterpolated($"[red]{corpus.FullName} holds something other than the demo corpus with seed {seed} and {utterances} utterances: remove it or choose --out.[/]");
            return 1;
        }
        try
        {
            return CorpusCommands.Synthesize(corpus, seed, utterances, parallelism, cancellation) is null ? 1 : null;
        }
        catch (OperationCanceledException)
        {
            Terminal.Error.MarkupLine("[yellow]Stopped: no corpus was written; run the demo again to start it over.[/]");
            return 130;
        }
    }
}
