using System.Text.RegularExpressions;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// Every numeric option out of range is refused while the command line is parsed, naming the
/// option and its range, before the command creates a folder, opens a store or reaches a database.
/// The cluster commands get a database that is not there: had the value slipped through, the
/// message would be the connection's, not the option's (cv --lr -1 used to queue runs that every
/// worker then failed; sweep submit --slots 0 waited forever for a slot).
/// </summary>
public sealed class OutOfRangeArgumentTests(TrainingCommandsTests.StoreFixture store) : IClassFixture<TrainingCommandsTests.StoreFixture>, IDisposable
{
    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("orchestrator-bad-arguments-");

    // Port 1 on loopback: nothing listens there, so a connection is refused at once.
    private const string Unreachable = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=2";

    public static TheoryData<string, string[], string> Cases => new()
    {
        { "train --fold 0", ["train", "{store}", "--model", "linear", "--streams", "T", "--fold", "0"], "--fold 0 is out of range: at least 1" },
        { "train --repeat 0", ["train", "{store}", "--model", "linear", "--streams", "T", "--fold", "1", "--repeat", "0"], "--repeat 0 is out of range: at least 1" },
        { "train --max-epochs 0", ["train", "{store}", "--model", "linear", "--streams", "T", "--fold", "1", "--max-epochs", "0"], "--max-epochs 0 is out of range: at least 1 epoch" },
        { "train --patience 0", ["train", "{store}", "--model", "linear", "--streams", "T", "--fold", "1", "--patience", "0"], "--patience 0 is out of range: at least 1 epoch" },
        { "train --batch-size 0", ["train", "{store}", "--model", "linear", "--streams", "T", "--fold", "1", "--batch-size", "0"], "--batch-size 0 is out of range: at least 1 utterance per step" },
        { "train --lr 0", ["train", "{store}", "--model", "linear", "--streams", "T", "--fold", "1", "--lr", "0"], "--lr 0 is out of range: a learning rate is a positive number" },
        { "train --lr -0.001", ["train", "{store}", "--model", "late", "--streams", "T,F", "--fold", "1", "--lr", "-0.001"], "--lr -0.001 is out of range" },
        { "train --lr NaN", ["train", "{store}", "--model", "late", "--streams", "T,F", "--fold", "1", "--lr", "NaN"], "--lr NaN is out of range" },
        { "train --width 0", ["train", "{store}", "--model", "late", "--streams", "T,F", "--fold", "1", "--width", "0"], "--width 0 is out of range: at least 1 unit" },
        { "train --heads 0", ["train", "{store}", "--model", "coattention", "--streams", "T,F", "--fold", "1", "--heads", "0"], "--heads 0 is out of range: at least 1 head" },
        { "train --threads 0", ["train", "{store}", "--model", "linear", "--streams", "T", "--fold", "1", "--threads", "0"], "--threads 0 is out of range: at least 1 thread" },
        { "cv --repeats 0", ["cv", "{store}", "--model", "linear", "--streams", "T", "--repeats", "0", "--database", Unreachable], "--repeats 0 is out of range: at least 1 repeat" },
        { "cv --parallel 0", ["cv", "{store}", "--model", "linear", "--streams", "T", "--parallel", "0", "--database", Unreachable], "--parallel 0 is out of range: at least 1 run at a time" },
        { "cv --lr -1", ["cv", "{store}", "--model", "linear", "--streams", "T", "--lr", "-1", "--database", Unreachable], "--lr -1 is out of range" },
        { "cv --max-epochs -3", ["cv", "{store}", "--model", "linear", "--streams", "T", "--max-epochs", "-3", "--database", Unreachable], "--max-epochs -3 is out of range" },
        { "demo --parallel 0", ["demo", "--work-dir", "{new}", "--parallel", "0"], "--parallel 0 is out of range: at least 1 run at a time" },
        { "demo --repeats 0", ["demo", "--work-dir", "{new}", "--repeats", "0"], "--repeats 0 is out of range: at least 1 repeat" },
        { "demo --utterances 0", ["demo", "--work-dir", "{new}", "--utterances", "0"], "--utterances 0 is out of range: at least 1 utterance" },
        { "corpus synth --utterances -5", ["corpus", "synth", "--corpus", "{new}", "--utterances", "-5"], "--utterances -5 is out of range: at least 1 utterance" },
        { "features extract --batch-size 0", ["features", "extract", "--corpus", "{scratch}", "--store", "{new}", "--batch-size", "0"], "--batch-size 0 is out of range: at least 1 utterance per batch" },
        { "sweep submit --slots 0", ["sweep", "submit", "{grid}", "--slots", "0", "--database", Unreachable], "--slots 0 is out of range: at least 1 run at a time" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_option_out_of_range_is_refused_by_name_before_anything_is_written(string name, string[] args, string message)
    {
        var grid = Path.Combine(_scratch.FullName, "grid.yaml");
        File.WriteAllText(grid, $"store: {store.Directory}\nconfigurations: [{{model: linear, streams: T}}]\n");
        var created = Path.Combine(_scratch.FullName, "new");
        var storeFiles = Directory.GetFiles(store.Directory, "*", SearchOption.AllDirectories).Select(File.GetLastWriteTimeUtc).ToList();
        var expanded = args.SelectMany(a => a switch
        {
            "{store}" => ["--store", store.Directory],
            "{new}" => [created],
            "{scratch}" => [_scratch.FullName],
            "{grid}" => [grid],
            _ => new[] { a },
        }).ToArray();

        var result = await CliRunner.RunAsync(expanded);

        Assert.True(result.ExitCode == 1, $"{name}: exit {result.ExitCode}\n{result.Error}");
        Assert.Contains(message, Flat(result.Error));
        Assert.DoesNotContain("Cannot open database", result.Error);
        Assert.DoesNotContain("   at ", result.Error);   // a message, not a stack trace
        Assert.False(Directory.Exists(created), $"{name} created {created}");
        Assert.Equal(["grid.yaml"], Directory.GetFileSystemEntries(_scratch.FullName).Select(Path.GetFileName));
        Assert.Equal(storeFiles, Directory.GetFiles(store.Directory, "*", SearchOption.AllDirectories).Select(File.GetLastWriteTimeUtc));
    }

    /// <summary>The console wraps long lines: compare messages with every run of white space as one space.</summary>
    private static string Flat(string text) => Regex.Replace(text, @"\s+", " ");

    public void Dispose() => _scratch.Delete(recursive: true);
}
