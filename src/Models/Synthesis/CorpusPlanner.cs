using Orchestrator.Models.Corpus;

namespace Orchestrator.Models.Synthesis;

/// <summary>
/// Decides every utterance of a corpus (ids, labels, words, prosody, seeds) from the options alone,
/// before any audio is made. Pure and fast, so the plan can be tested without Flite.
/// </summary>
public static class CorpusPlanner
{
    private const int Sessions = 5;

    public static IReadOnlyList<PlannedUtterance> Plan(SyntheticCorpusOptions options)
    {
        options.Validate();
        var root = new DeterministicRandom(options.Seed);
        var labels = LabelMix.Allocate(options.LabelWeights, options.Utterances);
        root.Fork(1).Shuffle(labels);

        var composer = new UtteranceComposer(options);
        var planned = new List<PlannedUtterance>(labels.Count);
        var next = 0;
        for (var session = 1; session <= Sessions; session++)
        {
            var size = options.Utterances / Sessions + (session <= options.Utterances % Sessions ? 1 : 0);
            var sessionRandom = root.Fork(100UL + (ulong)session);
            using var names = DialogNames.For(session).GetEnumerator();
            foreach (var dialogSize in DialogSizes(size, sessionRandom))
            {
                names.MoveNext();
                planned.AddRange(PlanDialog(names.Current, session, labels.GetRange(next, dialogSize), composer, root, next, options.Jitter));
                next += dialogSize;
            }
        }
        return WithoutAlignment(planned, options.UtterancesWithoutAlignment, root.Fork(2));
    }

    /// <summary>Dialogs of 16 to 32 turns; a short tail joins the last dialog.</summary>
    private static List<int> DialogSizes(int total, DeterministicRandom random)
    {
        var sizes = new List<int>();
        for (var left = total; left > 0;)
        {
            var size = Math.Min(left, 16 + random.Next(17));
            if (left - size is > 0 and < 8) size = left;
            sizes.Add(size);
            left -= size;
        }
        return sizes;
    }

    private static IEnumerable<PlannedUtterance> PlanDialog(
        string dialog, int session, List<string> labels, UtteranceComposer composer, DeterministicRandom root, int firstIndex, double jitter)
    {
        var turns = root.Fork(0xD1A1060000UL + (ulong)firstIndex);
        var gender = turns.NextDouble() < 0.5 ? 'F' : 'M';
        var counters = new Dictionary<char, int> { ['F'] = 0, ['M'] = 0 };
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0 && turns.NextDouble() < 0.8) gender = gender == 'F' ? 'M' : 'F'; // mostly alternating turns
            var random = root.Fork(1_000_000UL + (ulong)(firstIndex + i));
            var speaker = SpeakerCast.Of(session, gender);
            var content = composer.Compose(labels[i], random);
            yield return new PlannedUtterance(
                Id: $"{dialog}_{gender}{counters[gender]++:000}",
                Session: session,
                Dialog: dialog,
                Speaker: speaker,
                RawLabel: labels[i],
                Cue: content.Cue,
                SpokenText: content.SpokenText,
                Transcript: content.Transcript,
                Prosody: speaker.Habits.Then(content.Emotion).Then(Jitter(jitter, random)),
                Annotation: EmoAnnotationGenerator.Generate(labels[i], random),
                GapBefore: i == 0 ? random.Uniform(1.0, 6.0) : random.Uniform(0.3, 2.0),
                NoiseSeed: (uint)random.NextUInt64(),
                AlignmentSeed: random.NextUInt64(),
                HasAlignment: true);
        }
    }

    /// <summary>No one says the same sentence the same way twice.</summary>
    private static ProsodyStyle Jitter(double scale, DeterministicRandom random) => new(
        Math.Exp(0.05 * scale * random.NextGaussian()),
        Math.Exp(0.04 * scale * random.NextGaussian()),
        Math.Exp(0.10 * scale * random.NextGaussian()),
        1.0 * scale * random.NextGaussian());

    /// <summary>Drops the alignment of a few 4-class utterances, the gap readers must keep and report.</summary>
    private static List<PlannedUtterance> WithoutAlignment(List<PlannedUtterance> planned, int count, DeterministicRandom random)
    {
        var candidates = planned.Select((p, i) => (p, i)).Where(x => EmotionLabels.FromRaw(x.p.RawLabel) is not null).Select(x => x.i).ToList();
        random.Shuffle(candidates);
        foreach (var i in candidates.Take(count)) planned[i] = planned[i] with { HasAlignment = false };
        return planned;
    }
}
