using System.Diagnostics;
using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Synthesis;
using TorchSharp;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// Trains and evaluates one run = (configuration, fold, repeat), method.md section 6: training-split
/// standardisation, Adam at the model family's rate, shuffled batches of 32, early stopping on validation UA
/// with the best epoch restored, then the test session's metrics and logits. A pure function of its
/// inputs: the seed comes from (configuration, fold, repeat), so the same run gives the same result.
/// </summary>
/// <remarks>
/// Runs on the calling thread from start to end (TorchSharp's dispose scopes are thread-local).
/// Initial weights are drawn under a lock and dropout from the run's own generator
/// (<see cref="RunRandomness"/>), so a run's result does not depend on what else the process did
/// before. Concurrent runs belong in separate processes (see <see cref="CrossValidation.Run"/>).
/// </remarks>
public static class RunTrainer
{
    /// <summary>
    /// The version of the training protocol (batching, splits, seeds). Raised whenever a change makes
    /// the same run give another result, so that runs of an older protocol are never reused or mixed
    /// with new ones: it is part of a run's identity in the database. 1: length-sorted epochs; 2: the
    /// method's shuffled batches; 3: MKL, ATen and oneDNN pinned to their AVX2 code paths
    /// (<see cref="Native.TorchNativeLibraries.KernelPins"/>), which changes some runs' rounding; 4: dropout
    /// masks drawn the same on every CPU vendor (<see cref="Fusion.BernoulliMask"/>; libtorch draws them with
    /// MKL on Intel CPUs), which changes runs trained on Intel CPUs.
    /// </summary>
    public const int ProtocolVersion = 4;

    /// <summary>
    /// What a run's results are filed under besides its configuration, fold and repeat: the feature
    /// store and the protocol that trained it (<c>3052e645cc1f907b…@protocol3</c>). Runs of the same
    /// store under another protocol are other runs: never reused, never averaged with these.
    /// </summary>
    public static string ResultsKey(string storeFingerprint) => $"{storeFingerprint}@protocol{ProtocolVersion}";

    public static RunResult Run(TrainingData data, CrossValidationPlan plan, ModelConfiguration configuration, int fold, int repeat,
        Device? device = null, IProgress<EpochReport>? progress = null, CancellationToken cancellation = default)
    {
        configuration.Training.Validate();
        configuration.Options.Validate();
        foreach (var kind in configuration.Streams.Where(k => !data.Serves(k)))
            throw new ArgumentException($"The feature store holds no {kind.Name()} stream.");
        var target = device ?? CPU;
        var clock = Stopwatch.StartNew();
        var seed = RunSeed.ForRun(configuration.Key, fold, repeat);
        var shuffler = new DeterministicRandom(seed.UInt64);
        using var generator = new Generator(seed.UInt64, target);
        using var randomness = RunRandomness.Use(generator);

        var split = plan.Split(fold, repeat);
        var items = data.Items.ToDictionary(i => i.Id);
        using var standardizers = Standardizers.Fit(data, configuration, split.Train, items);
        using var model = CreateModel(configuration, data, seed);
        model.to(target);
        using var optimizer = new RunAdam(model.parameters(), model.LearningRate);
        var batches = new BatchReader(data, standardizers, items, configuration.Streams, target);
        // Lengths by the longest stream of the configuration (bucketing, padding of evaluation batches).
        var lengths = data.Items.ToDictionary(i => i.Id, i => configuration.Streams.Max(k => data.Length(i.Id, k)));
        int length(string id) => lengths[id];
        var validationBatches = EpochBatches.Sorted(split.Validation, length, configuration.Training.BatchSize);
        var validationLabels = Labels(split.Validation, items);

        var stopping = new EarlyStopping(configuration.Training.Patience, configuration.Training.MaxEpochs);
        ParameterSnapshot? best = null;
        var trainingSeconds = 0.0;
        var trained = 0L;
        var epochs = new List<EpochReport>();
        try
        {
            while (!stopping.ShouldStop)
            {
                cancellation.ThrowIfCancellationRequested();
                var epochClock = Stopwatch.StartNew();
                var epochBatches = EpochBatches.Draw(configuration.Training.BatchOrder, split.Train, length, configuration.Training.BatchSize, shuffler);
                var loss = TrainEpoch(model, optimizer, batches, epochBatches);
                var epochSeconds = epochClock.Elapsed.TotalSeconds;
                trainingSeconds += epochSeconds;
                trained += split.Train.Count;

                var validation = Logits.Evaluate(Predict(model, batches, validationBatches), validationLabels);
                var improved = stopping.Observe(validation.UnweightedAccuracy);
                if (improved)
                {
                    best?.Dispose();
                    best = ParameterSnapshot.Capture(model);
                }
                var report = new EpochReport(stopping.EpochsRun, stopping.MaxEpochs, loss, validation.UnweightedAccuracy, improved, split.Train.Count / epochSeconds);
                epochs.Add(report);
                progress?.Report(report);
            }

            best!.RestoreInto(model);
            var logits = Predict(model, batches, EpochBatches.Sorted(split.Test, length, configuration.Training.BatchSize));
            var labels = Labels(split.Test, items);
            return new RunResult(configuration.Key, fold, repeat, seed.Int64, Logits.Evaluate(logits, labels),
                stopping.EpochsRun, stopping.BestEpoch, stopping.BestScore, clock.Elapsed.TotalSeconds,
                trainingSeconds > 0 ? trained / trainingSeconds : 0, logits, labels, split.Validation, epochs, model.LayerWeights());
        }
        finally
        {
            best?.Dispose();
        }
    }

    private static readonly Lock Initialisation = new();

    /// <summary>
    /// TorchSharp's layers draw their initial weights from libtorch's process-wide generator: seeding
    /// it and building the model under one lock makes the weights a function of the seed even while
    /// other runs train in parallel (their dropout draws from their own generators).
    /// </summary>
    private static FusionModel CreateModel(ModelConfiguration configuration, TrainingData data, RunSeed seed)
    {
        lock (Initialisation)
        {
            random.manual_seed(seed.Int64);
            return FusionModels.Create(configuration.Model, configuration.Streams,
                configuration.Streams.ToDictionary(k => k, data.Shape), configuration.Options);
        }
    }

    /// <summary>One pass over the epoch's batches; returns the mean training loss.</summary>
    private static double TrainEpoch(FusionModel model, RunAdam optimizer, BatchReader batches, List<string[]> epoch)
    {
        model.train();
        using var epochScope = NewDisposeScope();
        var total = zeros(1, device: batches.Device);                                   // summed on the device: one sync per epoch
        foreach (var ids in epoch)
        {
            using var scope = NewDisposeScope();
            var (inputs, labels) = batches.Read(ids);
            var logits = model.forward(inputs);                                          // (B, C)
            var loss = nn.functional.cross_entropy(logits, labels);
            optimizer.ZeroGrad();
            loss.backward();
            optimizer.Step();
            using var utterances = ids.Length.ToScalar();                               // explicit: see RunAdam
            total.add_(loss.detach() * utterances);
        }
        return total.item<float>() / epoch.Sum(b => b.Length);
    }

    /// <summary>Eval-mode logits per utterance id.</summary>
    private static Dictionary<string, float[]> Predict(FusionModel model, BatchReader batches, List<string[]> chunks)
    {
        model.eval();
        using var noGrad = no_grad();
        var logits = new Dictionary<string, float[]>();
        foreach (var chunk in chunks)
        {
            using var scope = NewDisposeScope();
            var (inputs, _) = batches.Read(chunk);
            var values = model.forward(inputs).cpu().data<float>().ToArray();           // (B * C)
            var classes = values.Length / chunk.Length;
            for (var b = 0; b < chunk.Length; b++) logits[chunk[b]] = values[(b * classes)..((b + 1) * classes)];
        }
        return logits;
    }

    private static Dictionary<string, int> Labels(IReadOnlyList<string> ids, Dictionary<string, LabelledItem> items) =>
        ids.ToDictionary(id => id, id => (int)items[id].Label);
}
