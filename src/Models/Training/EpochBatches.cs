using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Training;

/// <summary>
/// The mini-batches of one training epoch, and the fixed batches of an evaluation pass.
/// </summary>
/// <remarks>
/// Why the order matters: utterance length correlates with the class (sad speech is slow, so sad
/// utterances are the longest). Batches sorted by length over the whole split, as HuggingFace's
/// <c>LengthGroupedSampler</c> produces when the split is smaller than one of its mega-batches,
/// start every epoch with sad-heavy batches and end it with none; validation then sees a model
/// that has just been pushed away from sad, and speech models collapse onto fewer classes. Both
/// orders below draw every batch independently of the class and shuffle the order of the batches.
/// </remarks>
public static class EpochBatches
{
    /// <summary>Batches per length bucket in <see cref="BatchOrder.LengthBucketed"/> (HF's mega-batch).</summary>
    public const int BucketBatches = 50;

    /// <summary>An epoch's batches of <paramref name="ids"/>, drawn with <paramref name="random"/>.</summary>
    public static List<string[]> Draw(BatchOrder order, IReadOnlyList<string> ids, Func<string, int> length, int batchSize, DeterministicRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var shuffled = ids.ToList();
        random.Shuffle(shuffled);
        if (order == BatchOrder.Shuffled) return shuffled.Chunk(batchSize).ToList();

        // Buckets of at most 50 batches, and at least four buckets per epoch (HF caps the bucket at
        // n / (4 x batch)), so a small split is not one sorted run; then the batches in random order.
        var bucket = batchSize * Math.Clamp(ids.Count / (4 * batchSize), 1, BucketBatches);
        var batches = shuffled.Chunk(bucket).SelectMany(b => b.OrderByDescending(length).Chunk(batchSize)).ToList();
        random.Shuffle(batches);
        return batches;
    }

    /// <summary>For evaluation: batches in length order (the order changes no output, only the padding).</summary>
    public static List<string[]> Sorted(IReadOnlyList<string> ids, Func<string, int> length, int batchSize) =>
        ids.OrderByDescending(length).ThenBy(id => id, StringComparer.Ordinal).Chunk(batchSize).ToList();
}
