using static TorchSharp.torch;

namespace Orchestrator.Models.Features.Store;

/// <summary>A tensor buffered for the next shard: its name, dtype, shape and little-endian bytes.</summary>
internal sealed record PendingTensor(string Name, ScalarType DType, long[] Shape, byte[] Data);
