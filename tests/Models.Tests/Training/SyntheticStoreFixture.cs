using Orchestrator.Models.Features;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Training;

/// <summary>
/// One <see cref="SyntheticEmotionStore"/> of 400 labelled utterances per test run, written to a
/// temporary folder, opened with <see cref="FeatureStore"/> and loaded into memory as the CLI loads
/// a store that fits.
/// Sets libtorch to one thread: the runs are tiny, and OpenMP threads that outnumber the cores
/// spin-wait.
/// </summary>
public sealed class SyntheticStoreFixture : IDisposable
{
    public const int Utterances = 400;

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("orchestrator-training-");

    public SyntheticStoreFixture()
    {
        TorchSharp.torch.set_num_threads(1);
        SyntheticEmotionStore.Write(_directory.FullName, Utterances);
        Store = FeatureStore.Open(_directory.FullName);
        Cache = Store.LoadIntoMemory(StreamKinds.All);
        Data = new TrainingData(Cache);
    }

    public FeatureStore Store { get; }

    /// <summary>The store in memory, as the CLI reads a store that fits.</summary>
    public FeatureCache Cache { get; }

    /// <summary>The labelled utterances, read from <see cref="Cache"/>.</summary>
    public TrainingData Data { get; }

    public void Dispose()
    {
        Cache.Dispose();
        Store.Dispose();
        _directory.Delete(recursive: true);
    }
}
