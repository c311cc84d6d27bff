using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Orchestrator.Client.Reports;
using Orchestrator.Database;
using Orchestrator.Models.Training;
using SkiaSharp;
using static Orchestrator.Client.Tests.Commands.ResultsDatabaseFixture;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// <c>orchestrator results --plot DIR --report FILE.html</c> against the private PostgreSQL of
/// <see cref="ResultsDatabaseFixture"/>: every inlined image decoded, the figure files named, the
/// captions' numbers recomputed from the recorded runs, hostile names escaped, figures the sweep has
/// no data for left out with a note, and the page rendered by headless Chromium where it is installed.
/// </summary>
public sealed partial class ResultsReportTests(ResultsDatabaseFixture fixture) : IClassFixture<ResultsDatabaseFixture>, IDisposable
{
    private const string NoEpochsStore = "store-no-epochs";

    // Table 2, UA bars, paired differences, then per configuration a confusion matrix and a learning curve, then weighting.text.
    private static readonly int PaperFigures = 3 + 2 * PaperKeys.Length + 1;

    private readonly string directory = Directory.CreateTempSubdirectory("orchestrator-report-tests-").FullName;

    [Fact]
    public async Task Report_inlines_every_figure_as_a_PNG_data_URI_and_holds_the_score_tables()
    {
        var file = Path.Combine(directory, "paper.html");

        await Run($"{fixture.PaperSweep}", "--report", file);

        var html = File.ReadAllText(file);
        var images = Images(html);
        Assert.Equal(PaperFigures, images.Count);
        foreach (var png in images) AssertPng(png);
        Assert.Contains("<table>", html);
        foreach (var key in PaperKeys)
        {
            Assert.Contains($"<td>{WebUtility.HtmlEncode(key)}</td>", html);
            Assert.Contains($"<h3>Confusion: {WebUtility.HtmlEncode(key)}</h3>", html);
        }
        Assert.Contains("Table 2, UA in %", html);
        // Self-contained: nothing fetched, nothing run.
        Assert.DoesNotMatch(@"<(script|link|iframe)\b|\bsrc=""(?!data:image/png;base64,)|url\(", html);
    }

    [Fact]
    public async Task Plot_writes_one_PNG_per_drawn_figure_named_for_what_it_draws()
    {
        var folder = Path.Combine(directory, "figures");

        var result = await Run($"{fixture.PaperSweep}", "--plot", folder);

        var written = Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        string[] expected =
        [
            "table2-heatmap.png", "ua-bars.png", "paired-differences.png", "layer-weights-weighting.text.png",
            .. PaperKeys.Select(k => $"confusion-{ReportFigure.Safe(k)}.png"),
            .. PaperKeys.Select(k => $"learning-{ReportFigure.Safe(k)}-fold1-repeat1.png"),
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), written);
        Assert.Contains("confusion-late_T+F.png", written);
        Assert.Contains("confusion-late_T+F_lr=0.0001_width=64_.png", written);
        foreach (var path in Directory.GetFiles(folder)) AssertPng(File.ReadAllBytes(path));
        Assert.Contains($"Wrote {PaperFigures} figures to {folder}", OneLine(result.Error));
    }

    [Fact]
    public async Task Scores_on_standard_output_are_the_same_with_or_without_figures()
    {
        var plain = await Run($"{fixture.PaperSweep}", "--format", "csv");

        var withReport = await Run($"{fixture.PaperSweep}", "--format", "csv", "--report", Path.Combine(directory, "r.html"), "--plot", Path.Combine(directory, "p"));

        Assert.Equal(plain.Output, withReport.Output);
    }

    [Fact]
    public async Task Compare_draws_the_per_fold_and_repeat_differences_with_their_mean_and_sd()
    {
        var file = Path.Combine(directory, "compare.html");

        await Run($"{fixture.PaperSweep}", "--report", file, "--compare", $"{Late},{Coattention}", "--compare", $"{Variant},{Late}");

        var html = WebUtility.HtmlDecode(File.ReadAllText(file));
        foreach (var (a, b) in new[] { (Late, Coattention), (Variant, Late) })
        {
            var differences = fixture.Results.Values.Where(r => r.ConfigurationKey == a)
                .Select(r => 100 * (r.Metrics.UnweightedAccuracy - fixture.Results[(b, r.Fold, r.Repeat)].Metrics.UnweightedAccuracy)).ToList();
            Assert.Equal(Folds * Repeats, differences.Count);
            var mean = differences.Average();
            var sd = Math.Sqrt(differences.Sum(d => (d - mean) * (d - mean)) / (differences.Count - 1));
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{a} − {b} {mean:0.00} ± {sd:0.00} (n = {Folds * Repeats})"), html);
        }
    }

    [Fact]
    public async Task Compare_with_a_configuration_the_sweep_lacks_fails_and_writes_nothing()
    {
        var file = Path.Combine(directory, "bad.html");

        var result = await CliRunner.RunAsync("results", $"{fixture.PaperSweep}", "--report", file, "--compare", "late:T+F,late:T+W", "--database", fixture.Database);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("The sweep has no configuration late:T+W", OneLine(result.Error));
        Assert.Equal("", result.Output);
        Assert.False(File.Exists(file));
    }

    [Fact]
    public async Task Curves_draws_the_named_run_and_notes_one_that_did_not_succeed()
    {
        var folder = Path.Combine(directory, "curves");
        var file = Path.Combine(directory, "curves.html");

        await Run($"{fixture.PaperSweep}", "--plot", folder, "--report", file, "--curves", $"{Late}/2/2", "--curves", $"{Late}/9/1");

        Assert.Equal(["learning-late_T+F-fold2-repeat2.png"], Directory.GetFiles(folder, "learning-*").Select(Path.GetFileName));
        Assert.Contains($"Left out: {Late} fold 9 repeat 1: no succeeded run.", WebUtility.HtmlDecode(File.ReadAllText(file)));
    }

    [Fact]
    public async Task A_hostile_sweep_name_is_escaped_and_the_figures_it_lacks_data_for_are_notes()
    {
        var file = Path.Combine(directory, "hostile.html");

        await Run($"{fixture.HostileSweep}", "--report", file);

        var html = File.ReadAllText(file);
        Assert.Contains(WebUtility.HtmlEncode(HostileName), html);
        Assert.DoesNotContain("<b>", html);
        Assert.Contains("<td>linear:T</td>", html);
        // linear:T only: no Table 2 cell and no pair to compare; bars, its confusion matrix, its learning curve and layer weights drawn.
        Assert.Contains("Left out: the sweep has no Table 2 configuration", html);
        Assert.Contains("Left out: no pair to compare", html);
        var images = Images(html);
        Assert.Equal(4, images.Count);
        foreach (var png in images) AssertPng(png);
    }

    [Fact]
    public async Task Runs_without_epochs_or_layer_weights_leave_those_figures_out_with_a_note()
    {
        var sweep = await SubmitSweepWithoutEpochsAsync();
        var folder = Path.Combine(directory, "no-epochs");
        var file = Path.Combine(directory, "no-epochs.html");

        await Run($"{sweep}", "--plot", folder, "--report", file);

        Assert.Equal(["confusion-coattention_T+F.png", "confusion-late_T+F.png", "paired-differences.png", "table2-heatmap.png", "ua-bars.png"],
            Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var html = WebUtility.HtmlDecode(File.ReadAllText(file));
        Assert.Contains($"Left out: {Coattention} fold 1 repeat 1: no epochs recorded; {Late} fold 1 repeat 1: no epochs recorded.", html);
        Assert.Contains("Left out: no run of the sweep recorded learned layer weights.", html);
        Assert.Equal(5, Images(html).Count);
    }

    [Fact]
    public async Task Chromium_renders_the_report_with_every_image_loaded()
    {
        if (Chromium() is not { } chromium) return; // scripts/test-packages.txt installs it; xunit 2 has no runtime skip.
        var file = Path.Combine(directory, "browser.html");
        await Run($"{fixture.PaperSweep}", "--report", file);
        // A copy with a script that counts, once the page has loaded, the images the browser decoded.
        var counted = Path.Combine(directory, "counted.html");
        File.WriteAllText(counted, File.ReadAllText(file).Replace("</body>", """
            <script>window.addEventListener('load', () => {
              const images = [...document.images];
              document.title = 'images ' + images.filter(i => i.complete && i.naturalWidth > 0).length + ' of ' + images.length;
            });</script>
            </body>
            """));

        var dom = RunChromium(chromium, counted);

        Assert.Contains($"<title>images {PaperFigures} of {PaperFigures}</title>", dom);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private async Task<CliRunner.Result> Run(params string[] args)
    {
        var result = await CliRunner.RunAsync(["results", .. args, "--database", fixture.Database]);
        Assert.True(result.ExitCode == 0, result.Error);
        return result;
    }

    /// <summary>The PNG bytes of every &lt;img&gt;, failing on any src that is not a base64 PNG data URI.</summary>
    private static List<byte[]> Images(string html) =>
        ImageTag().Matches(html).Select(m =>
        {
            var src = SourceAttribute().Match(m.Value);
            Assert.True(src.Success, $"An image without a data:image/png;base64 src: {m.Value[..Math.Min(120, m.Value.Length)]}");
            return Convert.FromBase64String(src.Groups[1].Value);
        }).ToList();

    private static void AssertPng(byte[] png)
    {
        Assert.True(png.Length > 4000, $"A PNG of {png.Length} bytes: too small to hold a figure.");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.InRange(bitmap.Width, 300, 4000);
        Assert.InRange(bitmap.Height, 150, 4000);
        // Not one flat colour: something was drawn.
        var colours = new HashSet<SKColor>();
        for (var y = 0; y < bitmap.Height; y += 7)
            for (var x = 0; x < bitmap.Width; x += 7)
                colours.Add(bitmap.GetPixel(x, y));
        Assert.True(colours.Count > 10, $"The image has {colours.Count} colours.");
    }

    /// <summary>A sweep of coattention:T+F and late:T+F on a store of its own whose 4 runs recorded neither epochs nor layer weights.</summary>
    private async Task<long> SubmitSweepWithoutEpochsAsync()
    {
        await using var database = await OrchestratorDatabase.OpenAsync(fixture.Database);
        var queue = new RunQueue(database.DataSource);
        string[] keys = [Coattention, Late];
        var configurations = keys.Select(k => new ConfigurationRow(k, k[..k.IndexOf(':')], k[(k.IndexOf(':') + 1)..], "{}")).ToList();
        var sweep = (await queue.SubmitSweepAsync(new SweepSubmission("no epochs", NoEpochsStore, $"/data/stores/{NoEpochsStore}", "{}", "name: no epochs\n",
            Repeats: 1, Priority: 10, [1, 2], configurations, []))).SweepId;
        // The higher priority comes first: the fixture's waiting sweep keeps its queued runs.
        var leased = await queue.LeaseAsync("worker", 4, TimeSpan.FromMinutes(5));
        Assert.Equal(4, leased.Count);
        foreach (var run in leased)
        {
            Assert.Equal(NoEpochsStore, run.StoreFingerprint);
            Assert.True(await queue.StartAsync(run.RunId, "worker"));
            Assert.True(await queue.CompleteAsync(run.RunId, "worker", WithoutEpochs(run.ConfigurationKey, run.Fold, run.Repeat)));
        }
        return sweep;
    }

    private static RunResult WithoutEpochs(string key, int fold, int repeat)
    {
        var random = new Random(fold * 10 + repeat + key.Length);
        var logits = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            var id = $"Ses0{fold}M_impro02_{i:D4}";
            labels[id] = i % 4;
            logits[id] = [.. Enumerable.Range(0, 4).Select(c => random.NextSingle() + (c == i % 4 ? 0.8f : 0))];
        }
        return new RunResult(key, fold, repeat, RunSeed.ForRun(key, fold, repeat).Value, Logits.Evaluate(logits, labels), EpochsRun: 0, BestEpoch: 0,
            ValidationUnweightedAccuracy: 0.5, WallTimeSeconds: 1, TrainingSamplesPerSecond: 100, logits, labels, [], [], new Dictionary<string, float[]>());
    }

    private static string? Chromium() =>
        new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    private string RunChromium(string chromium, string page)
    {
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            ArgumentList =
            {
                "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage", $"--user-data-dir={Path.Combine(directory, "chromium-profile")}",
                "--virtual-time-budget=5000", "--dump-dom", new Uri(page).AbsoluteUri,
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"chromium did not finish in 90 s: {error.Result}");
        }
        Assert.True(process.ExitCode == 0, $"chromium exited with {process.ExitCode}: {error.Result}");
        return output.Result;
    }

    private static string OneLine(string text) => Regex.Replace(text, @"\s+", " ");

    [GeneratedRegex("<img\\b[^>]*>")]
    private static partial Regex ImageTag();

    [GeneratedRegex("\\bsrc=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex SourceAttribute();
}
