using TorchSharp;
using Orchestrator.Models.Encoders.Bert;
using Orchestrator.Models.Encoders.Hub;
using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders;

/// <summary>
/// A frozen BERT checkpoint with its tokenizer: text in, WordPiece tokens and every hidden state
/// out (method.md section 2: one sequence, token types all 0).
/// </summary>
public sealed class TextEncoder : IDisposable
{
    private readonly Device _device;

    private TextEncoder(BertModel model, BertTextTokenizer tokenizer, Device device)
    {
        Model = model;
        Tokenizer = tokenizer;
        _device = device;
    }

    /// <summary>The network.</summary>
    public BertModel Model { get; }

    /// <summary>The checkpoint's tokenizer.</summary>
    public BertTextTokenizer Tokenizer { get; }

    /// <summary>Loads a folder or a hub model id (cached per <paramref name="hub"/>, default <see cref="HubOptions.FromEnvironment"/>).</summary>
    public static async Task<TextEncoder> LoadAsync(string folderOrId, HubOptions? hub = null, Device? device = null, CancellationToken cancellation = default)
    {
        using var resolver = new HubModelResolver(hub ?? HubOptions.FromEnvironment());
        return Load(await resolver.ResolveAsync(folderOrId, cancellation), device);
    }

    /// <summary>Loads a checkpoint folder (config.json, weights, vocab.txt, tokenizer_config.json) onto <paramref name="device"/> (default CPU).</summary>
    public static TextEncoder Load(string folder, Device? device = null)
    {
        var model = BertModel.FromPretrained(folder);
        try
        {
            var tokenizer = BertTextTokenizer.Load(folder, model.Config.MaxPositionEmbeddings);
            var target = device ?? CPU;
            model.to(target);
            return new TextEncoder(model, tokenizer, target);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Tokenises <paramref name="text"/> ([CLS] ... [SEP], truncated to the model's length, see
    /// <see cref="BertEncoding.TruncatedTokens"/>) and encodes it with gradients off.
    /// </summary>
    public TextEncoding Encode(string text)
    {
        var tokens = Tokenizer.Encode(text);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = tensor(tokens.InputIds.Select(i => (long)i).ToArray(), [1, tokens.InputIds.Length]).to(_device); // (1, L)
        using var output = Model.forward(ids);                                                                        // L + 1 x (1, L, H)
        var layers = stack(output.HiddenStates.Select(h => h[0]).ToArray()).cpu();                                     // (L + 1, L, H)
        return new TextEncoding(tokens, new HiddenStates(layers.MoveToOuterDisposeScope()));
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
