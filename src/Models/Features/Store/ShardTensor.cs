using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>One tensor of a shard: its header entry, with data offsets relative to the data section.</summary>
internal sealed record ShardTensor(string Name, ScalarType DType, long[] Shape, long Begin, long End)
{
    public long ByteCount => End - Begin;
}
