using System.Text.RegularExpressions;
using Orchestrator.Client.Commands;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// <c>orchestrator demo</c> end to end on a tiny corpus (40 utterances, one repeat): synthesis,
/// feature extraction with the built-in encoders, grids/demo.yaml through the embedded cluster (its
/// runs trained by the in-process silo's child processes, recorded in the private PostgreSQL) and
/// the paper's three tables read back from the score views; run again, it trains nothing and
/// prints the same tables.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class DemoCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchestrator-demo-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Demo_runs_its_grid_through_the_cluster_prints_the_three_tables_and_resumes_from_what_it_kept()
    {
        var output = Path.Combine(_work.FullName, "demo");
        string[] arguments = ["demo", "--out", output, "--utterances", "40", "--repeats", "1", "--parallel", "2"];
        var grid = DemoCommand.LoadGrid();
        var runs = grid.Configurations.Count * grid.Folds.Count;

        var first = await CliRunner.RunAsync(arguments);
        var second = await CliRunner.RunAsync(arguments);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains($"{runs} runs, 0 finished before, {runs} to train", Flat(first.Error));
        foreach (var title in new[] { "Table 1", "Table 2", "Table 3" }) Assert.Contains(title, first.Output);
        // Table 1: text, frames and words under Linear, each over its five runs.
        foreach (var row in new[] { "T", "F", "W" })
            Assert.Matches($@"│\s*{row}\s*│\s*\d+\.\d\d ± \d+\.\d\d \(5\)\s*│", first.Output);
        Assert.Contains("Class collapse:", first.Output);
        Assert.Matches(@"orchestrator results \d+", Flat(first.Output));
        var report = Path.Combine(output, "report.html");
        Assert.Contains(report, Flat(first.Output).Replace(" ", ""));
        Assert.Contains("data:image/png;base64,", File.ReadAllText(report));
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Reusing the demo corpus", second.Error);
        Assert.Contains($"{runs} runs, {runs} finished before, 0 to train", Flat(second.Error));
        Assert.Equal(Tables(first.Output), Tables(second.Output));
    }

    /// <summary>
    /// The rows of the three tables: from Table 1's title on (the extraction's table is printed only
    /// when it extracts), without the titles (they name the sweep, which differs between submissions).
    /// </summary>
    private static List<string> Tables(string output) =>
        output.Split('\n').SkipWhile(l => !l.Contains("Table 1")).Where(l => l.TrimStart().StartsWith('│')).ToList();

    private static string Flat(string text) => Regex.Replace(text, @"\s+", " ");
}
