using Orchestrator.Models.Features;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>One standardiser per stream of a run, fitted on its training split (or per speaker, as configured).</summary>
internal sealed class Standardizers : IDisposable
{
    private readonly Dictionary<StreamKind, IUtteranceStandardizer> _byStream;

    private Standardizers(Dictionary<StreamKind, IUtteranceStandardizer> byStream) => _byStream = byStream;

    public static Standardizers Fit(TrainingData data, ModelConfiguration configuration, IReadOnlyList<string> trainIds, Dictionary<string, LabelledItem> items)
    {
        var byStream = new Dictionary<StreamKind, IUtteranceStandardizer>();
        try
        {
            foreach (var kind in configuration.Streams)
            {
                if (configuration.Training.PerSpeakerStandardisation)
                    byStream[kind] = SpeakerStandardizer.Fit(ReadEach(data, data.Items.Select(i => i.Id), kind).Select((t, n) => (data.Items[n].Speaker, t)));
                else
                    byStream[kind] = Standardizer.Fit(ReadEach(data, trainIds, kind));
            }
            return new Standardizers(byStream);
        }
        catch
        {
            foreach (var standardizer in byStream.Values) (standardizer as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The statistics that standardise <paramref name="speaker"/>'s utterances of stream <paramref name="kind"/>.</summary>
    public Standardizer For(StreamKind kind, string speaker) => _byStream[kind].For(speaker);

    public void Dispose()
    {
        foreach (var standardizer in _byStream.Values) (standardizer as IDisposable)?.Dispose();
    }

    /// <summary>Each utterance is freed as soon as the statistics move on to the next: never the whole split in memory.</summary>
    private static IEnumerable<Tensor> ReadEach(TrainingData data, IEnumerable<string> ids, StreamKind kind)
    {
        foreach (var id in ids)
        {
            using var utterance = data.Read(id, kind);                             // (L, N, H)
            yield return utterance;
        }
    }
}
