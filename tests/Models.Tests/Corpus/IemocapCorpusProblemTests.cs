using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Tests.Corpus;

/// <summary>Faults in the files: what the reader keeps, drops, and reports where.</summary>
public sealed class IemocapCorpusProblemTests
{
    private const string Emo = "Session1/dialog/EmoEvaluation/Ses01F_impro01.txt";
    private const string Transcript = "Session1/dialog/transcriptions/Ses01F_impro01.txt";

    [Fact]
    public void Reports_each_missing_session_folder()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3).Utterance("Ses01F_impro01_F000", "neu");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Single(corpus.Utterances);
        Assert.Equal(
            [new("Session4", null, "session folder missing: session 4 contributes no utterances", ChangesClassSet: true),
             new("Session5", null, "session folder missing: session 5 contributes no utterances", ChangesClassSet: true)],
            corpus.Problems);
    }

    [Fact]
    public void Drops_a_malformed_summary_line_and_names_its_file_and_line()
    {
        // Arrange: header on line 1, blank line 2, a good block on 3-6, the bad summary on 7.
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .RawEmo("Ses01F_impro01", "[9.1 - ]\tSes01F_impro01_F001\tang\t[1.0, 4.0, 4.0]", "C-E1:\tAnger;\t()");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Equal(["Ses01F_impro01_F000"], corpus.Utterances.Select(u => u.Id));
        var problem = Assert.Single(corpus.Problems);
        Assert.Equal(Emo, problem.File);
        Assert.Equal(7, problem.Line);
        Assert.Contains("malformed summary line", problem.Message);
    }

    [Fact]
    public void Keeps_an_utterance_with_an_unknown_category_under_its_raw_label()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .Utterance("Ses01F_impro01_F001", "bor");

        // Act
        var corpus = builder.Build();

        // Assert
        var utterance = corpus.Utterances.Single(u => u.Id == "Ses01F_impro01_F001");
        Assert.Equal("bor", utterance.RawLabel);
        Assert.Null(utterance.Label);
        Assert.Equal([new(Emo, 7, "Ses01F_impro01_F001: unknown category 'bor' (kept as its raw label)", ChangesClassSet: true)], corpus.Problems);
    }

    [Fact]
    public void Keeps_an_utterance_without_wav_and_reports_the_expected_path()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5).Utterance("Ses01F_impro01_F000", "neu", wav: false);

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Single(corpus.Utterances);
        Assert.Equal(
            [new("Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F000.wav", null, "Ses01F_impro01_F000: wav file missing", ChangesClassSet: true)],
            corpus.Problems);
    }

    [Fact]
    public void Keeps_an_utterance_without_alignment_files_with_a_null_alignment()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5).Utterance("Ses03M_impro03_M001", "ang", alignment: false);

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Null(Assert.Single(corpus.FourClass).Alignment);
        var problem = Assert.Single(corpus.Problems);
        Assert.Equal("Session3/sentences/ForcedAlignment/Ses03M_impro03/Ses03M_impro03_M001.*", problem.File);
        Assert.Null(problem.Line);
    }

    [Fact]
    public void Reports_a_single_missing_alignment_file_and_keeps_the_others()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu", alignment: false)
            .Alignment("Ses01F_impro01_F000", ".phseg", SphinxFiles.Phseg)
            .Alignment("Ses01F_impro01_F000", ".wdseg", SphinxFiles.Wdseg);

        // Act
        var corpus = builder.Build();

        // Assert
        var alignment = Assert.Single(corpus.Utterances).Alignment!;
        Assert.Equal(5, alignment.Phones.Count);
        Assert.Equal(4, alignment.Words.Count);
        Assert.Null(alignment.Syllables);
        Assert.Equal(
            [new("Session1/sentences/ForcedAlignment/Ses01F_impro01/Ses01F_impro01_F000.syseg", null, "Ses01F_impro01_F000: alignment file missing")],
            corpus.Problems);
    }

    [Fact]
    public void Drops_malformed_alignment_rows_and_names_their_file_and_line()
    {
        // Arrange
        const string phseg =
            "\tSFrm  EFrm    SegAScr Phone\n" +
            "\t   0    12     -81632 SIL\n" +
            "\t  13    1x     -50321 W AH SIL b\n" +
            "\t  19    15     -40112 AH W T i\n" +
            "\t  26    31     -30011 T AH SIL e\n" +
            "\t  20    40     -12000 SIL\n" +
            " Total score:  -214076\n";
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .Alignment("Ses01F_impro01_F000", ".phseg", phseg);

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Equal(["SIL", "T"], Assert.Single(corpus.Utterances).Alignment!.Phones.Select(p => p.Label));
        Assert.All(corpus.Problems, p => Assert.Equal("Session1/sentences/ForcedAlignment/Ses01F_impro01/Ses01F_impro01_F000.phseg", p.File));
        Assert.Equal([3, 4, 6], corpus.Problems.Select(p => p.Line));
    }

    [Fact]
    public void Reports_a_transcribed_utterance_that_has_no_summary()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .RawTranscript("Ses01F_impro01", "Ses01F_impro01_M000 [009.0000-010.0000]: Hi.");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Single(corpus.Utterances);
        Assert.Equal(
            [new(Transcript, 2, "Ses01F_impro01_M000: transcribed but has no EmoEvaluation summary; not in the corpus")],
            corpus.Problems);
    }

    [Fact]
    public void Reports_a_labelled_utterance_that_has_no_transcript_and_keeps_it()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .RawEmo("Ses01F_impro01", "[9.0 - 10.0]\tSes01F_impro01_M000\tsad\t[2.0, 2.0, 2.0]")
            .Wav("Ses01F_impro01_M000")
            .Alignment("Ses01F_impro01_M000", ".phseg", SphinxFiles.Phseg)
            .Alignment("Ses01F_impro01_M000", ".wdseg", SphinxFiles.Wdseg)
            .Alignment("Ses01F_impro01_M000", ".syseg", SphinxFiles.Syseg);

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Equal("", corpus.Utterances.Single(u => u.Id == "Ses01F_impro01_M000").Transcript);
        Assert.Equal([new(Emo, 7, $"Ses01F_impro01_M000: no line in {Transcript}; transcript left empty")], corpus.Problems);
    }

    [Fact]
    public void Reports_a_transcription_file_whose_dialog_has_no_labels()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .RawTranscript("Ses02F_impro02", "M_XXX [000.0000-001.0000]: Hm.", "Ses02F_impro02_F000 [001.0000-002.0000]: Okay.");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Empty(corpus.Utterances);
        Assert.Equal(
            [new("Session2/dialog/EmoEvaluation/Ses02F_impro02.txt", null, "no EmoEvaluation file: the dialog's utterances have no labels", ChangesClassSet: true),
             new("Session2/dialog/transcriptions/Ses02F_impro02.txt", 2, "Ses02F_impro02_F000: transcribed but has no EmoEvaluation summary; not in the corpus")],
            corpus.Problems);
    }

    [Fact]
    public void Reports_a_wav_file_that_has_no_label()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .Wav("Ses01F_impro01_F001");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Equal(
            [new("Session1/sentences/wav/Ses01F_impro01/Ses01F_impro01_F001.wav", null, "Ses01F_impro01_F001: wav file without an EmoEvaluation summary; not in the corpus")],
            corpus.Problems);
    }

    [Fact]
    public void Drops_a_summary_whose_id_is_not_an_utterance_id()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .RawEmo("Ses01F_impro01", "[9.0 - 10.0]\tSes01F_impro01_X000\tsad\t[2.0, 2.0, 2.0]");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Single(corpus.Utterances);
        Assert.Equal(
            [new(Emo, 7, "'Ses01F_impro01_X000' is not an utterance id of the form Ses01F_impro01_F000; utterance skipped", ChangesClassSet: true)],
            corpus.Problems);
    }

    [Fact]
    public void Reports_a_second_summary_for_the_same_utterance_and_keeps_the_first()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .RawEmo("Ses01F_impro01", "[9.0 - 10.0]\tSes01F_impro01_F000\tsad\t[2.0, 2.0, 2.0]");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Equal("neu", Assert.Single(corpus.Utterances).RawLabel);
        Assert.Equal([new(Emo, 7, "Ses01F_impro01_F000: second summary for the same utterance; skipped")], corpus.Problems);
    }
}
