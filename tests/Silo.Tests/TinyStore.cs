using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using static TorchSharp.torch;

namespace Orchestrator.Silo.Tests;

/// <summary>
/// A feature store written with the real writer: 5 sessions x 16 utterances, 2 layers of 8
/// dimensions, text and frame streams that carry the label, so a linear model trains in a second.
/// </summary>
public sealed record TinyStore(string Directory, string Fingerprint)
{
    public const int PerSession = 16;

    public static TinyStore Write(string directory)
    {
        var description = new StoreDescription("silo-tests/1", StoreDType.Float32, [1, 2], [1, 2], 8, 8,
            [new EncoderDescription("speech: synthetic", "/s", "cfg-s", false), new EncoderDescription("text: synthetic", "/t", "cfg-t", false)],
            new Dictionary<string, string>());
        using (var writer = FeatureStoreWriter.Open(directory, description))
        {
            for (var i = 0; i < 5 * PerSession; i++)
            {
                using var scope = NewDisposeScope();
                var (session, label) = (i % 5 + 1, (Emotion)(i % 4));
                var id = $"Ses{session:00}F_impro01_F{i:000}";
                var generator = new Generator((ulong)(100 + i));
                Tensor Stream(int n, double signal) => randn([2, n, 8], generator: generator) * 0.5 + signal;
                var frames = 10 + i % 7;
                var streams = new Dictionary<StreamKind, Tensor> { [StreamKind.Text] = Stream(3 + i % 4, (int)label), [StreamKind.Frame] = Stream(frames, (int)label / 2) };
                using var features = new UtteranceFeatures(id, streams, new Dictionary<StreamKind, Tensor>());
                writer.Add(new UtteranceInfo(id, session, $"Ses{session:00}F", 'F', "neu", label, $"key-{i}", new Dictionary<string, int>()), features);
            }
            writer.Complete("{}");
        }
        using var store = FeatureStore.Open(directory);
        return new TinyStore(store.Directory, store.Fingerprint);
    }
}
