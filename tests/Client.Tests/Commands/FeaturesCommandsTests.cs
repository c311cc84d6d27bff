using System.Text.Json;
using Orchestrator.Models.Encoders.Checkpoints;
using Orchestrator.Models.Synthesis;
using TorchSharp;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// <c>features extract | inspect | export</c> end to end on a synthesised corpus with the built-in
/// (untrained) encoders: what inspect and export show must be what the corpus and the encoders make.
/// </summary>
public sealed class FeaturesCommandsTests(FeaturesCommandsTests.ExtractedStore fixture) : IClassFixture<FeaturesCommandsTests.ExtractedStore>
{
    [Fact]
    public void Extract_stores_every_four_class_utterance_and_exits_0()
    {
        Assert.True(fixture.Extract.ExitCode == 0, fixture.Extract.Error);
        Assert.Contains("NOT PRE-TRAINED", fixture.Extract.Error);
        Assert.True(File.Exists(Path.Combine(fixture.Store, "manifest.json")));
    }

    [Fact]
    public async Task Inspect_json_lists_the_utterances_the_untrained_flag_and_the_streams()
    {
        var result = await CliRunner.RunAsync("features", "inspect", "--store", fixture.Store, "--json");

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(fixture.FourClass, root.GetProperty("utterances").GetInt32());
        Assert.True(root.GetProperty("complete").GetBoolean());
        Assert.True(root.GetProperty("untrained").GetBoolean());
        Assert.Equal("F16", root.GetProperty("d_type").GetString());
        Assert.Equal([1, 2, 3, 4], root.GetProperty("speech_layers").EnumerateArray().Select(e => e.GetInt32()));
        var streams = root.GetProperty("streams").EnumerateArray().ToDictionary(s => s.GetProperty("stream").GetString()!, s => s.GetProperty("utterances").GetInt32());
        Assert.Equal(["text", "frame", "phone", "syllable", "word"], streams.Keys);
        Assert.Equal(fixture.FourClass, streams["text"]);
        Assert.Equal(fixture.FourClass, streams["frame"]);
        Assert.Equal(fixture.FourClass - fixture.WithoutAlignment, streams["word"]);
    }

    [Fact]
    public async Task Export_writes_each_stream_as_f32_layers_first_and_segment_frames_as_i64()
    {
        var id = await FirstAlignedUtterance();
        var output = Path.Combine(fixture.Scratch, $"{id}.safetensors");

        var result = await CliRunner.RunAsync("features", "export", "--store", fixture.Store, "--utterance", id, "--out", output);

        Assert.True(result.ExitCode == 0, result.Error);
        using var file = SafeTensorsFile.Open(output);
        Assert.Equal(["frame", "phone", "phone_frames", "syllable", "syllable_frames", "text", "word", "word_frames"], file.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var name in new[] { "text", "frame", "phone", "syllable", "word" })
        {
            var tensor = file.Tensors[name];
            Assert.Equal(torch.ScalarType.Float32, tensor.DType);
            Assert.Equal(3, tensor.Shape.Length);
            Assert.Equal(4, tensor.Shape[0]);    // hidden states 1..4 of the built-in encoders
            Assert.Equal(64, tensor.Shape[2]);   // their width
            if (name is "phone" or "syllable" or "word")
            {
                var frames = file.Tensors[name + "_frames"];
                Assert.Equal(torch.ScalarType.Int64, frames.DType);
                Assert.Equal([tensor.Shape[1], 2L], frames.Shape);
            }
        }
    }

    [Fact]
    public async Task A_second_extract_says_the_store_is_up_to_date()
    {
        var result = await CliRunner.RunAsync("features", "extract", "--corpus", fixture.CorpusRoot, "--store", fixture.Store);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Up to date", result.Output);
        Assert.Contains("nothing was encoded", result.Output);
    }

    [Theory]
    [InlineData("--layers", "0-99", "outside 0-4")]
    [InlineData("--layers", "two", "'two' is not a layer number")]
    [InlineData("--dtype", "f8", "'f8' is not a store dtype")]
    public async Task A_bad_option_gives_a_clear_message_and_exit_code_1(string option, string value, string message)
    {
        var store = Path.Combine(fixture.Scratch, $"bad-{Guid.NewGuid():N}");

        var result = await CliRunner.RunAsync("features", "extract", "--corpus", fixture.CorpusRoot, "--store", store, option, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error);
        Assert.DoesNotContain("   at ", result.Error);   // a message, not a stack trace
    }

    [Fact]
    public async Task A_missing_corpus_folder_exits_1_naming_it()
    {
        var missing = Path.Combine(fixture.Scratch, "no-such-corpus");

        var result = await CliRunner.RunAsync("features", "extract", "--corpus", missing, "--store", Path.Combine(fixture.Scratch, "unused"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no-such-corpus", result.Error);
        Assert.False(Directory.Exists(Path.Combine(fixture.Scratch, "unused")));
    }

    [Fact]
    public async Task A_corpus_other_than_the_synthetic_one_needs_its_encoders_named()
    {
        // The synthetic corpus without its synthesis manifest: to the CLI, somebody's IEMOCAP.
        var corpus = Path.Combine(fixture.Scratch, $"real-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(fixture.CorpusRoot, "*", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file) == Orchestrator.Models.Synthesis.SynthesisManifest.FileName) continue;
            var copy = Path.Combine(corpus, Path.GetRelativePath(fixture.CorpusRoot, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        var store = Path.Combine(fixture.Scratch, $"store-{Guid.NewGuid():N}");

        var refused = await CliRunner.RunAsync("features", "extract", "--corpus", corpus, "--store", store, "--bert", "builtin");
        var leftBehind = Directory.Exists(store);
        var named = await CliRunner.RunAsync("features", "extract", "--corpus", corpus, "--store", store, "--wav2vec2", "builtin", "--bert", "builtin");

        Assert.Equal(1, refused.ExitCode);
        var message = System.Text.RegularExpressions.Regex.Replace(refused.Error, @"\s+", " ");
        Assert.Contains("is not the project's synthetic corpus: name the encoders (--wav2vec2)", message);
        Assert.Contains("--wav2vec2 facebook/wav2vec2-base --bert bert-base-uncased", message);
        Assert.False(leftBehind);
        Assert.True(named.ExitCode == 0, named.Error);
        Assert.Contains("built-in encoders that are NOT PRE-TRAINED", named.Output);
    }

    private async Task<string> FirstAlignedUtterance()
    {
        var inspect = await CliRunner.RunAsync("features", "inspect", "--store", fixture.Store, "--json");
        Assert.Equal(0, inspect.ExitCode);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.Store, "manifest.json"))).RootElement;
        return manifest.GetProperty("utterances").EnumerateArray()
            .First(u => u.GetProperty("lengths").TryGetProperty("word", out _)).GetProperty("id").GetString()!;
    }

    /// <summary>A synthesised corpus and its store, extracted once through the CLI.</summary>
    public sealed class ExtractedStore : IAsyncLifetime
    {
        public string Scratch { get; } = Directory.CreateTempSubdirectory("orchestrator-features-cli-").FullName;

        public string CorpusRoot => Path.Combine(Scratch, "corpus");

        public string Store => Path.Combine(Scratch, "store");

        public CliRunner.Result Extract { get; private set; } = null!;

        public int FourClass { get; private set; }

        public int WithoutAlignment { get; private set; }

        public async Task InitializeAsync()
        {
            var report = SyntheticCorpus.Write(CorpusRoot, new SyntheticCorpusOptions { Seed = 3, Utterances = 40, UtterancesWithoutAlignment = 1 });
            FourClass = report.Manifest.FourClassTotal;
            var corpus = Orchestrator.Models.Corpus.IemocapCorpus.Read(CorpusRoot);
            WithoutAlignment = corpus.FourClass.Count(u => u.Alignment is null);
            Extract = await CliRunner.RunAsync("features", "extract", "--corpus", CorpusRoot, "--store", Store);
        }

        public Task DisposeAsync()
        {
            Directory.Delete(Scratch, recursive: true);
            return Task.CompletedTask;
        }
    }
}
