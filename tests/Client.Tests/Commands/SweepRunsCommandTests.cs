using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orchestrator.Database;
using Orchestrator.Models.Training;
using Orchestrator.Silo.Hosting;

namespace Orchestrator.Client.Tests.Commands;

/// <summary>
/// <c>sweep runs</c> and <c>sweep run</c> through a real cluster: a private PostgreSQL filled through
/// the run queue (runs succeeded, failed for good with a reason and log tail, training at an epoch,
/// leased) and a coordinator silo in the test process that the CLI joins as a client.
/// </summary>
public sealed class SweepRunsCommandTests(SweepRunsCommandTests.Cluster cluster) : IClassFixture<SweepRunsCommandTests.Cluster>
{
    [Fact]
    public async Task Json_lists_every_run_by_configuration_repeat_and_fold_as_the_workers_left_it()
    {
        var runs = await Json($"{cluster.Sweep}");

        Assert.Equal([("linear:T", 1, 1), ("linear:T", 2, 1), ("linear:T", 3, 1), ("late:T+F", 1, 1), ("late:T+F", 2, 1), ("late:T+F", 3, 1)],
            runs.Select(r => (r.GetProperty("configuration").GetString(), r.GetProperty("fold").GetInt32(), r.GetProperty("repeat").GetInt32())));
        Assert.Equal(["succeeded", "succeeded", "succeeded", "failed", "running", "leased"], runs.Select(r => r.GetProperty("state").GetString()));
        foreach (var run in runs.Take(3))
            Assert.Equal(cluster.Recorded[run.GetProperty("id").GetInt64()].Metrics.UnweightedAccuracy, run.GetProperty("ua").GetDouble());
        var failed = runs[3];
        Assert.Equal((1, 1, "worker-1", Cluster.Error, Cluster.LogTail), (failed.GetProperty("attempt").GetInt32(), failed.GetProperty("max_attempts").GetInt32(),
            failed.GetProperty("worker").GetString(), failed.GetProperty("error").GetString(), failed.GetProperty("log_tail").GetString()));
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("ua").ValueKind);
        Assert.Equal((2, 3, JsonValueKind.Null), (failed.GetProperty("epoch").GetInt32(), runs[4].GetProperty("epoch").GetInt32(), runs[5].GetProperty("epoch").ValueKind));
        Assert.All(runs.Skip(3), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("ua").ValueKind));
    }

    [Fact]
    public async Task Configuration_and_state_select_the_runs_listed()
    {
        var failed = await Json($"{cluster.Sweep}", "--configuration", "late:T+F", "--state", "failed");
        var succeeded = await Json($"{cluster.Sweep}", "--state", "succeeded");

        Assert.Equal(cluster.FailedRun, Assert.Single(failed).GetProperty("id").GetInt64());
        Assert.Equal(cluster.Recorded.Keys.Order(), succeeded.Select(r => r.GetProperty("id").GetInt64()).Order());
    }

    [Fact]
    public async Task The_table_ends_with_each_configurations_UA_and_log_prints_the_failed_attempts_log_tail()
    {
        // As wide as a terminal on a desktop: at 80 columns Spectre wraps every cell of ten columns.
        var plain = await CliRunner.RunAsync(["sweep", "runs", $"{cluster.Sweep}", "--database", cluster.Database], width: 160);
        var withLog = await CliRunner.RunAsync(["sweep", "runs", $"{cluster.Sweep}", "--log", "--database", cluster.Database], width: 160);

        Assert.Equal((0, 0), (plain.ExitCode, withLog.ExitCode));
        var ua = cluster.Recorded.Values.Select(r => 100 * r.Metrics.UnweightedAccuracy).ToList();
        var sd = Math.Sqrt(ua.Sum(u => (u - ua.Average()) * (u - ua.Average())) / (ua.Count - 1));
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"linear:T: UA {ua.Average():0.00} ± {sd:0.00} over 3 of 3 runs"), plain.Output);
        Assert.Contains("late:T+F: UA - over 0 of 3 runs", plain.Output);
        var failedRow = Assert.Single(plain.Output.Split('\n'), l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^│\s+{cluster.FailedRun} │"));
        Assert.Matches($@"│ late:T\+F\s+│\s+1 │\s+1 │ failed\s+│\s+1/1 │ worker-1 │\s+2 │\s+│ {Cluster.Error}", failedRow);
        Assert.DoesNotContain("Traceback", plain.Output);
        Assert.Contains("Traceback: boom", withLog.Output);
    }

    [Fact]
    public async Task Run_prints_one_run_with_its_reason_and_log_tail()
    {
        var result = await CliRunner.RunAsync("sweep", "run", $"{cluster.FailedRun}", "--database", cluster.Database);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("failed", result.Output);
        Assert.Contains("1 of 1", result.Output);
        Assert.Contains(Cluster.Error, result.Output);
        Assert.Contains("Traceback: boom", result.Output);
    }

    [Fact]
    public async Task Run_lists_every_attempt_log_and_attempt_prints_one_whole()
    {
        var run = await CliRunner.RunAsync(["sweep", "run", $"{cluster.FailedRun}", "--database", cluster.Database], width: 160);
        var second = await CliRunner.RunAsync("sweep", "run", $"{cluster.FailedRun}", "--attempt", "2", "--database", cluster.Database);
        var third = await CliRunner.RunAsync("sweep", "run", $"{cluster.FailedRun}", "--attempt", "3", "--database", cluster.Database);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"│ 1 │ 1\s+│ worker-0 │ stopped │ [0-9: -]+ │ 1\s+│ 0\s+│ lease lost", run.Output);
        Assert.Matches($@"│ 2 │ 1\s+│ worker-1 │ failed\s+│ [0-9: -]+ │ 3\s+│ 5\s+│ {Cluster.Error}", run.Output);
        Assert.Contains("log #2 (attempt 1), last 3 of 8 lines", run.Output);
        Assert.Equal((0, "[5 earlier lines left out]\n" + Cluster.FailedLog), (second.ExitCode, second.Output));
        Assert.NotEqual(0, third.ExitCode);
        Assert.Contains("--attempt 3: the run has 2 recorded attempt log(s)", third.Error);
    }

    [Fact]
    public async Task An_unknown_configuration_or_state_fails_with_a_message()
    {
        var configuration = await CliRunner.RunAsync("sweep", "runs", $"{cluster.Sweep}", "--configuration", "linear:W", "--database", cluster.Database);
        var state = await CliRunner.RunAsync("sweep", "runs", $"{cluster.Sweep}", "--state", "done", "--database", cluster.Database);

        Assert.Equal(1, configuration.ExitCode);
        Assert.Contains($"Sweep {cluster.Sweep} has no configuration 'linear:W'.", configuration.Error);
        Assert.NotEqual(0, state.ExitCode);
        Assert.Contains("done", state.Error);
    }

    private async Task<List<JsonElement>> Json(params string[] args)
    {
        var result = await CliRunner.RunAsync(["sweep", "runs", .. args, "--json", "--database", cluster.Database]);
        Assert.True(result.ExitCode == 0, result.Error);
        return JsonDocument.Parse(result.Output).RootElement.EnumerateArray().ToList();
    }

    /// <summary>The private PostgreSQL with one sweep in every run state, and a coordinator silo over it.</summary>
    public sealed class Cluster : IAsyncLifetime
    {
        public const string Error = "process exited with code 1";
        public const string LogTail = "epoch 2\nTraceback: boom";
        public const string FailedLog = "epoch 1\nepoch 2\nTraceback: boom\n";
        private readonly string directory = Directory.CreateTempSubdirectory("orchestrator-sweep-runs-tests-").FullName;
        private EmbeddedPostgres server = null!;
        private IHost silo = null!;

        public string Database => server.ConnectionString;

        public long Sweep { get; private set; }

        public long FailedRun { get; private set; }

        /// <summary>The results recorded, by run id.</summary>
        public Dictionary<long, RunResult> Recorded { get; } = [];

        public async Task InitializeAsync()
        {
            server = await EmbeddedPostgres.StartAsync(directory);
            await using (var database = await OrchestratorDatabase.OpenAsync(Database))
            {
                var queue = new RunQueue(database.DataSource);
                Sweep = (await queue.SubmitSweepAsync(new SweepSubmission("runs", "store-runs", "/data/stores/runs", "", "name: runs\n", Repeats: 1, Priority: 0,
                    [1, 2, 3], [new ConfigurationRow("linear:T", "linear", "T", "{}"), new ConfigurationRow("late:T+F", "late", "T+F", "{}")], [], MaxAttempts: 1))).SweepId;
                // linear:T succeeds on every fold; late:T+F fails on fold 1 (its one attempt), trains fold 2 and has fold 3 leased.
                foreach (var run in (await queue.LeaseAsync("worker-1", 6, TimeSpan.FromMinutes(10))).OrderBy(r => r.ConfigurationKey).ThenBy(r => r.Fold))
                {
                    if (run is { ConfigurationKey: "late:T+F", Fold: 3 }) continue;
                    Assert.True(await queue.StartAsync(run.RunId, "worker-1"));
                    Assert.True(await queue.HeartbeatAsync(run.RunId, "worker-1", epoch: run.Fold + 1, TimeSpan.FromMinutes(10)));
                    if (run.ConfigurationKey == "linear:T")
                    {
                        Recorded[run.RunId] = Result(run);
                        Assert.True(await queue.CompleteAsync(run.RunId, "worker-1", Recorded[run.RunId]));
                    }
                    else if (run.Fold == 1)
                    {
                        // Two attempt logs, as workers record them: one stopped early (a lost lease), then the failure.
                        await queue.RecordRunLogAsync(new RunLog(run.RunId, 1, "worker-0", RunLogOutcomes.Stopped, "lease lost", "epoch 1\n", 0));
                        await queue.RecordRunLogAsync(new RunLog(run.RunId, 1, "worker-1", RunLogOutcomes.Failed, Error, FailedLog, 5));
                        Assert.True(await queue.FailAttemptAsync(run.RunId, "worker-1", Error, LogTail));
                        FailedRun = run.RunId;
                    }
                }
            }
            var builder = await SiloHost.CreateBuilderAsync([], o => (o.Role, o.Database) = (SiloRole.Coordinator, Database));
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            silo = builder.Build();
            await silo.StartAsync();
        }

        private static RunResult Result(LeasedRun run)
        {
            var seed = RunSeed.ForRun(run.ConfigurationKey, run.Fold, run.Repeat).Value;
            var random = new Random((int)seed);
            var logits = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var labels = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < 16; i++)
            {
                var id = $"Ses0{run.Fold}F_impro01_{i:D4}";
                labels[id] = i % 4;
                logits[id] = Enumerable.Range(0, 4).Select(c => random.NextSingle() + (c == i % 4 ? 0.7f : 0f)).ToArray();
            }
            return new RunResult(run.ConfigurationKey, run.Fold, run.Repeat, seed, Logits.Evaluate(logits, labels), EpochsRun: 2, BestEpoch: 1,
                ValidationUnweightedAccuracy: 0.5, WallTimeSeconds: 3, TrainingSamplesPerSecond: 900, logits, labels, ["validation-1"],
                [new EpochReport(1, 2, 1.2, 0.5, true, 900), new EpochReport(2, 2, 1.0, 0.45, false, 900)], new Dictionary<string, float[]>(StringComparer.Ordinal));
        }

        public async Task DisposeAsync()
        {
            await silo.StopAsync();
            silo.Dispose();
            Npgsql.NpgsqlConnection.ClearAllPools();
            await server.StopAsync();
            Directory.Delete(directory, recursive: true);
        }
    }
}
