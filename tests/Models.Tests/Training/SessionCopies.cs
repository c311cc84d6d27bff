using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// A reader that adds copies of some utterances of another reader as a new session: the copies
/// read exactly as their originals. A run that tests on the new session then scores the very
/// utterances it was given as copies, e.g. its own validation set.
/// </summary>
internal sealed class SessionCopies : IFeatureReader
{
    public const string Prefix = "Copy_";

    private readonly IFeatureReader _inner;

    public SessionCopies(IFeatureReader inner, IEnumerable<string> originals, int session)
    {
        _inner = inner;
        var byId = inner.Utterances.ToDictionary(u => u.Id);
        var copies = originals.Select(id => byId[id] with { Id = Prefix + id, Session = session });
        Utterances = inner.Utterances.Concat(copies).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
    }

    public StoreDescription Description => _inner.Description;

    public IReadOnlyList<UtteranceInfo> Utterances { get; }

    public IReadOnlyList<StreamKind> AvailableStreams => _inner.AvailableStreams;

    public IReadOnlyDictionary<StreamKind, int> Lengths(string id) => _inner.Lengths(Original(id));

    public Tensor? Read(string id, StreamKind kind) => _inner.Read(Original(id), kind);

    public Tensor? ReadSegmentFrames(string id, StreamKind kind) => _inner.ReadSegmentFrames(Original(id), kind);

    private static string Original(string id) => id.StartsWith(Prefix, StringComparison.Ordinal) ? id[Prefix.Length..] : id;
}
