using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// A feature store of synthetic utterances over five sessions, written with the real
/// <see cref="FeatureStoreWriter"/>, in which each modality knows half of the emotion: the text
/// stream T carries valence (ang, sad negative; hap, neu not), the speech streams F, P, S, W carry
/// arousal (ang, hap high; sad, neu low). One modality alone can at best tell two pairs of classes
/// apart (UA about 0.45, chance 0.25); both together can tell all four (UA about 0.8).
/// </summary>
/// <remarks>
/// Utterance <c>i</c> has label <c>i % 4</c> and session <c>i % 5 + 1</c>, so every session holds
/// every class. Its class shifts feature 0 of every element by +-1 plus an utterance-level noise
/// (sd <see cref="UtteranceNoise"/>), so some utterances of a class look like the other side; every
/// element also gets noise of sd 0.5 in all features. Lengths vary (T 3..10, F 12..31 elements).
/// Every tenth utterance (<c>i % 10 == 3</c>) has no alignment, hence no P, S, W; four extra
/// utterances carry a label the method drops (<c>fru</c>). Deterministic in <c>count</c>.
/// </remarks>
internal static class SyntheticEmotionStore
{
    public const int Width = 8;
    public const double UtteranceNoise = 0.6;

    public static readonly int[] Layers = [1, 2];

    public static StoreDescription Description { get; } = new(
        "synthetic-emotion/1", StoreDType.Float32, Layers, Layers, Width, Width,
        [new EncoderDescription("speech: synthetic", "/synthetic/speech", "cfg-s", false), new EncoderDescription("text: synthetic", "/synthetic/text", "cfg-t", false)],
        new Dictionary<string, string>());

    public static string Id(int i) => $"Ses{i % 5 + 1:00}{Gender(i)}_impro01_{Gender(i)}{i:0000}";

    public static Emotion Label(int i) => (Emotion)(i % 4);

    public static bool Aligned(int i) => i % 10 != 3;

    /// <summary>Writes <paramref name="count"/> labelled utterances (plus four dropped ones) into <paramref name="directory"/>.</summary>
    public static void Write(string directory, int count)
    {
        using var writer = FeatureStoreWriter.Open(directory, Description);
        for (var i = 0; i < count + 4; i++)
        {
            using var scope = NewDisposeScope();
            var labelled = i < count;
            var info = new UtteranceInfo(Id(i), i % 5 + 1, $"Ses{i % 5 + 1:00}{Gender(i)}", Gender(i),
                labelled ? RawLabel(Label(i)) : "fru", labelled ? Label(i) : null, $"key-{i}", new Dictionary<string, int>());
            using var features = Features(i);
            writer.Add(info, features);
        }
        writer.Complete($$"""{"utterances": {{count + 4}}}""");
    }

    /// <summary>The streams of utterance <paramref name="i"/>; deterministic in i.</summary>
    public static UtteranceFeatures Features(int i)
    {
        var generator = new Generator((ulong)(7919 + i));
        var label = Label(i);
        var valence = label is Emotion.Angry or Emotion.Sad ? -1.0 : 1.0;
        var arousal = label is Emotion.Angry or Emotion.Happy ? 1.0 : -1.0;
        var frames = 12 + i * 11 % 20;
        var streams = new Dictionary<StreamKind, Tensor>
        {
            [StreamKind.Text] = Stream(3 + i * 7 % 8, valence, generator),
            [StreamKind.Frame] = Stream(frames, arousal, generator),
        };
        var segmentFrames = new Dictionary<StreamKind, Tensor>();
        if (Aligned(i))
            foreach (var (kind, n) in new[] { (StreamKind.Phone, frames / 3), (StreamKind.Syllable, frames / 5), (StreamKind.Word, frames / 8) })
            {
                streams[kind] = Stream(n, arousal, generator);
                segmentFrames[kind] = stack(Enumerable.Range(0, n).Select(s => tensor(new long[] { s * frames / n, (s + 1) * frames / n - 1 })).ToArray());
            }
        return new UtteranceFeatures(Id(i), streams, segmentFrames);
    }

    /// <summary>(L, n, H): noise of sd 0.5, feature 0 shifted by sign + utterance noise in every layer.</summary>
    private static Tensor Stream(int n, double sign, Generator generator)
    {
        var shift = sign + UtteranceNoise * randn(1, generator: generator).item<float>();
        var offset = zeros([1, 1, Width]);
        offset[0, 0, 0] = tensor((float)shift);
        return 0.5 * randn([Layers.Length, n, Width], generator: generator) + offset;                  // (L, n, H)
    }

    private static char Gender(int i) => i / 5 % 2 == 0 ? 'F' : 'M';

    private static string RawLabel(Emotion emotion) => emotion switch
    {
        Emotion.Angry => "ang",
        Emotion.Happy => "hap",
        Emotion.Sad => "sad",
        _ => "neu",
    };
}
