using Orchestrator.Models.Corpus;
using Orchestrator.Models.Encoders;
using Orchestrator.Models.Encoders.BuiltIn;
using Orchestrator.Models.Features.Extraction;
using Orchestrator.Models.Features.Store;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Models.Tests.Features.Extraction;

/// <summary>
/// One small synthesised corpus, the built-in encoders materialised in a private cache root, and an
/// F32 store of the corpus extracted once with the default options. Tests that change inputs work on
/// copies (<see cref="CopyCorpus"/>, <see cref="CopyStore"/>).
/// </summary>
public sealed class ExtractionFixture : IDisposable
{
    public static readonly SyntheticCorpusOptions CorpusOptions = new() { Seed = 11, Utterances = 48, UtterancesWithoutAlignment = 1 };

    public static readonly ExtractionOptions F32 = new(DType: StoreDType.Float32);

    public ExtractionFixture()
    {
        Scratch = Path.Combine(Path.GetTempPath(), "orchestrator-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Scratch);
        CorpusRoot = SyntheticCorpus.Write(Path.Combine(Scratch, "corpus"), CorpusOptions).Root;
        Corpus = IemocapCorpus.Read(CorpusRoot);
        var cache = Path.Combine(Scratch, "encoders");
        SpeechSource = new EncoderSource(BuiltInEncoders.Name, BuiltInEncoders.SpeechFolder(cache));
        TextSource = new EncoderSource(BuiltInEncoders.Name, BuiltInEncoders.TextFolder(cache));
        Speech = SpeechEncoder.Load(SpeechSource.Folder);
        Text = TextEncoder.Load(TextSource.Folder);
        Extractor = new FeatureExtractor(Speech, SpeechSource, Text, TextSource);
        StoreF32 = Path.Combine(Scratch, "store-f32");
        StoreF32Report = Extractor.Run(Corpus, StoreF32, F32);
    }

    public string Scratch { get; }

    public string CorpusRoot { get; }

    /// <summary>The corpus as the reader parses it.</summary>
    public IemocapCorpus Corpus { get; }

    public EncoderSource SpeechSource { get; }

    public EncoderSource TextSource { get; }

    public SpeechEncoder Speech { get; }

    public TextEncoder Text { get; }

    public FeatureExtractor Extractor { get; }

    /// <summary>The corpus extracted once with <see cref="F32"/>; read it, never write it.</summary>
    public string StoreF32 { get; }

    public ExtractionReport StoreF32Report { get; }

    /// <summary>A fresh, not yet existing folder under the scratch folder.</summary>
    public string NewFolder(string name) => Path.Combine(Scratch, $"{name}-{Guid.NewGuid():N}");

    /// <summary>A copy of the corpus (wav bytes equal, so content keys equal).</summary>
    public string CopyCorpus() => CopyTree(CorpusRoot, NewFolder("corpus"));

    /// <summary>A copy of the shared F32 store, safe to extract into.</summary>
    public string CopyStore() => CopyTree(StoreF32, NewFolder("store"));

    public void Dispose()
    {
        Speech.Dispose();
        Text.Dispose();
        try { Directory.Delete(Scratch, recursive: true); }
        catch (IOException) { }
    }

    private static string CopyTree(string source, string destination)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        return destination;
    }
}

/// <summary>The extraction test classes share one fixture (one corpus, one reference store).</summary>
[CollectionDefinition(Name)]
public sealed class ExtractionCollection : ICollectionFixture<ExtractionFixture>
{
    public const string Name = "Feature extraction";
}

/// <summary>Reports synchronously on the extracting thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
