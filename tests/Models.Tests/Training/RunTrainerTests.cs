using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// <see cref="RunTrainer"/> over a real feature store: a run is a pure function of (configuration,
/// fold, repeat), whichever thread trains it and whatever trains beside it; early stopping
/// evaluates the best epoch; results carry the fold's test session and the metrics of its logits.
/// </summary>
[Collection(TrainingCollection.Name)]
public sealed class RunTrainerTests
{
    private readonly SyntheticStoreFixture store;
    private readonly TrainingData _data;

    public RunTrainerTests(SyntheticStoreFixture store)
    {
        Runs.UseOneThread();
        this.store = store;
        _data = store.Data;
    }

    [Fact]
    public void The_same_configuration_fold_and_repeat_give_bit_identical_results()
    {
        var configuration = Runs.Small(ModelKind.Late, "T,F", maxEpochs: 6);
        var plan = CrossValidation.Plan(_data, configuration.Training);

        var first = RunTrainer.Run(_data, plan, configuration, fold: 2, repeat: 1);
        var second = RunTrainer.Run(_data, plan, configuration, fold: 2, repeat: 1);

        Runs.AssertIdentical(first, second);
    }

    [Fact]
    public void The_result_records_the_validation_utterances_of_its_split()
    {
        var configuration = Runs.Small(ModelKind.Linear, "T", maxEpochs: 2);
        var plan = CrossValidation.Plan(_data, configuration.Training);

        var result = RunTrainer.Run(_data, plan, configuration, fold: 4, repeat: 2);

        Assert.Equal(plan.Split(4, 2).Validation, result.ValidationIds);
        Assert.NotEmpty(result.ValidationIds);
        Assert.Empty(result.ValidationIds.Intersect(result.TestLabels.Keys));
    }

    [Fact]
    public void Another_repeat_draws_another_validation_split_and_trains_another_model()
    {
        var configuration = Runs.Small(ModelKind.Late, "T,F", maxEpochs: 4);
        var plan = CrossValidation.Plan(_data, configuration.Training);

        var first = RunTrainer.Run(_data, plan, configuration, fold: 3, repeat: 1);
        var second = RunTrainer.Run(_data, plan, configuration, fold: 3, repeat: 2);

        Assert.NotEqual(plan.Split(3, 1).Validation, plan.Split(3, 2).Validation);
        Assert.Equal(plan.Split(3, 1).Test, plan.Split(3, 2).Test);
        Assert.NotEqual(first.Seed, second.Seed);
        Assert.True(Runs.LogitsDiffer(first, second), "Two repeats gave identical test logits.");
    }

    [Fact]
    public void Configurations_trained_alike_or_not_share_the_validation_split_of_a_repeat()
    {
        var late = Runs.Small(ModelKind.Late, "T,F", maxEpochs: 4);
        var linear = Runs.Small(ModelKind.Linear, "P", maxEpochs: 50, patience: 7, batchSize: 8);

        var latePlan = CrossValidation.Plan(_data, late.Training);
        var linearPlan = CrossValidation.Plan(_data, linear.Training);

        Assert.NotEqual(late.Key, linear.Key);
        foreach (var (fold, repeat) in latePlan.Runs(repeats: 2))
        {
            var (a, b) = (latePlan.Split(fold, repeat), linearPlan.Split(fold, repeat));
            Assert.Equal(a.Train, b.Train);
            Assert.Equal(a.Validation, b.Validation);
            Assert.Equal(a.Test, b.Test);
        }
    }

    [Fact]
    public void A_run_trained_on_another_thread_after_other_work_equals_the_run_trained_here()
    {
        // Dropout 0.2 is on in training. The executor trains each run on a fresh thread, after
        // drawing from libtorch's global generator there: the result must not depend on where the
        // run trains or what the process did before (run-local generator, seeded construction,
        // the caller's intra-op thread count).
        var configuration = Runs.Small(ModelKind.Late, "T,F", maxEpochs: 3, patience: 3);
        var plan = CrossValidation.Plan(_data, configuration.Training);
        var threads = TorchSharp.torch.get_num_threads();
        RunResult Elsewhere(int fold, int repeat, CancellationToken cancellation)
        {
            RunResult? result = null;
            var thread = new Thread(() =>
            {
                TorchSharp.torch.set_num_threads(threads);                     // as a worker's --threads does
                using (var noise = TorchSharp.torch.rand(1000)) { }
                result = RunTrainer.Run(_data, plan, configuration, fold, repeat, cancellation: cancellation);
            });
            thread.Start();
            thread.Join();
            return result!;
        }

        var here = CrossValidation.Run(_data, configuration, repeats: 1);
        var elsewhere = CrossValidation.Run(_data, configuration, repeats: 1, execute: Elsewhere, parallelism: 1);

        Assert.Equal(5, here.Count);
        Assert.Equal(here.Select(r => (r.Fold, r.Repeat)), elsewhere.Select(r => (r.Fold, r.Repeat)));
        foreach (var (expected, actual) in here.Zip(elsewhere))
            Runs.AssertIdentical(expected, actual);
    }

    [Fact]
    public void Training_stops_after_patience_epochs_without_a_better_validation_score()
    {
        var configuration = Runs.Small(ModelKind.Linear, "T", maxEpochs: 60, patience: 3);
        var plan = CrossValidation.Plan(_data, configuration.Training);
        var epochs = new List<EpochReport>();

        var result = RunTrainer.Run(_data, plan, configuration, fold: 1, repeat: 1, progress: new Recorder<EpochReport>(epochs));

        Assert.True(result.EpochsRun < 60, "The run never stopped early; the test needs one that does.");
        Assert.Equal(result.EpochsRun, epochs.Count);
        Assert.Equal(Enumerable.Range(1, result.EpochsRun), epochs.Select(e => e.Epoch));
        Assert.Equal(result.BestEpoch + 3, result.EpochsRun);
        var scores = epochs.Select(e => e.ValidationUnweightedAccuracy).ToList();
        Assert.Equal(scores.Max(), result.ValidationUnweightedAccuracy);
        Assert.Equal(scores.IndexOf(scores.Max()) + 1, result.BestEpoch);
        Assert.True(epochs[result.BestEpoch - 1].Best);
        Assert.All(epochs.Skip(result.BestEpoch), e => Assert.False(e.Best));
    }

    [Fact]
    public void Training_stops_at_max_epochs_however_patient()
    {
        var configuration = Runs.Small(ModelKind.Linear, "F", maxEpochs: 3, patience: 10);
        var plan = CrossValidation.Plan(_data, configuration.Training);
        var epochs = new List<EpochReport>();

        var result = RunTrainer.Run(_data, plan, configuration, fold: 4, repeat: 1, progress: new Recorder<EpochReport>(epochs));

        Assert.Equal(3, result.EpochsRun);
        Assert.Equal(3, epochs.Count);
        Assert.All(epochs, e => Assert.Equal(3, e.MaxEpochs));
        Assert.InRange(result.BestEpoch, 1, 3);
    }

    [Fact]
    public void The_test_set_is_scored_with_the_weights_of_the_best_validation_epoch_not_the_last()
    {
        // A sixth session made of copies of fold 6's validation utterances: the fold's training
        // sessions (1-5) and hence its validation draw are those of the store alone, and its test
        // set reads exactly as its validation set. Its test UA is then the validation UA of the
        // weights that were evaluated.
        const int fold = 6, repeat = 2;
        var configuration = Runs.Small(ModelKind.Late, "T,F", maxEpochs: 40, patience: 4);
        var options = new ValidationSplitOptions(configuration.Training.ValidationFraction, configuration.Training.StratifiedValidation);
        var (_, validation) = ValidationSplit.Draw(_data.Items, fold, repeat, options);
        var data = new TrainingData(new SessionCopies(store.Store, validation, fold));
        var plan = CrossValidation.Plan(data, configuration.Training);
        var epochs = new List<EpochReport>();

        var result = RunTrainer.Run(data, plan, configuration, fold, repeat, progress: new Recorder<EpochReport>(epochs));

        Assert.Equal(validation.Select(id => SessionCopies.Prefix + id).Order(StringComparer.Ordinal), result.TestLogits.Keys.Order(StringComparer.Ordinal));
        Assert.True(epochs[^1].ValidationUnweightedAccuracy < result.ValidationUnweightedAccuracy,
            "The last epoch validated as well as the best; the test needs a run where they differ.");
        Assert.Equal(result.ValidationUnweightedAccuracy, result.Metrics.UnweightedAccuracy, 12);
    }

    [Fact]
    public void An_utterance_without_alignment_reads_its_frames_in_place_of_phones_and_is_counted()
    {
        var unaligned = _data.Items.Where(i => !SyntheticEmotionStore.Aligned(Index(i.Id))).ToList();
        var configuration = Runs.Small(ModelKind.Late, "T,P", maxEpochs: 2);
        var plan = CrossValidation.Plan(_data, configuration.Training);
        var id = unaligned[0].Id;

        var result = RunTrainer.Run(_data, plan, configuration, unaligned[0].Session, repeat: 1);

        Assert.Equal(SyntheticStoreFixture.Utterances / 10, unaligned.Count);
        foreach (var kind in StreamKinds.Segmental)
            Assert.Equal(unaligned.Count, _data.Fallbacks[kind]);
        Assert.True(_data.Serves(StreamKind.Phone));
        Assert.Equal(_data.Length(id, StreamKind.Frame), _data.Length(id, StreamKind.Phone));
        using (var phones = _data.Read(id, StreamKind.Phone))
        using (var frames = _data.Read(id, StreamKind.Frame))
            Assert.True(phones.equal(frames).all().item<bool>());
        Assert.Contains(id, result.TestLogits.Keys);
        Assert.All(result.TestLogits.Values, l => Assert.All(l, v => Assert.True(float.IsFinite(v))));
    }

    [Fact]
    public void The_metrics_are_those_of_the_test_logits_over_exactly_the_fold_session()
    {
        var configuration = Runs.Small(ModelKind.Linear, "F", maxEpochs: 3);
        var plan = CrossValidation.Plan(_data, configuration.Training);

        var result = RunTrainer.Run(_data, plan, configuration, fold: 5, repeat: 2);

        var session = _data.Items.Where(i => i.Session == 5).ToList();
        Assert.Equal((5, 2, RunSeed.ForRun(configuration.Key, 5, 2).Int64), (result.Fold, result.Repeat, result.Seed));
        Assert.Equal(session.Select(i => i.Id).Order(StringComparer.Ordinal), result.TestLogits.Keys.Order(StringComparer.Ordinal));
        Assert.All(session, i => Assert.Equal((int)i.Label, result.TestLabels[i.Id]));
        Assert.All(result.TestLogits.Values, l => Assert.Equal(4, l.Length));
        var expected = Logits.Evaluate(result.TestLogits, result.TestLabels);
        Assert.Equal((expected.UnweightedAccuracy, expected.WeightedAccuracy, expected.MacroF1, expected.Total),
            (result.Metrics.UnweightedAccuracy, result.Metrics.WeightedAccuracy, result.Metrics.MacroF1, result.Metrics.Total));
        Assert.Equal(expected.Confusion, result.Metrics.Confusion);
        Assert.Equal(session.Count, result.Metrics.Total);
    }

    [Fact]
    public void Utterances_with_a_dropped_label_take_part_in_no_run()
    {
        var ids = _data.Items.Select(i => i.Id).ToHashSet();

        Assert.Equal(SyntheticStoreFixture.Utterances, _data.Items.Count);
        Assert.Equal(4, store.Store.Utterances.Count(u => !ids.Contains(u.Id)));
        Assert.All(store.Store.Utterances.Where(u => !ids.Contains(u.Id)), u => Assert.Null(u.Label));
    }

    private static int Index(string id) => int.Parse(id[^4..]);
}

/// <summary>Collects progress reports synchronously, on the reporting thread.</summary>
internal sealed class Recorder<T>(List<T> reports) : IProgress<T>
{
    public void Report(T value) => reports.Add(value);
}
