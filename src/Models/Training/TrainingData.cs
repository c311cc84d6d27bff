using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Fusion;
using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// The labelled utterances of a feature store and their streams, as runs read them. An utterance
/// that lacks P, S or W (no alignment) is given its F stream instead (method.md section 3); how
/// many did is counted per stream.
/// </summary>
public sealed class TrainingData
{
    private readonly IFeatureReader _reader;
    private readonly Dictionary<string, HashSet<StreamKind>> _stored;

    /// <summary>Reads the four-class utterances of <paramref name="reader"/>.</summary>
    public TrainingData(IFeatureReader reader)
    {
        _reader = reader;
        var labelled = reader.Utterances.Where(u => u.Label is not null).ToList();
        if (labelled.Count == 0) throw new ArgumentException("The feature store holds no utterance of the four classes.", nameof(reader));
        Items = labelled.Select(u => new LabelledItem(u.Id, u.Session, u.Label!.Value, u.Speaker)).ToList();
        _stored = labelled.ToDictionary(u => u.Id, u => reader.Lengths(u.Id).Keys.ToHashSet());
        Fallbacks = StreamKinds.Segmental.ToDictionary(k => k, k => _stored.Values.Count(s => !s.Contains(k)));
    }

    /// <summary>The utterances with a four-class label, in id order.</summary>
    public IReadOnlyList<LabelledItem> Items { get; }

    /// <summary>Per segmental stream: utterances that use their F stream in its place.</summary>
    public IReadOnlyDictionary<StreamKind, int> Fallbacks { get; }

    /// <summary>Layers and width of a stream.</summary>
    public StreamShape Shape(StreamKind kind) =>
        new(_reader.Description.LayersOf(kind).Count, _reader.Description.WidthOf(kind));

    /// <summary>Streams the reader can serve; P, S and W are served (via F) even when some utterances lack them.</summary>
    public bool Serves(StreamKind kind) => _reader.AvailableStreams.Contains(kind) || (kind.IsSegmental() && _reader.AvailableStreams.Contains(StreamKind.Frame));

    /// <summary>N of one utterance's stream (F's for a missing P, S or W).</summary>
    public int Length(string id, StreamKind kind)
    {
        var lengths = _reader.Lengths(id);
        return lengths.TryGetValue(kind, out var n) ? n : lengths[StreamKind.Frame];
    }

    /// <summary>float32 (L, N, H) of one utterance and stream, F in place of a missing P, S or W; the caller owns it.</summary>
    public Tensor Read(string id, StreamKind kind)
    {
        var source = kind.IsSegmental() && !_stored[id].Contains(kind) ? StreamKind.Frame : kind;
        return _reader.Read(id, source) ?? throw new InvalidOperationException($"The feature store has no {source.Name()} stream for '{id}'.");
    }
}
