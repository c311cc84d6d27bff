using System.Buffers.Binary;
using Orchestrator.Models.Encoders.Checkpoints;
using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>
/// The validated header of one shard: a safetensors file whose <c>__metadata__</c> holds the store
/// description and the utterances it contains. Any inconsistency (truncation, a tensor missing or of
/// the wrong shape, metadata that does not parse) is a <see cref="FeatureStoreException"/>: the
/// writer quarantines such a shard and re-extracts its utterances.
/// </summary>
internal sealed class ShardHeader
{
    private const long MaxHeaderBytes = 256L << 20;

    private ShardHeader(string path, long dataStart, long fileLength, Dictionary<string, ShardTensor> tensors,
        StoreDescription description, IReadOnlyList<UtteranceDocument> utterances)
    {
        Path = path;
        DataStart = dataStart;
        FileLength = fileLength;
        Tensors = tensors;
        Description = description;
        Utterances = utterances;
    }

    public string Path { get; }

    /// <summary>File offset of the data section (8 + header length).</summary>
    public long DataStart { get; }

    public long FileLength { get; }

    public IReadOnlyDictionary<string, ShardTensor> Tensors { get; }

    public StoreDescription Description { get; }

    /// <summary>The utterances, in the order they were written, without <c>shard</c>.</summary>
    public IReadOnlyList<UtteranceDocument> Utterances { get; }

    public static ShardHeader Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1);
        var fileLength = stream.Length;
        if (fileLength < 8) throw new FeatureStoreException($"{path}: truncated shard ({fileLength} bytes).");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8) || headerLength > MaxHeaderBytes)
            throw new FeatureStoreException($"{path}: truncated or corrupt shard header (it claims {headerLength} bytes; {fileLength - 8} follow).");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var dataStart = 8 + (long)headerLength;

        var (tensors, metadata) = ParseHeader(path, header, fileLength - dataStart);
        var dataEnd = tensors.Count == 0 ? 0 : tensors.Values.Max(t => t.End);
        if (dataStart + dataEnd != fileLength)
            throw new FeatureStoreException($"{path}: the header's tensors end at byte {dataStart + dataEnd} but the file has {fileLength} bytes (truncated or padded shard).");

        if (metadata.GetValueOrDefault("format") != ShardNames.ShardFormat)
            throw new FeatureStoreException($"{path}: not a feature-store shard (__metadata__.format is '{metadata.GetValueOrDefault("format")}', expected '{ShardNames.ShardFormat}').");
        if (metadata.GetValueOrDefault("version") != ManifestDocument.CurrentVersion.ToString())
            throw new FeatureStoreException($"{path}: shard version '{metadata.GetValueOrDefault("version")}' is not {ManifestDocument.CurrentVersion}.");
        StoreDescription description;
        List<UtteranceDocument> utterances;
        try
        {
            description = StoreJson.Parse<DescriptionDocument>(metadata.GetValueOrDefault("description") ?? "null", $"{path}: __metadata__.description").ToDescription();
            utterances = StoreJson.Parse<List<UtteranceDocument>>(metadata.GetValueOrDefault("utterances") ?? "null", $"{path}: __metadata__.utterances");
        }
        catch (FormatException e)
        {
            throw new FeatureStoreException($"{path}: {e.Message}.", e);
        }
        Check(path, tensors, description, utterances);
        return new ShardHeader(path, dataStart, fileLength, tensors, description, utterances);
    }

    /// <summary>Every utterance's tensors are present with the description's dtype and shapes.</summary>
    private static void Check(string path, Dictionary<string, ShardTensor> tensors, StoreDescription description, List<UtteranceDocument> utterances)
    {
        var seen = new HashSet<string>();
        foreach (var utterance in utterances)
        {
            if (!seen.Add(utterance.Id)) throw new FeatureStoreException($"{path}: utterance '{utterance.Id}' is listed twice.");
            IReadOnlyDictionary<StreamKind, int> lengths;
            try { lengths = utterance.StreamLengths(); }
            catch (FormatException e) { throw new FeatureStoreException($"{path}: {e.Message}.", e); }
            foreach (var (kind, length) in lengths)
            {
                Expect(path, tensors, ShardNames.Stream(utterance.Id, kind), description.DType.ScalarType(),
                    [description.LayersOf(kind).Count, length, description.WidthOf(kind)]);
                if (kind.IsSegmental())
                    Expect(path, tensors, ShardNames.Frames(utterance.Id, kind), ScalarType.Int64, [length, 2]);
            }
        }
    }

    private static void Expect(string path, Dictionary<string, ShardTensor> tensors, string name, ScalarType dtype, long[] shape)
    {
        if (!tensors.TryGetValue(name, out var tensor))
            throw new FeatureStoreException($"{path}: tensor '{name}' is listed in __metadata__ but missing.");
        if (tensor.DType != dtype || !tensor.Shape.SequenceEqual(shape))
            throw new FeatureStoreException(
                $"{path}: tensor '{name}' is {TensorDTypes.SafeTensorsName(tensor.DType)} {SafeTensorsFile.FormatShape(tensor.Shape)}; "
                + $"the store expects {TensorDTypes.SafeTensorsName(dtype)} {SafeTensorsFile.FormatShape(shape)}.");
    }

    private static (Dictionary<string, ShardTensor>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        var (entries, metadata) = SafeTensorsHeader.Parse(path, header, dataLength, "shard header", "shard",
            (message, inner) => new FeatureStoreException(message, inner));
        var tensors = entries.Values.ToDictionary(e => e.Name, e => new ShardTensor(e.Name, e.DType, e.Shape, e.Begin, e.End), StringComparer.Ordinal);
        return (tensors, metadata);
    }
}
