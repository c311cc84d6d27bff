using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Synthesis;
using Orchestrator.Models.Training;
using static TorchSharp.torch;

// Usage: Training.Bench STORE OUT THREADS EPOCHS CONFIG...      (CONFIG: late:T+F, coattention:T+F, ...)
//        Training.Bench matmul THREADS                          (BLAS probe: one branch-sized matrix product)
// Loads the store's streams into memory (FeatureCache), then per configuration:
//   1. a warm-up run of one epoch (excluded),
//   2. the timed run: RunTrainer.Run on fold 1 repeat 1 with Patience = MaxEpochs = EPOCHS, so exactly
//      EPOCHS epochs run (no early stopping), each followed by the validation pass as in any run,
//   3. a profile epoch outside RunTrainer, from the same public pieces (StreamCollator.Standardize,
//      Standardizer, EpochBatches, the model, Adam), timing batch reading, forward + loss,
//      backward and the optimizer step separately.
// Appends one JSON line per configuration to OUT/results.jsonl and writes OUT/split.json (the run's
// train/validation/test ids, which pytorch_train.py reads so both sides train on the same utterances).
if (args is ["matmul", var matmulThreads])
{
    // The probe the PyTorch side's "matmul" mirrors: one (9600 x 64) @ (64 x 128) product, the size of a
    // branch's first layer on a batch of 32 x 300 frames (docs/benchmarks.md, "Training").
    set_num_threads(int.Parse(matmulThreads, CultureInfo.InvariantCulture));
    using var x = randn(32 * 300, 64);
    using var w = randn(128, 64);
    using (x.matmul(w.t())) { }
    var probe = Stopwatch.StartNew();
    for (var i = 0; i < 20; i++) using (x.matmul(w.t())) { }
    var milliseconds = probe.Elapsed.TotalMilliseconds / 20;
    Console.WriteLine(FormattableString.Invariant($"ours matmul 9600x64 @ 64x128: {milliseconds:F2} ms, {2.0 * 9600 * 64 * 128 / milliseconds / 1e6:F1} GFLOP/s"));
    return 0;
}
if (args.Length < 5)
{
    Console.Error.WriteLine("usage: Training.Bench STORE OUT THREADS EPOCHS CONFIG...   (CONFIG e.g. late:T+F, coattention:T+F)");
    return 2;
}
var (storeDir, outDir) = (args[0], args[1]);
var threads = int.Parse(args[2], CultureInfo.InvariantCulture);
var epochs = int.Parse(args[3], CultureInfo.InvariantCulture);
var configurations = args[4..].Select(Parse).ToList();
Directory.CreateDirectory(outDir);
set_num_threads(threads);

using var store = FeatureStore.Open(storeDir);
var needed = configurations.SelectMany(c => c.Streams).Append(StreamKind.Frame).Distinct().ToList();
var loadClock = Stopwatch.StartNew();
using var cache = store.LoadIntoMemory(needed);
var loadSeconds = loadClock.Elapsed.TotalSeconds;
var data = new TrainingData(cache);
var plan = CrossValidation.Plan(data, TrainingOptions.Default);
const int Fold = 1, Repeat = 1;
var split = plan.Split(Fold, Repeat);
File.WriteAllText(Path.Combine(outDir, "split.json"), JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["fold"] = Fold,
    ["repeat"] = Repeat,
    ["train"] = split.Train,
    ["validation"] = split.Validation,
    ["test"] = split.Test,
}));
Console.WriteLine(FormattableString.Invariant(
    $"ours: {data.Items.Count} utterances loaded in {loadSeconds:F1} s; fold {Fold}: {split.Train.Count} train, {split.Validation.Count} validation, {split.Test.Count} test; {threads} thread(s), {epochs} epochs"));

foreach (var configuration in configurations)
{
    RunTrainer.Run(data, plan, With(configuration, 1), Fold, Repeat);                       // warm-up, excluded
    var epochSeconds = new List<double>();
    var timed = With(configuration, epochs);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var result = RunTrainer.Run(data, plan, timed, Fold, Repeat,
        progress: new EpochProgress(r => epochSeconds.Add(split.Train.Count / r.SamplesPerSecond)));
    var runCpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;   // all threads, less sensitive to other load than wall time
    var (parameters, profile) = Profile(data, split, timed);
    var line = new Dictionary<string, object>
    {
        ["side"] = "ours",
        ["version"] = $"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, libtorch {__version__}",
        ["config"] = $"{configuration.Model.ToString().ToLowerInvariant()}:{StreamKinds.Label(configuration.Streams)}",
        ["threads"] = threads,
        ["epochs"] = result.EpochsRun,
        ["train"] = split.Train.Count,
        ["parameters"] = parameters,
        ["samples_per_second"] = result.TrainingSamplesPerSecond,
        ["epoch_seconds"] = epochSeconds,
        ["train_seconds"] = epochSeconds.Sum(),
        ["run_seconds"] = result.WallTimeSeconds,
        ["run_cpu_seconds"] = runCpuSeconds,
        ["validation_ua"] = result.ValidationUnweightedAccuracy,
        ["profile"] = profile,
    };
    File.AppendAllText(Path.Combine(outDir, "results.jsonl"), JsonSerializer.Serialize(line) + "\n");
    Console.WriteLine(FormattableString.Invariant(
        $"ours {line["config"],-16} {parameters,9:N0} params  {result.TrainingSamplesPerSecond,8:F1} samples/s  {epochSeconds.Average(),6:F2} s/epoch  {result.WallTimeSeconds,7:F1} s/run  profile: read {profile["read"]:F2} fwd {profile["forward"]:F2} bwd {profile["backward"]:F2} step {profile["step"]:F2} s"));
}
return 0;

static ModelConfiguration Parse(string text)
{
    var parts = text.Split(':');
    if (parts.Length != 2 || !Enum.TryParse<ModelKind>(parts[0], ignoreCase: true, out var kind))
        throw new FormatException($"'{text}' is not MODEL:STREAMS, e.g. late:T+F.");
    var streams = parts[1].Split('+').Select(s => StreamKinds.All.Single(k => k.Letter().ToString() == s)).ToList();
    return ModelConfiguration.Of(kind, streams);
}

static ModelConfiguration With(ModelConfiguration configuration, int epochs) =>
    configuration with { Training = configuration.Training with { MaxEpochs = epochs, Patience = epochs } };

// One training epoch as RunTrainer.TrainEpoch does it, each phase timed on its own (the CPU runs
// synchronously, so the stopwatch sees each phase's work). Returns the model's parameter count too.
static (long Parameters, Dictionary<string, double> Seconds) Profile(TrainingData data, RunSplit split, ModelConfiguration configuration)
{
    var seed = RunSeed.ForRun(configuration.Key, 1, 1);
    var standardizers = configuration.Streams.ToDictionary(k => k, k => Standardizer.Fit(ReadEach(data, split.Train, k)));
    random.manual_seed(seed.Int64);
    using var model = FusionModels.Create(configuration.Model, configuration.Streams,
        configuration.Streams.ToDictionary(k => k, data.Shape), configuration.Options);
    var parameters = model.parameters().Sum(p => p.numel());
    using var optimizer = optim.Adam(model.parameters(), lr: model.LearningRate);
    using var generator = new TorchSharp.torch.Generator(seed.UInt64);
    using var randomness = RunRandomness.Use(generator);
    var labels = data.Items.ToDictionary(i => i.Id, i => (long)i.Label);
    int length(string id) => configuration.Streams.Max(k => data.Length(id, k));
    var batches = EpochBatches.Draw(configuration.Training.BatchOrder, split.Train, length, configuration.Training.BatchSize, new DeterministicRandom(seed.UInt64));
    var seconds = new Dictionary<string, double> { ["read"] = 0, ["forward"] = 0, ["backward"] = 0, ["step"] = 0 };
    model.train();
    var clock = Stopwatch.StartNew();
    foreach (var ids in batches)
    {
        using var scope = NewDisposeScope();
        clock.Restart();
        var inputs = new Dictionary<StreamKind, StreamBatch>();
        foreach (var kind in configuration.Streams)
        {
            inputs[kind] = StreamCollator.Standardize(ids.Select(id => data.Read(id, kind)).ToList(), ids.Select(_ => standardizers[kind]).ToList(), CPU, kind.Name());
        }
        var target = tensor(ids.Select(id => labels[id]).ToArray());
        seconds["read"] += Lap();
        var loss = nn.functional.cross_entropy(model.forward(inputs), target);
        seconds["forward"] += Lap();
        optimizer.zero_grad();
        loss.backward();
        seconds["backward"] += Lap();
        optimizer.step();
        seconds["step"] += Lap();
    }
    foreach (var standardizer in standardizers.Values) standardizer.Dispose();
    return (parameters, seconds);

    double Lap()
    {
        var s = clock.Elapsed.TotalSeconds;
        clock.Restart();
        return s;
    }
}

static IEnumerable<Tensor> ReadEach(TrainingData data, IEnumerable<string> ids, StreamKind kind)
{
    foreach (var id in ids)
    {
        using var utterance = data.Read(id, kind);
        yield return utterance;
    }
}

sealed class EpochProgress(Action<EpochReport> report) : IProgress<EpochReport>
{
    public void Report(EpochReport value) => report(value);
}
