using Spectre.Console;
using System.CommandLine;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;

namespace Orchestrator.Client.Commands;

/// <summary>The options <c>train</c> and <c>cv</c> share: the store, the configuration, and how to train it.</summary>
internal sealed class RunOptions
{
    public Option<DirectoryInfo> Store { get; } = new("--store") { Description = "The feature store (from features extract).", Required = true };
    public Option<string> Model { get; } = new("--model") { Description = "linear | transformer (one stream), late (T plus any speech streams, or any set), coattention (T plus speech streams), concat (T plus one speech stream). Required unless --configuration names the configuration." };
    public Option<string> Streams { get; } = new("--streams") { Description = "Streams: letters of T (text), F (frame), P (phone), S (syllable), W (word), e.g. T,F,S. Required unless --configuration names the configuration." };
    public Option<int> Epochs { get; } = new Option<int>("--max-epochs") { Description = "Cap on epochs.", DefaultValueFactory = _ => TrainingOptions.Default.MaxEpochs }.AtLeast(1, "epoch");
    public Option<int> Patience { get; } = new Option<int>("--patience") { Description = "Epochs without a better validation UA before stopping.", DefaultValueFactory = _ => TrainingOptions.Default.Patience }.AtLeast(1, "epoch");
    public Option<int> BatchSize { get; } = new Option<int>("--batch-size") { Description = "Utterances per step.", DefaultValueFactory = _ => TrainingOptions.Default.BatchSize }.AtLeast(1, "utterance per step");
    public Option<double?> LearningRate { get; } = new Option<double?>("--lr") { Description = "Learning rate (default: 1e-3 feed-forward models, 5e-5 attention models)." }.Positive("a learning rate");
    public Option<int?> Width { get; } = new Option<int?>("--width") { Description = "Branch width (default 128)." }.AtLeast(1, "unit");
    public Option<int?> Heads { get; } = new Option<int?>("--heads") { Description = "Attention heads (default 8; must divide the embedding width)." }.AtLeast(1, "head");
    public Option<bool> Stratified { get; } = new("--stratified") { Description = "Draw the validation share per class." };
    public Option<bool> PerSpeaker { get; } = new("--per-speaker") { Description = "Standardise each speaker with their own statistics." };
    public Option<string> BatchOrder { get; } = new("--batch-order") { Description = "shuffled (the method: random batches each epoch) | length-bucketed (batches of similar length in random order: less padding, not shown to keep UA).", DefaultValueFactory = _ => "shuffled" };
    public Option<string> ConfigurationKey { get; } = new("--configuration") { Description = "The whole configuration as its key says it, e.g. late:T+F or late:T+F[lr=0.0001,width=64] (instead of --model, --streams and the settings)." };
    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON instead of tables." };
    public Option<int> Threads { get; } = new Option<int>("--threads") { Description = "libtorch threads per run. Runs are small: one thread each, and runs side by side (--parallel), use cores best.", DefaultValueFactory = _ => 1 }.AtLeast(1, "thread");

    public IEnumerable<Option> All => [Store, Model, Streams, Epochs, Patience, BatchSize, LearningRate, Width, Heads, Stratified, PerSpeaker, BatchOrder, ConfigurationKey, Threads, Json];

    /// <summary>Default for --parallel: one run per core (each run trains on one thread).</summary>
    public static int DefaultParallelism => Environment.ProcessorCount;

    /// <summary>
    /// Sets libtorch's intra-op threads for the process. Small models gain nothing from several
    /// threads per operation, and OpenMP threads that outnumber the cores (runs side by side, or
    /// another process) spin-wait and slow every run many times over.
    /// </summary>
    public static void UseThreads(int threads) => TorchSharp.torch.set_num_threads(Math.Max(1, threads));

    /// <summary>The configuration the options describe; throws <see cref="FormatException"/> naming a bad value.</summary>
    public ModelConfiguration Configuration(ParseResult result)
    {
        if (result.GetValue(ConfigurationKey) is { } key)
        {
            var settings = new Option[] { Model, Streams, Epochs, Patience, BatchSize, LearningRate, Width, Heads, Stratified, PerSpeaker, BatchOrder }
                .Where(o => result.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (settings.Count > 0)
                throw new FormatException($"--configuration names the whole configuration; it cannot be combined with {string.Join(", ", settings)}.");
            return ModelConfiguration.ParseKey(key);
        }
        var modelName = result.GetValue(Model) ?? throw new FormatException("--model and --streams are required (or --configuration KEY).");
        if (result.GetValue(Streams) is null) throw new FormatException("--streams is required with --model (or --configuration KEY).");
        if (!Enum.TryParse<ModelKind>(modelName, ignoreCase: true, out var kind) || int.TryParse(modelName, out _))
            throw new FormatException($"--model '{modelName}' is not one of linear, transformer, late, coattention, concat.");
        var defaults = new ModelOptions();
        var options = defaults with
        {
            LearningRateOverride = result.GetValue(LearningRate),
            BranchWidth = result.GetValue(Width) ?? defaults.BranchWidth,
            AttentionHeads = result.GetValue(Heads) ?? defaults.AttentionHeads,
        };
        var order = result.GetValue(BatchOrder)!.Replace("-", "") is var name && Enum.TryParse<BatchOrder>(name, ignoreCase: true, out var parsed) && !int.TryParse(name, out _)
            ? parsed
            : throw new FormatException($"--batch-order '{result.GetValue(BatchOrder)}' is not one of shuffled, length-bucketed.");
        var training = new TrainingOptions(result.GetValue(BatchSize), result.GetValue(Epochs), result.GetValue(Patience),
            StratifiedValidation: result.GetValue(Stratified), PerSpeakerStandardisation: result.GetValue(PerSpeaker), BatchOrder: order);
        return ModelConfiguration.Of(kind, StreamKinds.Parse(result.GetValue(Streams)!)) with { Options = options, Training = training };
    }

    /// <summary>The configuration, the thread count and the store's data, as <c>train</c> and <c>cv</c> begin.</summary>
    public OpenedRun Open(ParseResult result)
    {
        var configuration = Configuration(result);
        UseThreads(result.GetValue(Threads));
        var (store, reader, cache) = OpenStore(result.GetValue(Store)!.FullName, configuration.Streams);
        return new OpenedRun(configuration, store, new TrainingData(reader), cache);
    }

    /// <summary>An opened store and what a command trains on it; disposing closes both.</summary>
    public sealed record OpenedRun(ModelConfiguration Configuration, FeatureStore Store, TrainingData Data, IDisposable? Cache) : IDisposable
    {
        public void Dispose()
        {
            Cache?.Dispose();
            Store.Dispose();
        }
    }

    /// <summary>What a reader of scores from <paramref name="store"/> must know: an incomplete store, untrained encoders.</summary>
    public static void WarnAbout(FeatureStore store)
    {
        if (!store.IsComplete)
            Terminal.Error.MarkupLine("[yellow]The feature store is incomplete (an extraction stopped or failed): training uses the utterances it holds.[/]");
        if (store.Description.Encoders.Any(e => e.Untrained))
            Terminal.Error.MarkupLine("[yellow]Features from built-in encoders that are NOT PRE-TRAINED: these scores exercise the pipeline, they are not results.[/]");
    }

    /// <summary>
    /// Opens the store and, when the streams fit in half the memory available, loads them into RAM
    /// (every epoch reads every utterance); otherwise reads the memory-mapped shards.
    /// </summary>
    public static (FeatureStore Store, IFeatureReader Reader, IDisposable? Cache) OpenStore(string directory, IReadOnlyList<StreamKind> streams)
    {
        var store = FeatureStore.Open(directory);
        WarnAbout(store);
        // F stands in for P, S and W where an utterance has no alignment; a run without them never reads it.
        var needed = (streams.Any(s => s.IsSegmental()) ? streams.Append(StreamKind.Frame) : streams).Distinct().ToList();
        var bytes = store.EstimateMemoryBytes(needed);
        // Half the memory for one process; a worker shares it with one sibling per core.
        var workers = ParentWatch.IsRunProcess ? Environment.ProcessorCount : 1;
        if (bytes < GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2 / workers)
        {
            var cache = store.LoadIntoMemory(needed);
            return (store, cache, cache);
        }
        Terminal.Error.MarkupLineInterpolated($"The streams need {bytes / 1e9:0.0} GB: reading them from the memory-mapped store instead of loading them.");
        return (store, store, null);
    }
}
