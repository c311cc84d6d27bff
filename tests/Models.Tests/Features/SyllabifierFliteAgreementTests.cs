using Orchestrator.Models.Corpus;
using Orchestrator.Models.Features;
using Orchestrator.Models.Synthesis;
using Xunit.Abstractions;

namespace Orchestrator.Models.Tests.Features;

/// <summary>
/// The vowel-nucleus rule against flite's own syllabification, which the synthetic corpus writes to
/// <c>.syseg</c>: not the same algorithm, so agreement is measured, not required to be exact.
/// </summary>
public sealed class SyllabifierFliteAgreementTests(ITestOutputHelper output)
{
    private static readonly string[] Sentences =
    [
        "I can't believe you did this again!",
        "Happy birthday, my wonderful little sister.",
        "The weather was terrible yesterday afternoon.",
        "We finally finished the extraordinary project together.",
        "Why are you always interrupting everybody?",
        "Honestly, I don't remember anything about the conversation.",
    ];

    [Fact]
    public void Most_syllables_match_the_synthetic_corpus_syllable_alignment()
    {
        // Arrange
        int matched = 0, total = 0;
        var mismatches = new List<string>();
        foreach (var (sentence, i) in Sentences.Select((s, i) => (s, i)))
        {
            var speech = FliteSynthesizer.Shared.Synthesize(sentence, FliteVoice.Slt, ProsodyStyle.Neutral, noiseSeed: (uint)i);
            var rows = AlignmentBuilder.Build(speech, new DeterministicRandom((ulong)i));
            var phones = Segments(rows.Phones, SegmentLabelKind.Phone);
            var words = Segments(rows.Words, SegmentLabelKind.Word);
            var expected = Segments(rows.Syllables, SegmentLabelKind.Syllable).Where(s => !s.IsSilence).ToList();

            // Act
            var derived = Syllabifier.Syllabify(phones, words).Where(s => !s.IsSilence).ToHashSet();

            // Assert (below, over all sentences)
            total += expected.Count;
            matched += expected.Count(derived.Contains);
            mismatches.AddRange(expected.Where(s => !derived.Contains(s)).Select(s => s.Label));
        }

        output.WriteLine($"{matched} of {total} flite syllables reproduced; missed: {string.Join(", ", mismatches)}");
        Assert.True(total > 50, $"only {total} syllables synthesised");
        Assert.InRange(matched / (double)total, 0.8, 1.0);
    }

    private static List<AlignedSegment> Segments(IReadOnlyList<SphinxRow> rows, SegmentLabelKind kind) =>
        rows.Select(r =>
        {
            var label = SegmentLabels.Normalise(r.Label.Split(' '), kind);
            return new AlignedSegment(label, r.StartFrame, r.EndFrame, SegmentLabels.IsSilence(label));
        }).ToList();
}
