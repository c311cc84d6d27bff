using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;

namespace Orchestrator.Models.Tests.Features;

public sealed class SyllabifierTests
{
    [Theory]
    [InlineData("K AE T", "K AE T")]                          // one nucleus: onset and coda join it
    [InlineData("HH AE P IY", "HH AE|P IY")]                  // one consonant between nuclei starts the next syllable
    [InlineData("AE N T IY", "AE N|T IY")]                    // two: the first closes the preceding syllable
    [InlineData("AE NG G R IY", "AE NG|G R IY")]              // three: the first closes, the rest start the next
    [InlineData("L AY AH N", "L AY|AH N")]                    // adjacent nuclei
    [InlineData("HH M", "HH M")]                              // no vowel: one syllable
    [InlineData("T AH0 D EY1", "T AH0|D EY1")]                // stress digits still mark nuclei
    public void Splits_a_words_phones_around_its_vowel_nuclei(string phones, string expected)
    {
        // Arrange
        var names = phones.Split(' ');

        // Act
        var syllables = Syllabifier.Split(names);

        // Assert
        Assert.Equal(expected, string.Join('|', syllables.Select(s => string.Join(' ', names[s.First..(s.Last + 1)]))));
    }

    [Fact]
    public void Syllables_span_their_phones_frames_and_are_labelled_with_the_phone_names()
    {
        // Arrange: "<s> HAPPY <sil> HMM", phone labels carrying Sphinx context.
        AlignedSegment[] phones =
        [
            new("SIL", 0, 9, true),
            new("HH SIL AE b", 10, 14, false), new("AE HH P i", 15, 24, false), new("P AE IY i", 25, 29, false), new("IY P SIL e", 30, 39, false),
            new("SIL", 40, 49, true),
            new("HH SIL M b", 50, 54, false), new("M HH SIL e", 55, 64, false),
        ];
        AlignedSegment[] words = [new("<s>", 0, 9, true), new("HAPPY", 10, 39, false), new("<sil>", 40, 49, true), new("HMM", 50, 64, false)];

        // Act
        var syllables = Syllabifier.Syllabify(phones, words);

        // Assert
        Assert.Equal(
            [
                new AlignedSegment("<s>", 0, 9, true),
                new AlignedSegment("HH AE", 10, 24, false),
                new AlignedSegment("P IY", 25, 39, false),
                new AlignedSegment("<sil>", 40, 49, true),
                new AlignedSegment("HH M", 50, 64, false),
            ],
            syllables);
    }

    [Fact]
    public void Without_phones_there_are_no_syllables()
    {
        // Act
        var syllables = Syllabifier.Syllabify([], [new AlignedSegment("HELLO", 0, 30, false)]);

        // Assert
        Assert.Empty(syllables);
    }
}
