using System.Text;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// What a feature store holds and how it was made: recorded in the manifest and in every shard,
/// compared on reopening so that features of a different extraction are never mixed.
/// </summary>
/// <param name="ExtractionFingerprint">
/// Hash of everything besides the corpus that determines the features: encoders and options
/// (<see cref="ComputeExtractionFingerprint"/> is one way to make it).
/// </param>
/// <param name="DType">Element type of the stored embeddings.</param>
/// <param name="SpeechLayers">Hidden-state indices kept for F, P, S, W (HF numbering: 0 is the input to the first layer).</param>
/// <param name="TextLayers">Hidden-state indices kept for T.</param>
/// <param name="SpeechWidth">Speech encoder width H (768 for base).</param>
/// <param name="TextWidth">Text encoder width H (768 for base).</param>
/// <param name="Encoders">The encoders, for reports.</param>
/// <param name="Options">Extraction options as text (keep_silence, keep_cls, ...), for reports.</param>
public sealed record StoreDescription(
    string ExtractionFingerprint,
    StoreDType DType,
    IReadOnlyList<int> SpeechLayers,
    IReadOnlyList<int> TextLayers,
    int SpeechWidth,
    int TextWidth,
    IReadOnlyList<EncoderDescription> Encoders,
    IReadOnlyDictionary<string, string> Options)
{
    /// <summary>Layers stored for a stream: <see cref="TextLayers"/> for T, else <see cref="SpeechLayers"/>.</summary>
    public IReadOnlyList<int> LayersOf(StreamKind kind) => kind.IsSpeech() ? SpeechLayers : TextLayers;

    /// <summary>Width H of a stream.</summary>
    public int WidthOf(StreamKind kind) => kind.IsSpeech() ? SpeechWidth : TextWidth;

    /// <summary>
    /// A fingerprint of encoders and options: SHA-256 over each encoder's name, config hash and
    /// untrained flag (not its path) and the options in ordinal key order.
    /// </summary>
    public static string ComputeExtractionFingerprint(IEnumerable<EncoderDescription> encoders, IReadOnlyDictionary<string, string> options)
    {
        var text = new StringBuilder("extraction/1\n");
        foreach (var encoder in encoders)
            text.Append("encoder\t").Append(encoder.Name).Append('\t').Append(encoder.ConfigHash).Append('\t').Append(encoder.Untrained).Append('\n');
        foreach (var (key, value) in options.OrderBy(o => o.Key, StringComparer.Ordinal))
            text.Append("option\t").Append(key).Append('=').Append(value).Append('\n');
        return StoreHash.Of(text.ToString());
    }

    /// <summary>
    /// How a store made with <paramref name="stored"/> differs from this request, one line per field:
    /// the fields that decide (fingerprint, dtype, layers, widths) and, when any of those differ,
    /// the encoders and options that explain it. Empty when the stored features can be reused.
    /// </summary>
    public IReadOnlyList<string> DifferencesFrom(StoreDescription stored)
    {
        var deciding = new List<string>();
        void Compare(string field, string was, string now)
        {
            if (was != now) deciding.Add($"{field}: store {was}, requested {now}");
        }
        Compare("extraction fingerprint", stored.ExtractionFingerprint, ExtractionFingerprint);
        Compare("dtype", stored.DType.Name(), DType.Name());
        Compare("speech layers", $"[{string.Join(",", stored.SpeechLayers)}]", $"[{string.Join(",", SpeechLayers)}]");
        Compare("text layers", $"[{string.Join(",", stored.TextLayers)}]", $"[{string.Join(",", TextLayers)}]");
        Compare("speech width", stored.SpeechWidth.ToString(), SpeechWidth.ToString());
        Compare("text width", stored.TextWidth.ToString(), TextWidth.ToString());
        if (deciding.Count == 0) return deciding;

        var explaining = new List<string>();
        var storedEncoders = string.Join(", ", stored.Encoders.Select(e => $"{e.Name} ({e.ConfigHash}{(e.Untrained ? ", untrained" : "")})"));
        var encoders = string.Join(", ", Encoders.Select(e => $"{e.Name} ({e.ConfigHash}{(e.Untrained ? ", untrained" : "")})"));
        if (storedEncoders != encoders) explaining.Add($"encoders: store {storedEncoders}, requested {encoders}");
        foreach (var key in stored.Options.Keys.Union(Options.Keys).Order(StringComparer.Ordinal))
        {
            var was = stored.Options.GetValueOrDefault(key) ?? "(unset)";
            var now = Options.GetValueOrDefault(key) ?? "(unset)";
            if (was != now) explaining.Add($"option {key}: store {was}, requested {now}");
        }
        return [.. deciding, .. explaining];
    }
}
