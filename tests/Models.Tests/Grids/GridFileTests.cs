using Orchestrator.Models.Fusion;
using Orchestrator.Models.Grids;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Grids;

public sealed class GridFileTests
{
    private const string Source = "grids/test.yaml";

    [Fact]
    public void Optional_keys_take_the_method_defaults()
    {
        var grid = GridFile.Parse("store: features\nconfigurations: [{model: late, streams: T+F}]\n", Source);

        Assert.Equal(("test", 5, 0, 0), (grid.Name, grid.Repeats, grid.Priority, grid.Combinations.Count));
        Assert.Equal([1, 2, 3, 4, 5], grid.Folds);
        Assert.Equal(new ModelOptions(), grid.Configurations.Single().Options);
        Assert.Equal(TrainingOptions.Default, grid.Configurations.Single().Training);
    }

    [Fact]
    public void Lists_of_models_and_streams_expand_to_one_configuration_each_in_file_order()
    {
        var grid = GridFile.Parse("store: s\nconfigurations:\n  - {model: [linear, transformer], streams: [T, W]}\n  - {model: late, streams: T+F+W}\n", Source);

        Assert.Equal(["linear:T", "linear:W", "transformer:T", "transformer:W", "late:T+F+W"], grid.Configurations.Select(c => c.Key));
    }

    [Fact]
    public void A_configuration_setting_overrides_the_grid_default_and_both_show_in_the_key()
    {
        const string yaml = """
            store: s
            defaults: {max-epochs: 50, width: 64}
            configurations:
              - {model: late, streams: T+F, width: 32, batch-order: length-bucketed}
              - {model: coattention, streams: T+W, lr: 1e-4, stratified: true}
            """;

        var grid = GridFile.Parse(yaml, Source);

        Assert.Equal(["late:T+F[width=32,max-epochs=50,batch-order=length-bucketed]", "coattention:T+W[lr=0.0001,width=64,max-epochs=50,stratified=true]"],
            grid.Configurations.Select(c => c.Key));
        Assert.Equal(0.0001, grid.Configurations[1].Options.LearningRate(ModelKind.Coattention));
    }

    [Fact]
    public void Combinations_name_configurations_by_key_including_their_settings()
    {
        const string yaml = """
            store: s
            defaults: {max-epochs: 50}
            configurations:
              - {model: [coattention, late], streams: T+F+P}
            combinations:
              - {early: "coattention:T+F+P[max-epochs=50]", late: "late:T+F+P[max-epochs=50]"}
            """;

        var grid = GridFile.Parse(yaml, Source);

        Assert.Equal([new GridCombination("coattention:T+F+P[max-epochs=50]", "late:T+F+P[max-epochs=50]")], grid.Combinations);
    }

    [Fact]
    public void A_combination_key_without_settings_takes_the_grids_defaults_and_its_own_settings_win()
    {
        const string yaml = """
            store: s
            defaults: {per-speaker: true}
            configurations:
              - {model: coattention, streams: T+W}
              - {model: late, streams: T+W}
              - {model: late, streams: T+W, max-epochs: 50}
            combinations:
              - {early: "coattention:T+W", late: "late:T+W"}
              - {early: "coattention:T+W", late: "late:T+W[max-epochs=50]"}
            """;

        var grid = GridFile.Parse(yaml, Source);

        Assert.Equal([
            new GridCombination("coattention:T+W[per-speaker=true]", "late:T+W[per-speaker=true]"),
            new GridCombination("coattention:T+W[per-speaker=true]", "late:T+W[max-epochs=50,per-speaker=true]")], grid.Combinations);
        var error = Assert.Throws<GridException>(() => GridFile.Parse(yaml.Replace("late: \"late:T+W\"}", "late: \"late:T+F\"}"), Source));
        Assert.Contains("'late:T+F' is not a configuration of this grid", error.Message);
    }

    [Fact]
    public void Paths_start_from_the_grid_files_folder_and_hub_ids_stay_as_written()
    {
        var folder = Directory.CreateTempSubdirectory("orchestrator-grid-");
        try
        {
            var path = Path.Combine(folder.FullName, "sweep.yaml");
            File.WriteAllText(path, "corpus: ../iemocap\nencoders: {wav2vec2: ./checkpoints/w2v, bert: bert-base-uncased}\nfolds: [2, 1]\nrepeats: 2\npriority: -3\nconfigurations: [{model: linear, streams: T}]\n");

            var grid = GridFile.Load(path);

            Assert.Equal(Path.GetFullPath(Path.Combine(folder.FullName, "..", "iemocap")), grid.Corpus);
            Assert.Equal(new GridEncoders(Path.Combine(folder.FullName, "checkpoints", "w2v"), "bert-base-uncased"), grid.Encoders);
            Assert.Equal(("sweep", 2, -3, 4), (grid.Name, grid.Repeats, grid.Priority, grid.Runs));
            Assert.Equal([2, 1], grid.Folds);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_corpus_without_encoders_is_extracted_with_the_built_in_ones()
    {
        var grid = GridFile.Parse("corpus: /data/iemocap\nconfigurations: [{model: linear, streams: T}]\n", Source);

        Assert.Equal(("/data/iemocap", new GridEncoders("builtin", "builtin")), (grid.Corpus, grid.Encoders));
    }
}
