using Microsoft.ML.Tokenizers;
using Orchestrator.Models.Encoders.Checkpoints;

namespace Orchestrator.Models.Encoders.Bert;

/// <summary>
/// A checkpoint's WordPiece tokenizer: <c>vocab.txt</c> with the options of
/// <c>tokenizer_config.json</c> (do_lower_case, strip_accents, tokenize_chinese_chars, special
/// tokens, model_max_length) in Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>. Texts longer
/// than the model allows are truncated as HF's <c>truncation="longest_first"</c> does, and the
/// number of dropped tokens is reported.
/// </summary>
public sealed class BertTextTokenizer
{
    private readonly BertTokenizer _tokenizer;
    private readonly string[] _vocabulary;

    private BertTextTokenizer(BertTokenizer tokenizer, string[] vocabulary, int maxLength)
    {
        _tokenizer = tokenizer;
        _vocabulary = vocabulary;
        MaxLength = maxLength;
    }

    /// <summary>The most tokens an encoding may have, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; }

    /// <summary>Id of the padding token.</summary>
    public int PadTokenId => _tokenizer.PaddingTokenId;

    /// <summary>
    /// Loads <c>vocab.txt</c> and (if present) <c>tokenizer_config.json</c> from <paramref name="folder"/>.
    /// <paramref name="maxPositionEmbeddings"/> (the model's) caps <see cref="MaxLength"/>.
    /// </summary>
    public static BertTextTokenizer Load(string folder, int maxPositionEmbeddings)
    {
        var vocabPath = Path.Combine(folder, "vocab.txt");
        if (!File.Exists(vocabPath)) throw new CheckpointException($"{vocabPath} does not exist (a BERT checkpoint needs its WordPiece vocabulary).");
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = File.Exists(configPath) ? JsonConfig.Load(configPath) : null;

        var lowerCase = config?.Bool("do_lower_case", true) ?? true;
        // HF: strip_accents=None follows do_lower_case.
        var stripAccents = config?.OptionalBool("strip_accents") ?? lowerCase;
        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            // NFD then dropping the marks; needs ICU (the solution does not run with InvariantGlobalization for this reason).
            RemoveNonSpacingMarks = stripAccents,
            IndividuallyTokenizeCjk = config?.Bool("tokenize_chinese_chars", true) ?? true,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = true,
            UnknownToken = config?.TokenString("unk_token", "[UNK]") ?? "[UNK]",
            SeparatorToken = config?.TokenString("sep_token", "[SEP]") ?? "[SEP]",
            PaddingToken = config?.TokenString("pad_token", "[PAD]") ?? "[PAD]",
            ClassificationToken = config?.TokenString("cls_token", "[CLS]") ?? "[CLS]",
            MaskingToken = config?.TokenString("mask_token", "[MASK]") ?? "[MASK]",
        };
        BertTokenizer tokenizer;
        try
        {
            tokenizer = BertTokenizer.Create(vocabPath, options);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointException($"{vocabPath}: {e.Message}", e);
        }
        // model_max_length is a huge sentinel (1e30) when unset; the position table is the real limit.
        var modelMax = config?.Double("model_max_length", double.MaxValue) ?? double.MaxValue;
        var maxLength = (int)Math.Min(maxPositionEmbeddings, Math.Min(modelMax, int.MaxValue));
        if (maxLength < 3) throw new CheckpointException($"{folder}: a maximum length of {maxLength} leaves no room for text.");
        var vocabulary = File.ReadAllLines(vocabPath);
        return new BertTextTokenizer(tokenizer, vocabulary, maxLength);
    }

    /// <summary>Tokenises <paramref name="text"/> (and an optional second segment) with [CLS]/[SEP], truncated to <see cref="MaxLength"/>.</summary>
    public BertEncoding Encode(string text, string? textPair = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = Ids(text);
        var second = textPair is null ? null : Ids(textPair);

        // longest_first: drop the last token of the longer segment until [CLS] A [SEP] (B [SEP]) fits.
        var budget = MaxLength - (second is null ? 2 : 3);
        var dropped = 0;
        while (first.Count + (second?.Count ?? 0) > budget)
        {
            var fromSecond = second is not null && second.Count > first.Count;
            var segment = fromSecond ? second! : first;
            segment.RemoveAt(segment.Count - 1);
            dropped++;
        }

        var ids = _tokenizer.BuildInputsWithSpecialTokens(first, second).ToArray();
        var types = _tokenizer.CreateTokenTypeIdsFromSequences(first, second).ToArray();
        var tokens = ids.Select(id => id >= 0 && id < _vocabulary.Length ? _vocabulary[id] : $"<{id}>").ToArray();
        return new BertEncoding(ids, types, tokens, dropped);
    }

    private List<int> Ids(string text) =>
        _tokenizer.EncodeToIds(text, addSpecialTokens: false).ToList();
}
