using System.Text.RegularExpressions;
using Orchestrator.Client.Commands;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// <c>orchestrator demo</c> end to end on a tiny corpus (40 utterances, one repeat): synthesis,
/// feature extraction with the built-in encoders, the grid's cross-validations and the UA table;
/// run again, it reuses everything and prints the same table.
/// </summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orchestrator-demo-");

    public void Dispose() => _work.Delete(recursive: true);

    [Fact]
    public async Task Demo_prints_the_UA_of_every_configuration_and_the_combination_and_resumes_from_what_it_kept()
    {
        var output = Path.Combine(_work.FullName, "demo");
        string[] arguments = ["demo", "--out", output, "--utterances", "40", "--repeats", "1", "--parallel", "2"];

        var first = await CliRunner.RunAsync(arguments);
        var second = await CliRunner.RunAsync(arguments);

        Assert.True(first.ExitCode == 0, first.Error);
        var keys = DemoCommand.Grid.Select(c => c.Key).Append($"{DemoCommand.Grid[3].Key} + {DemoCommand.Grid[2].Key}").ToList();
        Assert.Equal(["linear:T", "linear:F", "late:T+F", "coattention:T+W", "coattention:T+W + late:T+F"], keys);
        foreach (var key in keys.Take(4))
            Assert.Matches($@"│\s*{Regex.Escape(key)}\s*│\s*5\s*│\s*\d+\.\d\d ± \d+\.\d\d\s*│", first.Output);
        // The combination's name wraps in its table cell; the bar chart names it whole.
        Assert.Matches(@"│\s*coattention:T\+W \+\s*│\s*5\s*│\s*\d+\.\d\d ± \d+\.\d\d\s*│", first.Output);
        Assert.Contains(keys[4], first.Output);
        Assert.Contains("Class collapse:", first.Output);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("Reusing the demo corpus", second.Error);
        Assert.Equal(7, Table(first.Output).Count);
        Assert.Equal(Table(first.Output), Table(second.Output));
    }

    /// <summary>The rows of the UA table (the extraction's table is printed only when it extracts).</summary>
    private static List<string> Table(string output) =>
        output.Split('\n').SkipWhile(l => !l.Contains("│ configuration")).Where(l => l.TrimStart().StartsWith('│')).ToList();
}
