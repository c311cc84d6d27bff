namespace Orchestrator.Models.Features;

/// <summary>
/// The five embedding streams of method.md section 3: text T (BERT WordPieces) and the speech
/// streams frame F, phone P, syllable S and word W (wav2vec 2.0 frames, pooled per segment for P, S, W).
/// </summary>
public enum StreamKind
{
    Text,
    Frame,
    Phone,
    Syllable,
    Word,
}

/// <summary>Names, letters and parsing of <see cref="StreamKind"/>.</summary>
public static class StreamKinds
{
    /// <summary>Every stream, in the order of the paper's tables.</summary>
    public static readonly IReadOnlyList<StreamKind> All = [StreamKind.Text, StreamKind.Frame, StreamKind.Phone, StreamKind.Syllable, StreamKind.Word];

    /// <summary>The streams pooled from frames over aligned segments.</summary>
    public static readonly IReadOnlyList<StreamKind> Segmental = [StreamKind.Phone, StreamKind.Syllable, StreamKind.Word];

    /// <summary>T, F, P, S or W, as the paper's tables name the streams.</summary>
    public static char Letter(this StreamKind kind) => "TFPSW"[(int)kind];

    /// <summary>text, frame, phone, syllable or word: the stream's tensor name in the store and in exports.</summary>
    public static string Name(this StreamKind kind) => kind switch
    {
        StreamKind.Text => "text",
        StreamKind.Frame => "frame",
        StreamKind.Phone => "phone",
        StreamKind.Syllable => "syllable",
        StreamKind.Word => "word",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Whether the stream comes from the speech encoder.</summary>
    public static bool IsSpeech(this StreamKind kind) => kind != StreamKind.Text;

    /// <summary>Whether the stream is pooled over aligned segments (P, S, W).</summary>
    public static bool IsSegmental(this StreamKind kind) => kind is StreamKind.Phone or StreamKind.Syllable or StreamKind.Word;

    /// <summary>"T+F+S" style label of a stream set, in <see cref="All"/> order.</summary>
    public static string Label(IEnumerable<StreamKind> kinds) => string.Join("+", kinds.Distinct().Order().Select(k => k.Letter()));

    /// <summary>
    /// Parses a stream list such as <c>T,F,S</c>, <c>T+F</c>, <c>TFS</c> or <c>text,frame</c>
    /// (case-insensitive); returns the distinct streams in <see cref="All"/> order.
    /// </summary>
    /// <exception cref="FormatException">An item is not a stream; the message names it.</exception>
    public static IReadOnlyList<StreamKind> Parse(string list)
    {
        ArgumentNullException.ThrowIfNull(list);
        var items = list.Split([',', '+', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        // "TFS" without separators: one letter per stream.
        if (items.Length == 1 && items[0].Length > 1 && items[0].All(c => "TFPSWtfpsw".Contains(c)))
            items = items[0].Select(c => c.ToString()).ToArray();
        if (items.Length == 0) throw new FormatException("The stream list is empty; use letters from T, F, P, S, W (e.g. T,F,S).");
        var kinds = new HashSet<StreamKind>();
        foreach (var item in items)
        {
            var match = All.Cast<StreamKind?>().FirstOrDefault(k =>
                string.Equals(item, k!.Value.Letter().ToString(), StringComparison.OrdinalIgnoreCase)
                || string.Equals(item, k.Value.Name(), StringComparison.OrdinalIgnoreCase));
            kinds.Add(match ?? throw new FormatException($"'{item}' is not a stream; use T (text), F (frame), P (phone), S (syllable) or W (word)."));
        }
        return kinds.Order().ToList();
    }
}
