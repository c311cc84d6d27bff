using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Orchestrator.Models.Encoders;

/// <summary>The HF <c>ACT2FN</c> names that wav2vec 2.0 and BERT configs use, as functions.</summary>
public static class Activations
{
    /// <summary>The activation a config names; unknown names are refused with the list of known ones.</summary>
    public static Func<Tensor, Tensor> Get(string name) => name switch
    {
        "gelu" => x => F.gelu(x),                                           // exact, erf-based
        "gelu_new" or "gelu_pytorch_tanh" => x => F.gelu(x, TorchSharp.Modules.GELU.Approximate.tanh),
        "relu" => x => F.relu(x),
        "silu" or "swish" => x => F.silu(x),
        "tanh" => x => x.tanh(),
        _ => throw new ArgumentException(
            $"Unsupported activation '{name}'; known: gelu, gelu_new, gelu_pytorch_tanh, relu, silu, swish, tanh.", nameof(name)),
    };
}
