using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Tests.Encoders;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Features.Store;

public sealed class ConcurrentReadTests
{
    [Fact]
    public void Readers_on_many_threads_see_the_same_values_as_one()
    {
        using var directory = new TempDirectory();
        using (var writer = FeatureStoreWriter.Open(directory.Path, StoreFixtures.Description(StoreDType.Float32), StoreFixtures.SmallShards))
            StoreFixtures.AddAll(writer, Enumerable.Range(0, 8));
        using var store = FeatureStore.Open(directory.Path);
        var expected = new Dictionary<(string, StreamKind), float[]>();
        foreach (var utterance in store.Utterances)
            foreach (var kind in StreamKinds.All)
            {
                using var tensor = store.Read(utterance.Id, kind)!;
                expected[(utterance.Id, kind)] = tensor.data<float>().ToArray();
            }
        store.Dispose();

        // A fresh store, so that the threads also race to map the shards.
        using var shared = FeatureStore.Open(directory.Path);
        var work = Enumerable.Range(0, 20).SelectMany(_ => expected.Keys).ToList();
        var mismatches = 0;
        Parallel.ForEach(work, new ParallelOptions { MaxDegreeOfParallelism = 8 }, item =>
        {
            using var scope = NewDisposeScope();
            var values = shared.Read(item.Item1, item.Item2)!.data<float>().ToArray();
            if (!values.SequenceEqual(expected[item])) Interlocked.Increment(ref mismatches);
        });

        Assert.Equal(0, mismatches);
    }
}
