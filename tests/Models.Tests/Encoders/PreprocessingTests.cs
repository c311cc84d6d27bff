using Orchestrator.Models.Encoders.Bert;
using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Encoders.Wav2Vec2;
using static TorchSharp.torch;

namespace Orchestrator.Models.Tests.Encoders;

public sealed class PreprocessingTests
{
    [Theory]
    [InlineData("wave0")]
    [InlineData("wave1")]
    public void The_waveform_is_normalised_as_the_preprocessor_config_says(string wave)
    {
        var extractor = Wav2Vec2FeatureExtractor.LoadOrDefault(Fixtures.Folder("wav2vec2"));
        using var reference = SafeTensorsFile.Open(Fixtures.File("wav2vec2", "reference.safetensors"));
        using var raw = reference.Tensors[$"{wave}.input_values"].Read();
        using var expected = reference.Tensors[$"{wave}.input_values_normalized"].Read();

        var normalized = extractor.Process(raw.data<float>().ToArray(), 16000);

        Assert.True(extractor.DoNormalize);
        using var actual = tensor(normalized);
        Assert.True(Parity.MaxAbsError(actual, expected, wave) < 1e-5);
    }

    [Fact]
    public void A_waveform_at_another_sampling_rate_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => Wav2Vec2FeatureExtractor.Default.Process(new float[100], 8000));

        Assert.Contains("8000 Hz", error.Message);
    }

    [Fact]
    public void The_tokenizer_reproduces_the_fixture_ids_for_a_text_pair()
    {
        var tokenizer = BertTextTokenizer.Load(Fixtures.Folder("bert"), maxPositionEmbeddings: 64);

        var encoding = tokenizer.Encode("The cat sat on the mat.", "The dog was playing with a zebra!");

        Assert.Equal([2, 10, 12, 14, 15, 10, 16, 5, 3, 10, 13, 17, 20, 45, 33, 11, 1, 7, 3], encoding.InputIds);
        Assert.Equal([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], encoding.TokenTypeIds);
        Assert.Equal("play ##ing", string.Join(' ', encoding.Tokens[12..14]));
        Assert.False(encoding.Truncated);
    }

    [Fact]
    public void The_tokenizer_lower_cases_and_strips_accents_as_configured()
    {
        var tokenizer = BertTextTokenizer.Load(Fixtures.Folder("bert"), maxPositionEmbeddings: 64);

        var encoding = tokenizer.Encode("Hello world, how are you? Unaffable café.");

        Assert.Equal([2, 22, 23, 6, 24, 25, 26, 8, 40, 50, 49, 39, 5, 3], encoding.InputIds);
        Assert.All(encoding.TokenTypeIds, t => Assert.Equal(0, t));
    }

    [Fact]
    public void The_tokenizer_ids_equal_the_reference_input_ids()
    {
        var tokenizer = BertTextTokenizer.Load(Fixtures.Folder("bert"), maxPositionEmbeddings: 64);
        using var reference = SafeTensorsFile.Open(Fixtures.File("bert", "reference.safetensors"));
        using var ids = reference.Tensors["input_ids"].Read();

        var pair = tokenizer.Encode("The cat sat on the mat.", "The dog was playing with a zebra!");
        var single = tokenizer.Encode("Hello world, how are you? Unaffable café.");

        Assert.Equal(ids[0].data<long>().ToArray(), pair.InputIds.Select(i => (long)i));
        Assert.Equal(ids[1].data<long>().ToArray()[..single.InputIds.Length], single.InputIds.Select(i => (long)i));
    }

    [Fact]
    public void A_text_longer_than_the_position_table_is_truncated_and_reported()
    {
        var tokenizer = BertTextTokenizer.Load(Fixtures.Folder("bert"), maxPositionEmbeddings: 64);
        var text = string.Join(' ', Enumerable.Repeat("the cat sat on the mat", 20));   // 120 words

        var encoding = tokenizer.Encode(text);

        Assert.Equal(64, encoding.InputIds.Length);
        Assert.Equal(120 - 62, encoding.TruncatedTokens);
        Assert.Equal(2, encoding.InputIds[0]);
        Assert.Equal(3, encoding.InputIds[^1]);
    }

    [Fact]
    public void A_pair_is_truncated_longest_first()
    {
        var tokenizer = BertTextTokenizer.Load(Fixtures.Folder("bert"), maxPositionEmbeddings: 10);

        var encoding = tokenizer.Encode("the cat sat on the mat", "a dog");        // 6 + 2 tokens, 7 fit

        Assert.Equal(10, encoding.InputIds.Length);
        Assert.Equal(1, encoding.TruncatedTokens);
        Assert.Equal("[CLS] the cat sat on the [SEP] a dog [SEP]", string.Join(' ', encoding.Tokens));
    }

    [Theory]
    [InlineData("Café", "[CLS] cafe [SEP]")]
    [InlineData("CAFE\u0301", "[CLS] cafe [SEP]")]
    public void Accents_are_stripped_when_the_tokenizer_config_says_so(string text, string expected)
    {
        var tokenizer = BertTextTokenizer.Load(Fixtures.Folder("bert"), maxPositionEmbeddings: 64);

        var encoding = tokenizer.Encode(text);

        Assert.Equal(expected, string.Join(' ', encoding.Tokens));
    }
}
