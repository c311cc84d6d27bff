using System.Text;
using Orchestrator.Models.Corpus;
using Orchestrator.Models.Tests.Audio;

namespace Orchestrator.Models.Tests.Corpus;

/// <summary>
/// Writes a small IEMOCAP-layout corpus into a temporary folder. <see cref="Utterance"/>
/// adds a well-formed utterance (summary with annotator lines, transcript, wav, alignment);
/// the <c>Raw...</c> methods add the release's quirks and faults line by line.
/// </summary>
internal sealed class CorpusBuilder : IDisposable
{
    private readonly SortedDictionary<string, List<string>> _emoLines = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, List<string>> _transcriptLines = new(StringComparer.Ordinal);

    public CorpusBuilder()
    {
        Root = Path.Combine(Path.GetTempPath(), "iemocap-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>Line ending of the dialog files <see cref="Build"/> writes.</summary>
    public string NewLine { get; init; } = "\n";

    /// <summary>Whether the dialog files end with a line ending.</summary>
    public bool TrailingNewLine { get; init; } = true;

    /// <summary>Creates the session folders (with empty EmoEvaluation and transcriptions folders).</summary>
    public CorpusBuilder Sessions(params int[] sessions)
    {
        foreach (var session in sessions)
        {
            Directory.CreateDirectory(Path.Combine(Root, IemocapLayout.EmoEvaluationFolder(session)));
            Directory.CreateDirectory(Path.Combine(Root, IemocapLayout.TranscriptionsFolder(session)));
        }

        return this;
    }

    public CorpusBuilder Utterance(string id, string category, string transcript = "Excuse me.", bool wav = true, bool alignment = true)
    {
        RawEmo(DialogOf(id),
            $"[6.2901 - 8.2357]\t{id}\t{category}\t[2.5000, 2.5000, 2.5000]",
            "C-E1:\tNeutral state;\t()",
            "A-E3:\tval 3; act 2; dom  2;\t()",
            "");
        RawTranscript(DialogOf(id), $"{id} [006.2901-008.2357]: {transcript}");
        if (wav)
            Wav(id);
        if (alignment)
        {
            Alignment(id, ".phseg", SphinxFiles.Phseg);
            Alignment(id, ".wdseg", SphinxFiles.Wdseg);
            Alignment(id, ".syseg", SphinxFiles.Syseg);
        }

        return this;
    }

    /// <summary>Appends lines to a dialog's EmoEvaluation file (its <c>%</c> header is written by <see cref="Build"/>).</summary>
    public CorpusBuilder RawEmo(string dialog, params string[] lines)
    {
        Lines(_emoLines, dialog).AddRange(lines);
        return this;
    }

    public CorpusBuilder RawTranscript(string dialog, params string[] lines)
    {
        Lines(_transcriptLines, dialog).AddRange(lines);
        return this;
    }

    /// <summary>A 16 kHz 16-bit mono wav of <paramref name="seconds"/> of silence: <see cref="SphinxFiles"/> rows end at 0.41 s.</summary>
    public CorpusBuilder Wav(string id, double seconds = 0.5)
    {
        var samples = (int)Math.Round(seconds * 16000);
        return WriteBytes(WavFile(id), WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Chunk("data", new byte[2 * samples])));
    }

    public CorpusBuilder WriteBytes(string relative, byte[] bytes)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return this;
    }

    public CorpusBuilder Alignment(string id, string extension, string text) =>
        Write(IemocapLayout.AlignmentFile(SessionOf(id), Parse(id), extension), text);

    public CorpusBuilder Write(string relative, string text)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, Encoding.ASCII);
        return this;
    }

    /// <summary>Writes the dialog files gathered so far and reads the corpus.</summary>
    public IemocapCorpus Build(IProgress<CorpusReadProgress>? progress = null)
    {
        foreach (var (dialog, lines) in _emoLines)
            Write(IemocapLayout.EmoEvaluationFile(SessionOf(dialog), dialog), Join(["% [START_TIME - END_TIME] TURN_NAME EMOTION [V, A, D]", "", .. lines]));
        foreach (var (dialog, lines) in _transcriptLines)
            Write(IemocapLayout.TranscriptionFile(SessionOf(dialog), dialog), Join(lines));
        return IemocapCorpus.Read(Root, progress);
    }

    public static string WavFile(string id) => IemocapLayout.WavFile(SessionOf(id), Parse(id));

    public static string AlignmentFile(string id, string extension) => IemocapLayout.AlignmentFile(SessionOf(id), Parse(id), extension);

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private string Join(IEnumerable<string> lines)
    {
        var text = string.Join(NewLine, lines);
        return TrailingNewLine ? text + NewLine : text;
    }

    private static List<string> Lines(SortedDictionary<string, List<string>> files, string dialog) =>
        files.TryGetValue(dialog, out var lines) ? lines : files[dialog] = [];

    private static string DialogOf(string id) => id[..id.LastIndexOf('_')];

    private static int SessionOf(string idOrDialog) => int.Parse(idOrDialog.AsSpan(3, 2));

    private static UtteranceId Parse(string id) => UtteranceId.TryParse(id, out var error) ?? throw new ArgumentException(error);
}
