using Orchestrator.Models.Grids;

namespace Orchestrator.Models.Tests.Grids;

public sealed class ShippedGridTests
{
    [Fact]
    public void The_paper_grid_is_the_27_configurations_of_tables_1_to_3_and_675_runs()
    {
        string[] expected =
        [
            .. "TFPSW".Select(s => $"linear:{s}"),
            .. "TFPSW".Select(s => $"transformer:{s}"),
            .. new[] { "coattention", "late" }.SelectMany(model =>
                new[] { "T+F", "T+F+P", "T+F+S", "T+F+W", "T+F+P+S", "T+F+P+W", "T+F+S+W", "T+F+P+S+W" }.Select(s => $"{model}:{s}")),
            "concat:T+F",
        ];

        var grid = GridFile.Load(RepositoryGrids.Path("paper.yaml"));

        Assert.Equal("paper", grid.Name);
        Assert.Equal(27, grid.Configurations.Count);
        Assert.Equal(expected.Order(StringComparer.Ordinal), grid.Configurations.Select(c => c.Key).Order(StringComparer.Ordinal));
        Assert.Equal((5, 5, 675), (grid.Folds.Count, grid.Repeats, grid.Runs));
        Assert.Equal([new GridCombination("coattention:T+F+P", "late:T+F+S")], grid.Combinations);
        Assert.Equal(new GridEncoders("facebook/wav2vec2-base", "bert-base-uncased"), grid.Encoders);
        Assert.Null(grid.Store);
    }

    [Fact]
    public void The_demo_grid_has_the_shape_of_the_three_tables_over_the_demo_store()
    {
        var path = RepositoryGrids.Path("demo.yaml");

        var grid = GridFile.Load(path);

        Assert.Equal(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "demo", "features")), grid.Store);
        Assert.Equal(["linear:T", "linear:F", "linear:W", "late:T+F", "late:T+W", "coattention:T+W", "concat:T+W"], grid.Configurations.Select(c => c.Key.Replace("[per-speaker=true]", "")));
        Assert.All(grid.Configurations, c => Assert.True(c.Training.PerSpeakerStandardisation, c.Key));
        Assert.Equal((1, 35), (grid.Repeats, grid.Runs));
        Assert.Equal([new GridCombination("coattention:T+W[per-speaker=true]", "late:T+W[per-speaker=true]")], grid.Combinations);
    }
}
