using Orchestrator.Models.Corpus;
using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// <c>orchestrator features export</c>: one utterance's streams as a standalone safetensors file,
/// float32 whatever the store's dtype: <c>frame</c>, <c>phone</c>, <c>syllable</c>, <c>word</c>
/// (L, N, H), <c>text</c> (L, tokens, H), and <c>phone_frames</c>, <c>syllable_frames</c>,
/// <c>word_frames</c> int64 (N, 2). Absent streams are omitted and listed in the metadata.
/// </summary>
public static class FeatureExport
{
    /// <summary>Writes utterance <paramref name="id"/> of <paramref name="store"/> to <paramref name="outPath"/>; returns the tensor names written.</summary>
    /// <exception cref="KeyNotFoundException">The utterance is not stored.</exception>
    public static IReadOnlyList<string> Write(IFeatureReader store, string id, string outPath)
    {
        var lengths = store.Lengths(id);
        var info = store.Utterances.First(u => u.Id == id);
        using var scope = NewDisposeScope();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var kind in StreamKinds.All.Where(lengths.ContainsKey))
            tensors.Add(new(kind.Name(), store.Read(id, kind)!));
        foreach (var kind in StreamKinds.Segmental.Where(lengths.ContainsKey))
            tensors.Add(new($"{kind.Name()}_frames", store.ReadSegmentFrames(id, kind)!));

        var description = store.Description;
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["utterance"] = id,
            ["label"] = info.Label?.Code() ?? "",
            ["raw_label"] = info.RawLabel,
            ["session"] = info.Session.ToString(),
            ["speaker"] = info.Speaker,
            ["absent_streams"] = string.Join(",", StreamKinds.All.Where(k => !lengths.ContainsKey(k)).Select(k => k.Name())),
            ["speech_layers"] = string.Join(",", description.SpeechLayers),
            ["text_layers"] = string.Join(",", description.TextLayers),
            ["store_dtype"] = description.DType.Name(),
            ["extraction_fingerprint"] = description.ExtractionFingerprint,
            ["key"] = info.Key,
            ["frames"] = "first and last encoder frame pooled for each segment, inclusive",
        };
        SafeTensorsWriter.Write(outPath, tensors, metadata);
        return tensors.Select(t => t.Key).ToList();
    }
}
