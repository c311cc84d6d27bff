using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Tests.Corpus;

public sealed class IemocapCorpusReadTests
{
    [Fact]
    public void Keeps_every_labelled_utterance_with_its_raw_label_and_merges_exc_into_hap()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_M001", "xxx")
            .Utterance("Ses01F_impro01_F000", "neu")
            .Utterance("Ses01F_impro01_F001", "exc")
            .Utterance("Ses01F_impro01_F002", "fru")
            .Utterance("Ses02M_script01_1b_M010", "ang");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Empty(corpus.Problems);
        Assert.Equal(
            ["Ses01F_impro01_F000", "Ses01F_impro01_F001", "Ses01F_impro01_F002", "Ses01F_impro01_M001", "Ses02M_script01_1b_M010"],
            corpus.Utterances.Select(u => u.Id));
        Assert.Equal(["neu", "exc", "fru", "xxx", "ang"], corpus.Utterances.Select(u => u.RawLabel));
        Assert.Equal([Emotion.Neutral, Emotion.Happy, null, null, Emotion.Angry], corpus.Utterances.Select(u => u.Label));
        Assert.Equal(["Ses01F_impro01_F000", "Ses01F_impro01_F001", "Ses02M_script01_1b_M010"], corpus.FourClass.Select(u => u.Id));
    }

    [Fact]
    public void Takes_session_dialog_gender_and_wav_path_from_the_id()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5).Utterance("Ses02M_script01_1b_F010", "sad");

        // Act
        var utterance = Assert.Single(builder.Build().Utterances);

        // Assert
        Assert.Equal(2, utterance.Session);
        Assert.Equal("Ses02M_script01_1b", utterance.Dialog);
        Assert.Equal('F', utterance.Gender);
        Assert.Equal("Ses02F", utterance.Speaker);
        Assert.Equal(Path.Combine(builder.Root, "Session2/sentences/wav/Ses02M_script01_1b/Ses02M_script01_1b_F010.wav"), utterance.WavPath);
        Assert.True(File.Exists(utterance.WavPath));
    }

    [Fact]
    public void Keeps_transcripts_as_released_and_skips_lines_that_are_not_utterances()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu", transcript: "[LAUGHTER] Oh,  no. [BREATHING]")
            .RawTranscript("Ses01F_impro01", "M_XXX1 [010.0000-011.0000]: Mm-hmm.", "F_XXX [011.0000-012.0000]: [GARBAGE]");

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Empty(corpus.Problems);
        Assert.Equal("[LAUGHTER] Oh,  no. [BREATHING]", Assert.Single(corpus.Utterances).Transcript);
    }

    [Fact]
    public void Reads_crlf_files_without_a_final_newline_and_with_extra_whitespace()
    {
        // Arrange
        using var builder = new CorpusBuilder { NewLine = "\r\n", TrailingNewLine = false }.Sessions(1, 2, 3, 4, 5)
            .RawEmo("Ses01F_impro01",
                "[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]",
                "C-E1:\tNeutral state;\t()",
                "",
                "  [10.0 -  12.5]   Ses01F_impro01_M000 \t hap\t[4.0000,3.5000, 3.0000]  ",
                "A-F1:\tval 4; act 3; dom  3;\t()")
            .RawTranscript("Ses01F_impro01",
                "Ses01F_impro01_F000 [006.2901-008.2357]: Excuse me.  ",
                "Ses01F_impro01_M000 [010.0000-012.5000]:Yes?")
            .Wav("Ses01F_impro01_F000").Wav("Ses01F_impro01_M000")
            .Alignment("Ses01F_impro01_F000", ".phseg", SphinxFiles.Phseg.Replace("\n", "\r\n").TrimEnd())
            .Alignment("Ses01F_impro01_F000", ".wdseg", SphinxFiles.Wdseg)
            .Alignment("Ses01F_impro01_F000", ".syseg", SphinxFiles.Syseg)
            .Alignment("Ses01F_impro01_M000", ".phseg", SphinxFiles.Phseg)
            .Alignment("Ses01F_impro01_M000", ".wdseg", SphinxFiles.Wdseg)
            .Alignment("Ses01F_impro01_M000", ".syseg", SphinxFiles.Syseg);

        // Act
        var corpus = builder.Build();

        // Assert
        Assert.Empty(corpus.Problems);
        Assert.Equal(["neu", "hap"], corpus.Utterances.Select(u => u.RawLabel));
        Assert.Equal(["Excuse me.", "Yes?"], corpus.Utterances.Select(u => u.Transcript));
        Assert.Equal(5, corpus.Utterances[0].Alignment!.Phones.Count);
    }

    [Fact]
    public void Reads_phones_words_and_syllables_with_their_frames_and_silences()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5).Utterance("Ses01F_impro01_F000", "neu");

        // Act
        var alignment = Assert.Single(builder.Build().Utterances).Alignment!;

        // Assert
        Assert.Equal(
            [new("SIL", 0, 12, true), new("W", 13, 18, false), new("AH", 19, 25, false), new("T", 26, 31, false), new("SIL", 32, 40, true)],
            alignment.Phones);
        Assert.Equal(
            [new("<s>", 0, 12, true), new("WHAT", 13, 31, false), new("++LAUGHTER++", 32, 36, true), new("</s>", 37, 40, true)],
            alignment.Words);
        Assert.Equal([new("SIL", 0, 12, true), new("W AH T", 13, 31, false), new("SIL", 32, 40, true)], alignment.Syllables!);
    }

    [Fact]
    public void Fold_tests_on_one_session_and_trains_on_the_four_class_utterances_of_the_others()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .Utterance("Ses01F_impro01_M000", "xxx")
            .Utterance("Ses02F_impro01_F000", "sad")
            .Utterance("Ses03M_impro03_M001", "ang", alignment: false)
            .Utterance("Ses03M_impro03_F001", "oth");
        var corpus = builder.Build();

        // Act
        var (train, test) = corpus.Fold(3);

        // Assert
        Assert.Equal(["Ses01F_impro01_F000", "Ses02F_impro01_F000"], train.Select(u => u.Id));
        Assert.Equal(["Ses03M_impro03_M001"], test.Select(u => u.Id));
        Assert.Throws<ArgumentOutOfRangeException>(() => corpus.Fold(6));
    }

    [Fact]
    public void Reports_progress_once_per_dialog()
    {
        // Arrange
        using var builder = new CorpusBuilder().Sessions(1, 2, 3, 4, 5)
            .Utterance("Ses01F_impro01_F000", "neu")
            .Utterance("Ses01F_impro02_F000", "neu")
            .Utterance("Ses04M_script02_2_F000", "neu");
        var progress = new RecordingProgress();

        // Act
        builder.Build(progress);

        // Assert
        Assert.Equal([1, 2, 3], progress.Reports.Select(p => p.DialogsRead).Order());
        Assert.All(progress.Reports, p => Assert.Equal(3, p.DialogsTotal));
    }

    [Fact]
    public void Refuses_a_root_that_does_not_exist()
    {
        // Arrange
        var root = Path.Combine(Path.GetTempPath(), "iemocap-missing-" + Guid.NewGuid().ToString("N"));

        // Act + Assert
        Assert.Throws<DirectoryNotFoundException>(() => IemocapCorpus.Read(root));
    }

    /// <summary>Records synchronously: <see cref="Progress{T}"/> would post to a context and race the assertions.</summary>
    private sealed class RecordingProgress : IProgress<CorpusReadProgress>
    {
        private readonly List<CorpusReadProgress> _reports = [];

        public IReadOnlyList<CorpusReadProgress> Reports => _reports;

        public void Report(CorpusReadProgress value)
        {
            lock (_reports)
                _reports.Add(value);
        }
    }
}
