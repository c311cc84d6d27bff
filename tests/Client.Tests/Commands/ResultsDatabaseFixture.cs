using Npgsql;
using Orchestrator.Database;
using Orchestrator.Models.Training;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// A private PostgreSQL server in a temporary folder with one fresh database, filled through the
/// real queue API (submit, lease, start, complete) with results whose metrics come from
/// <see cref="Logits.Evaluate"/>; the results are kept here for the tests to recompute every score.
/// </summary>
/// <remarks>
/// Sweeps: <see cref="PaperSweep"/> (9 configurations x 3 folds x 2 repeats, one combination, one
/// configuration with non-default settings, linear:F collapsed in repeat 1); <see cref="HostileSweep"/>
/// (a name full of LaTeX and Markdown syntax, one run it shares with the first); <see cref="WaitingSweep"/>
/// (3 runs: 2 queued, 1 running).
/// </remarks>
public sealed class ResultsDatabaseFixture : IAsyncLifetime
{
    public const string Store = "store-results";
    public const string Coattention = "coattention:T+F";
    public const string Late = "late:T+F";
    public const string Variant = "late:T+F[lr=0.0001,width=64]";
    public const string HostileName = @"Ab & 50% $x_1$ #2 {a}~^\ | <b>";
    public const int Folds = 3;
    public const int Repeats = 2;
    private const int Classes = 4;
    private const int Utterances = 30;

    public static readonly string[] PaperKeys =
    [
        "linear:T", "linear:F", "transformer:F", Coattention, Late, "late:T+F+P+S", "coattention:T+F+S+W", "concat:T+F", Variant,
    ];

    private readonly string directory = Directory.CreateTempSubdirectory("orchestrator-results-tests-").FullName;
    private EmbeddedPostgres server = null!;

    /// <summary>The connection string of the filled database: what the tests pass as --database.</summary>
    public string Database { get; private set; } = "";

    public long PaperSweep { get; private set; }

    public long HostileSweep { get; private set; }

    public long WaitingSweep { get; private set; }

    /// <summary>Every recorded result, by configuration, fold and repeat.</summary>
    public Dictionary<(string Key, int Fold, int Repeat), RunResult> Results { get; } = [];

    public async Task InitializeAsync()
    {
        server = await EmbeddedPostgres.StartAsync(directory);
        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE results_tests", connection);
            await create.ExecuteNonQueryAsync();
        }
        Database = server.ConnectionStringFor("results_tests");

        await using var database = await OrchestratorDatabase.OpenAsync(Database);
        var queue = new RunQueue(database.DataSource);
        PaperSweep = (await queue.SubmitSweepAsync(Sweep("paper-like", PaperKeys, Folds, Repeats, [(Coattention, Late)]))).SweepId;
        while (await queue.LeaseAsync("worker", 8, TimeSpan.FromMinutes(5)) is { Count: > 0 } leased)
            foreach (var run in leased)
            {
                Assert.True(await queue.StartAsync(run.RunId, "worker"));
                var result = Make(run.ConfigurationKey, run.Fold, run.Repeat);
                Assert.True(await queue.CompleteAsync(run.RunId, "worker", result));
                Results[(run.ConfigurationKey, run.Fold, run.Repeat)] = result;
            }
        HostileSweep = (await queue.SubmitSweepAsync(Sweep(HostileName, ["linear:T"], folds: 1, repeats: 1, []))).SweepId;
        WaitingSweep = (await queue.SubmitSweepAsync(Sweep("waiting", ["linear:W"], Folds, repeats: 1, []))).SweepId;
        var taken = Assert.Single(await queue.LeaseAsync("worker", 1, TimeSpan.FromMinutes(5)));
        Assert.True(await queue.StartAsync(taken.RunId, "worker"));
    }

    /// <summary>
    /// A run of <paramref name="key"/>: seeded random logits, the true class favoured in a share of
    /// utterances that depends on the configuration, so configurations score apart. Every run of a
    /// fold tests the same utterances with the same labels, so early and late runs combine.
    /// </summary>
    private static RunResult Make(string key, int fold, int repeat)
    {
        var seed = RunSeed.ForRun(key, fold, repeat).Value;
        var random = new Random((int)seed);
        var skill = 0.3 + key.Length % 5 * 0.1;
        var logits = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Utterances; i++)
        {
            var id = $"Ses0{fold}F_impro01_{i:D4}";
            var label = (i * 7 + fold) % Classes;
            var row = Enumerable.Range(0, Classes).Select(_ => random.NextSingle() * 2 - 1).ToArray();
            if (random.NextDouble() < skill) row[label] += 1.5f;
            if (key == "linear:F" && repeat == 1) row[3] = -10; // never predicts class 3: a collapsed run
            logits[id] = row;
            labels[id] = label;
        }
        return new RunResult(key, fold, repeat, seed, Logits.Evaluate(logits, labels), EpochsRun: 3, BestEpoch: 2, ValidationUnweightedAccuracy: 0.5,
            WallTimeSeconds: 5 + random.NextDouble(), TrainingSamplesPerSecond: 900, logits, labels, [$"Ses0{fold % 5 + 1}M_script02_0001"],
            [new EpochReport(1, 3, 1.3, 0.4, false, 900), new EpochReport(2, 3, 1.1, 0.5, true, 900), new EpochReport(3, 3, 1.0, 0.45, false, 900)],
            new Dictionary<string, float[]>(StringComparer.Ordinal) { ["weighting.text"] = [0.5f, 0.5f] });
    }

    private static SweepSubmission Sweep(string name, IReadOnlyList<string> keys, int folds, int repeats, IReadOnlyList<(string, string)> combinations) =>
        new(name, Store, $"/data/stores/{Store}", """{"encoders": "builtin"}""", $"name: {name}\n", repeats, Priority: 0,
            Enumerable.Range(1, folds).ToList(), keys.Select(Configuration).ToList(), combinations);

    /// <summary>The configuration row of a key, as the grid reader makes it (the settings' JSON is not read by the views).</summary>
    private static ConfigurationRow Configuration(string key)
    {
        var configuration = ModelConfiguration.ParseKey(key);
        var colon = key.IndexOf(':');
        var bracket = key.IndexOf('[');
        return new ConfigurationRow(configuration.Key, key[..colon], bracket < 0 ? key[(colon + 1)..] : key[(colon + 1)..bracket], bracket < 0 ? "{}" : """{"lr": 0.0001, "width": 64}""");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await server.StopAsync();
        Directory.Delete(directory, recursive: true);
    }
}
