using Orchestrator.Models.Encoders.Bert;

namespace Orchestrator.Models.Encoders;

/// <summary>A text's tokens and their hidden states (one row per token, [CLS] and [SEP] included).</summary>
public sealed record TextEncoding(BertEncoding Tokens, HiddenStates States) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => States.Dispose();
}
