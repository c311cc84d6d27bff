using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Training;

/// <summary>
/// Mini-batches of utterances of similar length, as HuggingFace's <c>LengthGroupedSampler</c> forms
/// them: shuffle, cut into mega-batches of 50 batches, sort each by length, cut into batches.
/// Frame sequences vary several-fold in length, and padding to the longest of a random batch
/// roughly doubles the work of every frame-level model; grouping keeps the batches random at the
/// scale of the epoch while removing most of the padding.
/// </summary>
public static class LengthGroupedBatches
{
    /// <summary>Batches per mega-batch (HF's default).</summary>
    public const int MegaBatchBatches = 50;

    /// <summary>An epoch's batches: shuffled with <paramref name="random"/>, grouped by <paramref name="length"/>.</summary>
    public static List<string[]> Draw(IReadOnlyList<string> ids, Func<string, int> length, int batchSize, DeterministicRandom random)
    {
        var order = ids.ToList();
        random.Shuffle(order);
        var batches = new List<string[]>();
        foreach (var mega in order.Chunk(batchSize * MegaBatchBatches))
            batches.AddRange(mega.OrderByDescending(length).Chunk(batchSize));
        return batches;
    }

    /// <summary>For evaluation: batches in length order (the order does not change any output).</summary>
    public static List<string[]> Sorted(IReadOnlyList<string> ids, Func<string, int> length, int batchSize) =>
        ids.OrderByDescending(length).ThenBy(id => id, StringComparer.Ordinal).Chunk(batchSize).ToList();
}
