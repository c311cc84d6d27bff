namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// Tests that train whole runs. A run seeds torch's process-wide generator to build its model, so
/// a test drawing from that generator on another thread at the same moment would change the
/// weights and break the bit-for-bit comparisons; and training threads of parallel test classes
/// oversubscribe the cores. Collections that disable parallelisation run by themselves, after the
/// others.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection : ICollectionFixture<SyntheticStoreFixture>
{
    public const string Name = "Training runs (seeded torch RNG, one thread)";
}
