using System.Text.Json;
using Orchestrator.Models.Synthesis;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// The CLI end to end on a synthesised corpus: what <c>corpus check</c> reports must equal what the
/// synthesiser says it wrote (its manifest), which the two sides compute independently.
/// </summary>
public sealed class CorpusCommandsTests : IClassFixture<CorpusCommandsTests.SynthesisedCorpus>
{
    private readonly SynthesisedCorpus _corpus;

    public CorpusCommandsTests(SynthesisedCorpus corpus) => _corpus = corpus;

    [Fact]
    public void Synth_reports_what_it_wrote_and_leaves_no_partial_folder()
    {
        Assert.Equal(0, _corpus.Synth.ExitCode);
        Assert.Contains("Wrote 60 utterances", _corpus.Synth.Error);
        Assert.Contains("3 processes", _corpus.Synth.Error);
        Assert.True(File.Exists(Path.Combine(_corpus.Root, SynthesisManifest.FileName)));
        Assert.False(Directory.Exists(_corpus.Root + ".partial"));
    }

    [Fact]
    public async Task Synth_in_one_process_writes_the_bytes_of_parallel_workers()
    {
        var serial = Path.Combine(Path.GetDirectoryName(_corpus.Root)!, $"serial-{Guid.NewGuid():N}");

        var result = await CliRunner.RunAsync("corpus", "synth", "--corpus", serial, "--seed", "7", "--utterances", "60", "--parallel", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 process)", result.Error);
        var parallel = Files(_corpus.Root);
        var inProcess = Files(serial);
        Assert.Equal(parallel.Keys.Order(), inProcess.Keys.Order());
        Assert.All(parallel, f => Assert.True(f.Value.SequenceEqual(inProcess[f.Key]), $"{f.Key} differs"));
    }

    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.GetFiles(root, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllBytes);

    [Fact]
    public async Task Check_json_equals_the_synthesis_ground_truth()
    {
        var manifest = SynthesisManifest.Read(Path.Combine(_corpus.Root, SynthesisManifest.FileName));

        var result = await CliRunner.RunAsync("corpus", "check", "--iemocap", _corpus.Root, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Output);
        var root = json.RootElement;
        Assert.Equal(manifest.FourClassTotal, root.GetProperty("utterances").GetInt32());
        Assert.Equal(["ang", "hap", "sad", "neu"], root.GetProperty("classes").EnumerateObject().Select(p => p.Name));
        foreach (var (code, count) in manifest.FourClass)
            Assert.Equal(count, root.GetProperty("classes").GetProperty(code).GetInt32());
        Assert.Equal(manifest.RawLabels.OrderBy(p => p.Key),
            root.GetProperty("raw_labels").EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.GetInt32())).OrderBy(p => p.Key));
        Assert.Equal(manifest.FourClassTotal, root.GetProperty("sessions").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(["1", "2", "3", "4", "5"], root.GetProperty("sessions").EnumerateObject().Select(p => p.Name));
        var missing = root.GetProperty("missing_alignment").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, missing.Count);
        // The only problems of a synthesised corpus are the alignment files it leaves out on purpose.
        var problems = root.GetProperty("problems").EnumerateArray().ToList();
        Assert.All(problems, p => Assert.Contains(missing, id => p.GetProperty("message").GetString()!.StartsWith(id)));
    }

    [Fact]
    public async Task Check_tables_show_the_same_totals()
    {
        var result = await CliRunner.RunAsync("corpus", "check", "--iemocap", _corpus.Root);

        Assert.Equal(0, result.ExitCode);
        var manifest = SynthesisManifest.Read(Path.Combine(_corpus.Root, SynthesisManifest.FileName));
        Assert.Matches($@"total\s*│\s*{manifest.FourClassTotal}\s", result.Output);
        Assert.Contains("have no alignment files", result.Output);
    }

    [Fact]
    public async Task Check_of_a_missing_folder_fails_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-corpus-{Guid.NewGuid():N}");

        var result = await CliRunner.RunAsync("corpus", "check", "--iemocap", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, result.Error);
    }

    [Fact]
    public async Task Check_exits_1_only_for_problems_that_change_the_4_class_set()
    {
        // A copy of the corpus with one 4-class utterance's wav gone (the copy keeps the deliberate missing alignments).
        var copy = Path.Combine(Path.GetDirectoryName(_corpus.Root)!, $"copy-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(_corpus.Root, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(_corpus.Root, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        var victim = Orchestrator.Models.Corpus.IemocapCorpus.Read(copy).FourClass[0];
        File.Delete(victim.WavPath);

        var table = await CliRunner.RunAsync("corpus", "check", "--corpus", copy);
        var json = await CliRunner.RunAsync("corpus", "check", "--corpus", copy, "--json");

        Assert.Equal(1, table.ExitCode);
        Assert.Contains("1 problem(s) change the 4-class set", System.Text.RegularExpressions.Regex.Replace(table.Error, @"\s+", " "));
        Assert.Equal(1, json.ExitCode);
        var problems = JsonDocument.Parse(json.Output).RootElement.GetProperty("problems").EnumerateArray().ToList();
        var changing = Assert.Single(problems, p => p.GetProperty("changes_class_set").GetBoolean());
        Assert.Equal($"{victim.Id}: wav file missing", changing.GetProperty("message").GetString());
        // The original, whose only problems are its missing alignment files, passes (Check_tables_show_the_same_totals).
        Assert.Contains(problems, p => !p.GetProperty("changes_class_set").GetBoolean());
    }

    [Fact]
    public async Task Synth_refuses_an_existing_folder_and_writes_nothing_into_it()
    {
        var before = Directory.GetFileSystemEntries(_corpus.Root, "*", SearchOption.AllDirectories).Length;

        var result = await CliRunner.RunAsync("corpus", "synth", "--out", _corpus.Root, "--utterances", "5");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("exists already", result.Error);
        Assert.Equal(before, Directory.GetFileSystemEntries(_corpus.Root, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task Demo_refuses_a_folder_holding_another_corpus()
    {
        // The demo keeps its corpus in <out>/corpus: here, the corpus of seed 7.
        var result = await CliRunner.RunAsync("demo", "--out", Path.GetDirectoryName(_corpus.Root)!, "--seed", "8", "--utterances", "60");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("remove it or choose --out", result.Error);
    }

    public sealed class SynthesisedCorpus : IAsyncLifetime
    {
        private readonly string _parent = Directory.CreateTempSubdirectory("orchestrator-cli-").FullName;

        public string Root => Path.Combine(_parent, "corpus");

        public CliRunner.Result Synth { get; private set; } = null!;

        public async Task InitializeAsync() =>
            // Worker processes, as on any machine with more than one core; Synth_in_one_process_... compares.
            Synth = await CliRunner.RunAsync("corpus", "synth", "--corpus", Root, "--seed", "7", "--utterances", "60", "--parallel", "3");

        public Task DisposeAsync()
        {
            Directory.Delete(_parent, recursive: true);
            return Task.CompletedTask;
        }
    }
}
