using Orchestrator.Models.Corpus;
using Orchestrator.Models.Tests.Audio;

namespace Orchestrator.Models.Tests.Corpus;

/// <summary>
/// Wavs that extraction could not read, and alignments that run past their audio: the reader names
/// the file (and the alignment's line) and keeps the utterance, so <c>corpus check</c> shows the
/// fault before an extraction trips on it or clips the segments silently.
/// </summary>
public sealed class CorpusAudioProblemTests
{
    private const string Id = "Ses01F_impro01_F000";
    private static readonly string Wav = CorpusBuilder.WavFile(Id);

    public static TheoryData<string, byte[], string> BrokenWavs => new()
    {
        { "truncated", [.. WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16), WavBytes.Chunk("data", new byte[16000]))[..4000]],
          $"{Id}: unreadable wav: data chunk declares 16000 bytes but only 3956 follow it (truncated file?)" },
        { "empty", [], $"{Id}: unreadable wav: 0 bytes is too short for a RIFF/WAVE header (12 bytes)" },
        { "not a wav", "ID3\u0003 an mp3 renamed to .wav"u8.ToArray(), $"{Id}: unreadable wav: not a RIFF/WAVE file (starts with 0x49443303" },
        { "no data chunk", WavBytes.Riff(WavBytes.Fmt(1, 1, 16000, 16)), $"{Id}: unreadable wav: no data chunk" },
    };

    [Theory]
    [MemberData(nameof(BrokenWavs))]
    public void A_wav_extraction_could_not_read_is_named_as_changing_the_class_set(string damage, byte[] bytes, string message)
    {
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5).Utterance(Id, "neu").WriteBytes(Wav, bytes);

        var corpus = builder.Build();

        var problem = Assert.Single(corpus.Problems);
        Assert.True(problem.ChangesClassSet, damage);
        Assert.Equal((Wav, (int?)null), (problem.File, problem.Line));
        Assert.StartsWith(message, problem.Message);
        Assert.Equal([Id], corpus.Utterances.Select(u => u.Id));   // kept, so the count still shows it
    }

    public static TheoryData<double, CorpusProblem[]> Alignments => new()
    {
        // The rows end at frame 40, 0.41 s; two 10 ms frames of slack for the aligner's last frame.
        { 0.50, [] },
        { 0.40, [] },
        { 0.38,
          [
              new(Phseg, 6, $"{Id}: 'SIL' ends at 0.41 s, past the end of {Wav} (0.38 s); the alignment is not of this audio"),
              new(Wdseg, 5, $"{Id}: '</s>' ends at 0.41 s, past the end of {Wav} (0.38 s); the alignment is not of this audio"),
              new(Syseg, 4, $"{Id}: 'SIL' ends at 0.41 s, past the end of {Wav} (0.38 s); the alignment is not of this audio"),
          ] },
        { 0.20,
          [
              new(Phseg, 4, $"{Id}: 'AH W T i' ends at 0.26 s, past the end of {Wav} (0.20 s); the alignment is not of this audio"),
              new(Wdseg, 3, $"{Id}: 'WHAT(2)' ends at 0.32 s, past the end of {Wav} (0.20 s); the alignment is not of this audio"),
              new(Syseg, 3, $"{Id}: 'W AH T' ends at 0.32 s, past the end of {Wav} (0.20 s); the alignment is not of this audio"),
          ] },
    };

    [Theory]
    [MemberData(nameof(Alignments))]
    public void An_alignment_past_the_end_of_its_wav_is_named_at_its_first_row_past_it(double seconds, CorpusProblem[] expected)
    {
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5).Utterance(Id, "neu").Wav(Id, seconds);

        var corpus = builder.Build();

        Assert.Equal(expected, corpus.Problems);
        Assert.All(corpus.Problems, p => Assert.False(p.ChangesClassSet));   // the utterance keeps its streams, clipped
        Assert.NotNull(Assert.Single(corpus.Utterances).Alignment);
    }

    private static string Phseg => CorpusBuilder.AlignmentFile(Id, ".phseg");
    private static string Wdseg => CorpusBuilder.AlignmentFile(Id, ".wdseg");
    private static string Syseg => CorpusBuilder.AlignmentFile(Id, ".syseg");
}
