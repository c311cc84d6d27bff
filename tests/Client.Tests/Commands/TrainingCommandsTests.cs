using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestrator.Client.Cluster;
using Orchestrator.Client.Commands;
using Orchestrator.Database;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;
using static TorchSharp.torch;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// <c>orchestrator train | cv | combine</c> over a small feature store written in the test: what
/// they print with --json, what cv records in the embedded cluster's PostgreSQL (runs trained by
/// the in-process worker silo's child processes), and the messages and exit code of bad input.
/// Tiny settings (3 epochs, 16-wide branches) keep each command to a second or two.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class TrainingCommandsTests(TrainingCommandsTests.StoreFixture store) : IClassFixture<TrainingCommandsTests.StoreFixture>
{
    private static readonly string[] Tiny = ["--max-epochs", "3", "--patience", "3", "--width", "16"];

    [Fact]
    public async Task Train_json_prints_the_run_of_the_requested_fold_and_repeat()
    {
        var result = await CliRunner.RunAsync(["train", "--store", store.Directory, "--model", "late", "--streams", "T,F", "--fold", "3", "--repeat", "2", "--json", .. Tiny]);

        Assert.True(result.ExitCode == 0, result.Error);
        var run = JsonSerializer.Deserialize(result.Output, TrainingJsonContext.Default.RunResult)!;
        Assert.Equal((3, 2), (run.Fold, run.Repeat));
        Assert.Equal("late:T+F[width=16,max-epochs=3,patience=3]", run.ConfigurationKey);
        Assert.Equal(StoreFixture.PerSession, run.TestLogits.Count);
        Assert.All(run.TestLogits.Keys, id => Assert.StartsWith("Ses03", id));
        Assert.Equal(3, run.EpochsRun);
        Assert.InRange(run.Metrics.UnweightedAccuracy, 0, 1);
    }

    [Fact]
    public async Task Train_without_json_prints_the_scores_and_the_confusion_matrix()
    {
        var result = await CliRunner.RunAsync(["train", "--store", store.Directory, "--model", "linear", "--streams", "P", "--fold", "1", .. Tiny]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("fold 1 repeat 1", result.Output);
        Assert.Contains("UA ", result.Output);
        Assert.Contains("confusion", result.Output);
        Assert.Contains("have no phone stream and use their frames instead", result.Output);
    }

    [Fact]
    public async Task Cv_json_prints_a_summary_of_the_five_folds_recorded_in_the_database()
    {
        var result = await CliRunner.RunAsync(["cv", "--store", store.Directory, "--model", "linear", "--streams", "T", "--repeats", "1", "--parallel", "2", "--json", .. Tiny]);

        Assert.True(result.ExitCode == 0, result.Error);
        var summary = JsonSerializer.Deserialize(result.Output, TrainingJsonContext.Default.CrossValidationSummary)!;
        Assert.Equal(5, summary.Count);
        Assert.Equal("linear:T[width=16,max-epochs=3,patience=3]", summary.ConfigurationKey);
        var runs = await RecordedAsync(summary.ConfigurationKey);
        Assert.Equal([1, 2, 3, 4, 5], runs.Select(r => r.Fold));
        Assert.Equal(runs.Average(r => r.Metrics.UnweightedAccuracy), summary.UnweightedAccuracy.Mean, 12);
    }

    [Fact]
    public async Task Cv_trains_each_run_as_the_train_command_does_and_records_its_validation_split()
    {
        string[] configuration = ["--model", "late", "--streams", "T,F", .. Tiny];
        var cv = await CliRunner.RunAsync(["cv", "--store", store.Directory, .. configuration, "--repeats", "1", "--parallel", "2", "--json"]);
        var alone = await CliRunner.RunAsync(["train", "--store", store.Directory, .. configuration, "--fold", "4", "--json"]);

        Assert.True(cv.ExitCode == 0, cv.Error);
        Assert.True(alone.ExitCode == 0, alone.Error);
        var key = JsonSerializer.Deserialize(cv.Output, TrainingJsonContext.Default.CrossValidationSummary)!.ConfigurationKey;
        var runs = await RecordedAsync(key);
        using var opened = FeatureStore.Open(store.Directory);
        var plan = CrossValidation.Plan(new TrainingData(opened), TrainingOptions.Default);
        Assert.All(runs, run => Assert.Equal(plan.Split(run.Fold, run.Repeat).Validation, run.ValidationIds));
        // A run trained by a worker silo's child process, stored and read back, is the run `train` gives here.
        var here = JsonSerializer.Deserialize(alone.Output, TrainingJsonContext.Default.RunResult)!;
        var recorded = runs.Single(r => r.Fold == 4);
        Assert.Equal(here.Metrics.UnweightedAccuracy, recorded.Metrics.UnweightedAccuracy);
        Assert.Equal(here.TestLogits.Keys.Order(), recorded.TestLogits.Keys.Order());
        Assert.All(here.TestLogits, pair => Assert.Equal(pair.Value, recorded.TestLogits[pair.Key]));
    }

    [Fact]
    public async Task Cv_run_again_trains_nothing_and_prints_the_same_summary()
    {
        string[] arguments = ["cv", "--store", store.Directory, "--model", "linear", "--streams", "S", "--repeats", "1", "--parallel", "2", "--json", .. Tiny];

        var first = await CliRunner.RunAsync(arguments);
        var second = await CliRunner.RunAsync(arguments);

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("5 runs, 0 finished before, 5 to train", Flat(first.Error));
        Assert.Contains("5 runs, 5 finished before, 0 to train", Flat(second.Error));
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public async Task Cv_table_flags_runs_that_never_predicted_a_class()
    {
        // One epoch of a 16-wide frame model: some fold predicts only some classes (checked from the stored runs).
        var result = await CliRunner.RunAsync(["cv", "--store", store.Directory, "--model", "linear", "--streams", "F", "--repeats", "1", "--parallel", "2",
            "--max-epochs", "1", "--patience", "1", "--width", "16", "--lr", "1e-6"]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("never predicted", result.Output);
        var runs = await RecordedAsync("linear:F[lr=1e-06,width=16,max-epochs=1,patience=1]");
        var collapsed = runs.Count(r => r.Metrics.Collapsed);
        Assert.True(collapsed > 0, "No run collapsed: the test needs one to check the flag.");
        Assert.Contains($"Class collapse: {collapsed} of 5 runs", Flat(result.Output));
    }

    [Fact]
    public async Task A_bad_batch_order_is_refused_naming_the_choices()
    {
        var result = await CliRunner.RunAsync(["train", "--store", store.Directory, "--model", "linear", "--streams", "T", "--fold", "1", "--batch-order", "sorted", .. Tiny]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--batch-order 'sorted' is not one of shuffled, length-bucketed.", Flat(result.Error));
    }

    [Fact]
    public async Task Cv_names_its_configuration_as_the_library_does()
    {
        var expected = ModelConfiguration.Of(ModelKind.Linear, [StreamKind.Frame]) with
        {
            Options = new ModelOptions { BranchWidth = 16 },
            Training = new TrainingOptions(MaxEpochs: 3, Patience: 3),
        };

        var result = await CliRunner.RunAsync(["cv", "--store", store.Directory, "--model", "linear", "--streams", "F", "--repeats", "1", "--parallel", "2", "--json", .. Tiny]);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(expected.Key, JsonSerializer.Deserialize(result.Output, TrainingJsonContext.Default.CrossValidationSummary)!.ConfigurationKey);
        Assert.Equal(5, (await RecordedAsync(expected.Key)).Count);
    }

    [Fact]
    public async Task Combine_averages_two_finished_cross_validations_run_by_run()
    {
        var keys = new List<string>();
        foreach (var (model, streams) in new[] { ("coattention", "T,F"), ("late", "T,W") })
        {
            var cv = await CliRunner.RunAsync(["cv", "--store", store.Directory, "--model", model, "--streams", streams, "--repeats", "1", "--parallel", "2",
                "--heads", "2", "--json", .. Tiny]);
            Assert.True(cv.ExitCode == 0, cv.Error);
            keys.Add(JsonSerializer.Deserialize(cv.Output, TrainingJsonContext.Default.CrossValidationSummary)!.ConfigurationKey);
        }

        var json = await CliRunner.RunAsync("combine", "--store", store.Directory, "--early", keys[0], "--late", keys[1], "--json");
        var table = await CliRunner.RunAsync("combine", "--store", store.Directory, "--early", keys[0], "--late", keys[1]);

        Assert.True(json.ExitCode == 0, json.Error);
        var summary = JsonSerializer.Deserialize(json.Output, TrainingJsonContext.Default.CrossValidationSummary)!;
        Assert.Equal(5, summary.Count);
        Assert.Equal($"{keys[0]} + {keys[1]}", summary.ConfigurationKey);
        // The combination of the stored runs, computed here from their logits.
        var expected = TrainingCommands.Combine(await RecordedAsync(keys[0]), await RecordedAsync(keys[1]));
        Assert.Equal(expected.Average(c => c.Metrics.UnweightedAccuracy), summary.UnweightedAccuracy.Mean, 12);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains("combination by logit averaging", table.Output);
    }

    [Fact]
    public async Task Combine_with_a_configuration_never_cross_validated_says_so_and_fails()
    {
        var cv = await CliRunner.RunAsync(["cv", "--store", store.Directory, "--model", "linear", "--streams", "W", "--repeats", "1", "--parallel", "2", "--json", .. Tiny]);
        Assert.True(cv.ExitCode == 0, cv.Error);
        var key = JsonSerializer.Deserialize(cv.Output, TrainingJsonContext.Default.CrossValidationSummary)!.ConfigurationKey;

        var result = await CliRunner.RunAsync("combine", "--store", store.Directory, "--early", "coattention:T+F+P", "--late", key);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"No finished runs of 'coattention:T+F+P' on this store (training protocol {Orchestrator.Models.Training.RunTrainer.ProtocolVersion})", Flat(result.Error));
        Assert.Contains("run orchestrator cv --configuration 'coattention:T+F+P'", Flat(result.Error));
    }

    /// <summary>The runs of <paramref name="key"/> on the test store as the embedded cluster's database holds them.</summary>
    private async Task<IReadOnlyList<RunResult>> RecordedAsync(string key)
    {
        string fingerprint;
        using (var opened = FeatureStore.Open(store.Directory)) fingerprint = RunTrainer.ResultsKey(opened.Fingerprint);
        await using var database = await ClusterConnection.OpenDatabaseAsync(null, CancellationToken.None);
        return await new RunQueue(database.DataSource).ResultsAsync(fingerprint, key);
    }

    [Theory]
    [InlineData("lstm", "T", "--model 'lstm' is not one of linear, transformer, late, coattention, concat.")]
    [InlineData("2", "T", "--model '2' is not one of")]
    [InlineData("late", "T,X", "'X' is not a stream")]
    [InlineData("linear", "T,F", "Linear takes exactly one stream, got T+F.")]
    [InlineData("coattention", "F,P", "Coattention needs the text stream T plus at least one speech stream")]
    public async Task A_bad_model_or_stream_list_is_refused_with_a_message_and_exit_code_1(string model, string streams, string message)
    {
        var result = await CliRunner.RunAsync(["train", "--store", store.Directory, "--model", model, "--streams", streams, "--fold", "1", .. Tiny]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, Flat(result.Error));
        Assert.Equal("", result.Output);
    }

    [Fact]
    public async Task A_fold_without_a_session_is_refused_with_the_folds_there_are()
    {
        var result = await CliRunner.RunAsync(["train", "--store", store.Directory, "--model", "linear", "--streams", "T", "--fold", "9", .. Tiny]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No utterance is in session 9; the folds are 1, 2, 3, 4, 5.", Flat(result.Error));
    }

    /// <summary>The console wraps long lines: compare messages with every run of white space as one space.</summary>
    private static string Flat(string text) => Regex.Replace(text, @"\s+", " ");

    /// <summary>
    /// A store of <see cref="PerSession"/> utterances in each of five sessions, 8-wide streams of two
    /// layers; text carries the class in feature 0, frames half of it. Every seventh utterance has
    /// no alignment (no P, S, W).
    /// </summary>
    public sealed class StoreFixture : IDisposable
    {
        public const int PerSession = 16;

        private readonly DirectoryInfo _directory = System.IO.Directory.CreateTempSubdirectory("orchestrator-cli-store-");

        public StoreFixture()
        {
            var description = new StoreDescription("cli-training/1", StoreDType.Float32, [1, 2], [1, 2], 8, 8,
                [new EncoderDescription("speech: synthetic", "/s", "cfg-s", false), new EncoderDescription("text: synthetic", "/t", "cfg-t", false)],
                new Dictionary<string, string>());
            using var writer = FeatureStoreWriter.Open(Directory, description);
            for (var i = 0; i < 5 * PerSession; i++)
            {
                using var scope = NewDisposeScope();
                var (session, label) = (i % 5 + 1, (Emotion)(i % 4));
                var id = $"Ses{session:00}F_impro01_F{i:000}";
                var generator = new Generator((ulong)(100 + i));
                Tensor Stream(int n, double signal) => randn([2, n, 8], generator: generator) * 0.5 + signal;
                var frames = 10 + i % 7;
                var streams = new Dictionary<StreamKind, Tensor> { [StreamKind.Text] = Stream(3 + i % 4, (int)label), [StreamKind.Frame] = Stream(frames, (int)label / 2) };
                var segments = new Dictionary<StreamKind, Tensor>();
                if (i % 7 != 0)
                    foreach (var kind in StreamKinds.Segmental)
                    {
                        streams[kind] = Stream(2, (int)label / 2);
                        segments[kind] = tensor(new long[] { 0, frames / 2 - 1, frames / 2, frames - 1 }, [2, 2]);
                    }
                using var features = new UtteranceFeatures(id, streams, segments);
                writer.Add(new UtteranceInfo(id, session, $"Ses{session:00}F", 'F', "neu", label, $"key-{i}", new Dictionary<string, int>()), features);
            }
            writer.Complete("{}");
        }

        public string Directory => _directory.FullName;

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
