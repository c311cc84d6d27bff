using System.Text.RegularExpressions;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// sweep submit reads the whole grid, and opens its store, before it reaches the cluster: a bad
/// grid is refused at its file, line, column and key, and the database (here one that is not
/// there) is never asked, so no sweep or run row is written for it. The grid's own errors are
/// pinned case by case in Models.Tests' MalformedGridTests; these check the command's path.
/// </summary>
public sealed class SweepSubmitBadGridTests(TrainingCommandsTests.StoreFixture store) : IClassFixture<TrainingCommandsTests.StoreFixture>, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("orchestrator-bad-grids-");

    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=2";

    public static TheoryData<string, string, string> Cases => new()
    {
        { "unknown model", "store: {store}\nconfigurations:\n  - {model: lstm, streams: T}\n", "grid.yaml:3:13: configurations[0].model: 'lstm' is not one of linear, transformer, late, coattention, concat" },
        { "unknown stream", "store: {store}\nconfigurations:\n  - {model: late, streams: T+Q}\n", "grid.yaml:3:28: configurations[0].streams: 'Q' is not a stream" },
        { "duplicate configuration", "store: {store}\nconfigurations:\n  - {model: late, streams: T+F}\n  - {model: late, streams: F+T}\n", "grid.yaml:4:28: configurations[1].streams: late:T+F is already in the grid (configurations[0].streams" },
        { "YAML syntax", "store: {store}\nconfigurations: [{model: late, streams: T+F}\n", "grid.yaml:3:1: " },
        { "store that is not one", "store: {scratch}\nconfigurations: [{model: late, streams: T+F}]\n", "manifest.json: not found;" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_bad_grid_is_refused_where_it_is_wrong_before_the_database_is_asked(string name, string yaml, string message)
    {
        var grid = Path.Combine(_folder.FullName, "grid.yaml");
        File.WriteAllText(grid, yaml.Replace("{store}", store.Directory).Replace("{scratch}", _folder.FullName));

        var result = await CliRunner.RunAsync("sweep", "submit", grid, "--database", Unreachable);

        Assert.True(result.ExitCode == 1, $"{name}: exit {result.ExitCode}\n{result.Error}");
        Assert.Contains(message, Regex.Replace(result.Error, @"\s+", " "));
        Assert.DoesNotContain("Cannot open database", result.Error);
        Assert.Equal(["grid.yaml"], _folder.GetFileSystemInfos().Select(e => e.Name));
    }

    [Fact]
    public async Task A_grid_file_that_does_not_exist_is_named()
    {
        var missing = Path.Combine(_folder.FullName, "no-such-grid.yaml");

        var result = await CliRunner.RunAsync("sweep", "submit", missing, "--database", Unreachable);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, Regex.Replace(result.Error, @"\s+", ""));
        Assert.DoesNotContain("   at ", result.Error);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
