using Orchestrator.Models.Features.Store;

namespace Orchestrator.Models.Features.Extraction;

/// <summary>What to extract and how (method.md sections 2-3); the defaults are the method's.</summary>
/// <param name="SpeechLayers">wav2vec 2.0 hidden states to keep (<see cref="LayerSelection.Parse"/>); null: every transformer layer.</param>
/// <param name="TextLayers">BERT hidden states to keep; null: every transformer layer.</param>
/// <param name="DType">Element type on disk.</param>
/// <param name="KeepSilence">Keep silence and noise segments in P, S, W.</param>
/// <param name="KeepSpecialTokens">Keep [CLS] and [SEP] in T.</param>
/// <param name="KeepTags">Keep bracketed non-speech tags ([LAUGHTER], ...) in transcripts.</param>
/// <param name="AllLabelled">Extract every labelled utterance, not only the four classes.</param>
/// <param name="BatchSize">Utterances per encoder batch (texts always; speech only for layer-norm checkpoints).</param>
public sealed record ExtractionOptions(
    string? SpeechLayers = null,
    string? TextLayers = null,
    StoreDType DType = StoreDType.Float16,
    bool KeepSilence = false,
    bool KeepSpecialTokens = false,
    bool KeepTags = false,
    bool AllLabelled = false,
    int BatchSize = 16)
{
    /// <summary>The options that change stored values, as recorded in the store and fingerprinted.</summary>
    public IReadOnlyDictionary<string, string> Recorded(int[] speechLayers, int[] textLayers) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        ["extraction_version"] = ExtractionFingerprint.FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["speech_layers"] = string.Join(",", speechLayers),
        ["text_layers"] = string.Join(",", textLayers),
        ["keep_silence"] = KeepSilence ? "true" : "false",
        ["keep_special_tokens"] = KeepSpecialTokens ? "true" : "false",
        ["keep_tags"] = KeepTags ? "true" : "false",
    };
}
