namespace Orchestrator.Models.Features.Store;

/// <summary>
/// Sequence elements per second of audio, for <see cref="StoreSize"/>. Defaults: wav2vec 2.0's
/// 20 ms hop (50 frames/s, exact); conversational English about 12 phones, 4 syllables and 2.7
/// words per second of speech (published speaking-rate figures: about 160 words/min, 1.5 syllables
/// and 4.4 phones per word), and about 1.3 BERT WordPieces per word. Pauses inside utterances make
/// the real per-second rates of IEMOCAP lower, so the estimate errs high.
/// </summary>
public sealed record StreamRates(
    double FramesPerSecond = 50,
    double PhonesPerSecond = 12,
    double SyllablesPerSecond = 4,
    double WordsPerSecond = 2.7,
    double WordPiecesPerWord = 1.3)
{
    /// <summary>Elements per second of a stream.</summary>
    public double PerSecond(StreamKind kind) => kind switch
    {
        StreamKind.Frame => FramesPerSecond,
        StreamKind.Phone => PhonesPerSecond,
        StreamKind.Syllable => SyllablesPerSecond,
        StreamKind.Word => WordsPerSecond,
        StreamKind.Text => WordsPerSecond * WordPiecesPerWord,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
