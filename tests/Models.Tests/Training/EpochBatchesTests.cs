using Orchestrator.Models.Synthesis;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// <see cref="EpochBatches"/>: every training utterance once per epoch, and no epoch ordered by
/// length, since length tracks the class (the training-fidelity issue: sorted epochs made speech
/// models collapse).
/// </summary>
public sealed class EpochBatchesTests
{
    // 700 utterances, as a fold's training split of a small corpus; length grows with the index.
    private static readonly List<string> Ids = Enumerable.Range(0, 700).Select(i => $"u{i:D4}").ToList();

    private static int Length(string id) => 10 + int.Parse(id[1..]);

    [Theory]
    [InlineData(BatchOrder.Shuffled)]
    [InlineData(BatchOrder.LengthBucketed)]
    public void An_epoch_holds_every_utterance_once_in_batches_of_the_batch_size(BatchOrder order)
    {
        var batches = EpochBatches.Draw(order, Ids, Length, 32, new DeterministicRandom(5));

        Assert.Equal(Ids.Order(StringComparer.Ordinal), batches.SelectMany(b => b).Order(StringComparer.Ordinal));
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 32));
    }

    [Theory]
    [InlineData(BatchOrder.Shuffled)]
    [InlineData(BatchOrder.LengthBucketed)]
    public void Long_utterances_are_spread_over_the_epoch_not_gathered_at_its_start(BatchOrder order)
    {
        // Over 200 epochs, the mean length of the epoch's first and last batch is the overall mean
        // (10 + 349.5) within sampling error; length-sorted epochs put the longest first (about 690).
        var random = new DeterministicRandom(11);
        var first = new List<double>();
        var last = new List<double>();
        for (var epoch = 0; epoch < 200; epoch++)
        {
            var batches = EpochBatches.Draw(order, Ids, Length, 32, random);
            first.Add(batches[0].Average(Length));
            last.Add(batches[^1].Average(Length));
        }

        Assert.InRange(first.Average(), 359.5 - 60, 359.5 + 60);
        Assert.InRange(last.Average(), 359.5 - 60, 359.5 + 60);
    }

    [Fact]
    public void Shuffled_batches_mix_lengths_and_each_epoch_draws_new_ones()
    {
        var random = new DeterministicRandom(3);

        var one = EpochBatches.Draw(BatchOrder.Shuffled, Ids, Length, 32, random);
        var two = EpochBatches.Draw(BatchOrder.Shuffled, Ids, Length, 32, random);

        Assert.NotEqual(one[0], two[0]);
        Assert.Equal(22, one.Count);
        Assert.All(one.SkipLast(1), b => Assert.Equal(32, b.Length));
        // A random batch of 32 out of 700 spans most of the length range; a bucket's batch spans little.
        Assert.True(one.Average(b => b.Max(Length) - b.Min(Length)) > 400, "Shuffled batches look length-grouped.");
    }

    [Fact]
    public void Length_buckets_give_batches_of_similar_length_in_a_random_order()
    {
        var batches = EpochBatches.Draw(BatchOrder.LengthBucketed, Ids, Length, 32, new DeterministicRandom(3));

        // Five buckets of 160 random utterances (at least four in a split smaller than one of HF's mega-batches):
        // 32 neighbours in a sorted bucket span about 700 x 32 / 160 = 140 lengths; a random batch about 650.
        Assert.True(batches.Average(b => b.Max(Length) - b.Min(Length)) < 250, "Bucketed batches span too many lengths.");
        Assert.All(batches, b => Assert.Equal(b.OrderByDescending(Length), b));
        var maxima = batches.Select(b => b.Max(Length)).ToList();
        Assert.NotEqual(maxima.OrderByDescending(m => m), maxima);
    }

    [Fact]
    public void The_same_random_state_draws_the_same_epoch()
    {
        var a = EpochBatches.Draw(BatchOrder.Shuffled, Ids, Length, 32, new DeterministicRandom(9));
        var b = EpochBatches.Draw(BatchOrder.Shuffled, Ids, Length, 32, new DeterministicRandom(9));

        Assert.Equal(a, b);
    }
}
