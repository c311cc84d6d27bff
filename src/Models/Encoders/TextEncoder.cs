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

    /// <summary>
    /// Encodes several texts in one padded forward pass with an attention mask. Results equal
    /// <see cref="Encode"/>'s to float rounding: padding is masked out of every attention and BERT
    /// has no normalisation across the sequence. Each result holds only its own tokens.
    /// </summary>
    public IReadOnlyList<TextEncoding> EncodeBatch(IReadOnlyList<string> texts)
    {
        if (texts.Count == 0) return [];
        var tokens = texts.Select(t => Tokenizer.Encode(t)).ToList();
        var length = tokens.Max(t => t.InputIds.Length);
        var ids = new long[texts.Count * length];
        var mask = new long[texts.Count * length];
        Array.Fill(ids, Tokenizer.PadTokenId);
        for (var b = 0; b < tokens.Count; b++)
            for (var i = 0; i < tokens[b].InputIds.Length; i++)
            {
                ids[b * length + i] = tokens[b].InputIds[i];
                mask[b * length + i] = 1;
            }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var input = tensor(ids, new long[] { texts.Count, length }).to(_device);            // (B, L)
        var attention = tensor(mask, new long[] { texts.Count, length }).to(_device);        // (B, L)
        using var output = Model.forward(input, null, attention);              // layers x (B, L, H)
        var all = stack(output.HiddenStates.ToArray(), dim: 1).cpu();         // (B, layers, L, H)
        var results = new List<TextEncoding>(texts.Count);
        for (var b = 0; b < tokens.Count; b++)
        {
            var own = all[b, .., ..tokens[b].InputIds.Length].contiguous();   // (layers, own length, H)
            results.Add(new TextEncoding(tokens[b], new HiddenStates(own.MoveToOuterDisposeScope())));
        }
        return results;
    }

    /// <inheritdoc />
    public void Dispose() => Model.Dispose();
}
