using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features.Store;

/// <summary>Small descriptions and random features for store tests.</summary>
internal static class StoreFixtures
{
    public const int SpeechWidth = 8;
    public const int TextWidth = 6;

    public static StoreDescription Description(StoreDType dtype = StoreDType.Float16, string fingerprint = "extraction-a", int[]? speechLayers = null) => new(
        fingerprint,
        dtype,
        speechLayers ?? [1, 2, 3],
        [1, 2],
        SpeechWidth,
        TextWidth,
        [new EncoderDescription("speech: tiny-wav2vec2", "/models/w2v", "cfg-w", false), new EncoderDescription("text: tiny-bert", "/models/bert", "cfg-b", false)],
        new Dictionary<string, string> { ["keep_silence"] = "false" });

    public static string Id(int i) => $"Ses0{i % 5 + 1}F_impro0{i}_F{i:000}";

    public static UtteranceInfo Info(int i, string? key = null) => new(
        Id(i), i % 5 + 1, $"Ses0{i % 5 + 1}F", 'F', i % 2 == 0 ? "exc" : "fru", i % 2 == 0 ? Emotion.Happy : null,
        key ?? $"key-{i}", new Dictionary<string, int> { ["clipped_segments"] = i % 3 });

    /// <summary>
    /// Random features of utterance <paramref name="i"/>: T with 3 + i tokens, F with 10 + i frames,
    /// and (when aligned) P, S, W with 5, 3, 2 segments. Deterministic in i.
    /// </summary>
    public static UtteranceFeatures Features(int i, bool aligned = true, StoreDescription? description = null)
    {
        description ??= Description();
        var generator = new TorchSharp.torch.Generator((ulong)(1000 + i));
        var streams = new Dictionary<StreamKind, Tensor>
        {
            [StreamKind.Text] = randn([description.TextLayers.Count, 3 + i, description.TextWidth], generator: generator),
            [StreamKind.Frame] = randn([description.SpeechLayers.Count, 10 + i, description.SpeechWidth], generator: generator),
        };
        var frames = new Dictionary<StreamKind, Tensor>();
        if (aligned)
            foreach (var (kind, n) in new[] { (StreamKind.Phone, 5), (StreamKind.Syllable, 3), (StreamKind.Word, 2) })
            {
                streams[kind] = randn([description.SpeechLayers.Count, n, description.SpeechWidth], generator: generator);
                frames[kind] = stack(Enumerable.Range(0, n).Select(s => tensor(new long[] { 2 * s + i, 2 * s + i + 1 })).ToArray());
            }
        return new UtteranceFeatures(Id(i), streams, frames);
    }

    /// <summary>Adds utterances <paramref name="indices"/> (odd ones without alignment when <paramref name="oddUnaligned"/>).</summary>
    public static void AddAll(FeatureStoreWriter writer, IEnumerable<int> indices, bool oddUnaligned = false)
    {
        foreach (var i in indices)
        {
            using var scope = NewDisposeScope();
            using var features = Features(i, aligned: !(oddUnaligned && i % 2 == 1), writer.Description);
            writer.Add(Info(i), features);
        }
    }

    /// <summary>A shard size that puts about two of the fixture's utterances in each shard.</summary>
    public static StoreWriterOptions SmallShards => new(ShardBytes: 1200);

    public static bool Same(Tensor a, Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.equal(b).all().item<bool>();
}
