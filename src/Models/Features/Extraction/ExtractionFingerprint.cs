using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Features.Extraction;

/// <summary>
/// The hashes that key the feature store: one per encoder checkpoint (combined with the options
/// into the store's extraction fingerprint: if it changes, every stored utterance is stale) and one per utterance (if it changes, only that utterance is).
/// </summary>
public static class ExtractionFingerprint
{
    /// <summary>Bumped when the extraction itself changes in a way that changes stored values; recorded as an option.</summary>
    public const int FormatVersion = 1;

    /// <summary>
    /// The checkpoint files that determine an encoder's outputs: configs, vocabulary, weights.
    /// Weight files are hashed in full (a few hundred MB for base models: about a second).
    /// </summary>
    public static string Encoder(string folder)
    {
        using var hash = new ContentHash();
        foreach (var name in new[] { "config.json", "preprocessor_config.json", "tokenizer_config.json", "vocab.txt", "model.safetensors", "pytorch_model.bin" })
            hash.AddFile(name, Path.Combine(folder, name));
        return hash.Finish();
    }

    /// <summary>
    /// Everything of one utterance that its stored streams and index entry depend on: the wav's
    /// bytes, the transcript, every alignment row, and the labels and session kept in the manifest.
    /// </summary>
    public static string Utterance(Utterance utterance)
    {
        using var hash = new ContentHash();
        hash.Add("id", utterance.Id)
            .Add("session", utterance.Session.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Add("gender", utterance.Gender.ToString())
            .Add("label", utterance.RawLabel)
            .Add("transcript", utterance.Transcript)
            .AddFile("wav", utterance.WavPath);
        var alignment = utterance.Alignment;
        hash.Add("alignment", alignment is null ? "<none>" : "present");
        if (alignment is not null)
        {
            hash.Add("phones", Rows(alignment.Phones)).Add("words", Rows(alignment.Words));
            hash.Add("syllables", alignment.Syllables is null ? "<none>" : Rows(alignment.Syllables));
        }
        return hash.Finish();
    }

    private static string Rows(IReadOnlyList<AlignedSegment> segments) =>
        string.Join('\n', segments.Select(s => $"{s.StartFrame} {s.EndFrame} {(s.IsSilence ? 1 : 0)} {s.Label}"));
}
