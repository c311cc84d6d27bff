using System.Diagnostics;
using Npgsql;
using Orchestrator.Database;
using Xunit.Abstractions;
using static Orchestrator.Reliability.Tests.FaultReport;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// A full disk where a worker writes. Its results and run logs go to PostgreSQL, its own log to
/// stdout and stderr (a file, where a deployment redirects them): so either the log's disk fills, or the
/// database's while results are written. The sweep completes, every run recorded exactly once.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class DiskFaultTests(ClusterFixture fixture, ITestOutputHelper output)
{
    /// <summary>Every write to it fails with ENOSPC, as to a full disk: no root, nothing to fill or clean up.</summary>
    private const string FullDevice = "/dev/full";

    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_worker_whose_log_disk_is_full_leases_trains_and_records_every_run_once_and_stops_cleanly()
    {
        await using var cluster = await TestCluster.CreateAsync(fixture, output);
        string[] keys = ["linear:T", "linear:F"];
        int[] folds = [1, 2, 3, 4];
        var results = fixture.NewFolder("log-disk-full");
        ScriptedRuns.Prepare(results, fixture.Store, keys, folds);
        var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("log-disk-full", fixture.Store, keys, folds));
        var startedAt = await cluster.NowAsync();

        // Real run processes (their output is a pipe to the worker, not the full disk); the worker logs every epoch, result and lease.
        var worker = await cluster.Worker("worker-full", 4, ScriptedRuns.Worker(results), output: FullDevice)();
        // The process starts as `sh -c 'exec ... >/dev/full'`: its outputs are the pipes it was given until the shell gets to the exec.
        (string?, string?) Outputs() => (new FileInfo($"/proc/{worker.Id}/fd/1").LinkTarget, new FileInfo($"/proc/{worker.Id}/fd/2").LinkTarget);
        await cluster.WaitUntilAsync(() => Task.FromResult(Outputs() == (FullDevice, FullDevice)), $"the worker's stdout and stderr are {FullDevice}", TimeSpan.FromSeconds(20));
        await cluster.WaitUntilAsync(async () =>
        {
            if (worker.HasExited) Assert.Fail($"worker-full exited (code {await worker.WaitForExitAsync(TimeSpan.FromSeconds(5))}) with its log disk full");
            return (await cluster.Queue.GetSweepAsync(sweep.SweepId))?.State == SweepStates.Completed;
        }, $"sweep {sweep.SweepId} completes on the worker whose log disk is full", TimeSpan.FromSeconds(120));
        var completed = (await cluster.Queue.GetSweepAsync(sweep.SweepId))!.FinishedAt!.Value;
        var stoppedAt = await cluster.NowAsync();
        worker.Terminate();
        var exitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(45));
        var exited = (await cluster.NowAsync() - stoppedAt).TotalSeconds;

        var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
        ledger.AssertExactlyOnce(8);
        var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
        Assert.All(runs, r => Assert.Equal(("worker-full", 1), (r.Worker, r.Attempts)));
        Add(new Row("a worker's log disk full", $"the worker's stdout and stderr on `{FullDevice}` (every write fails with ENOSPC) from its start; its only worker (4 slots), run processes a script standing in for `orchestrator train`",
            8, ledger, $"nothing to recover: the sweep completed {S((completed - startedAt).TotalSeconds)} after the worker started, its console log dropped; it exited with code {exitCode} {S(exited)} after SIGTERM"));
        // A graceful stop still hands back and exits as usual: no write of its log may throw on the way out.
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task The_database_disk_full_while_results_are_written_workers_retry_and_record_every_run_once_when_space_returns()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Fail("This test mounts a tmpfs for the database's tables (a small disk to fill) and needs root; run it as root (CI does).");
        var tablespace = $"disk_full_{Guid.NewGuid():N}";
        var disk = Directory.CreateTempSubdirectory("orchestrator-disk-full-");
        string? database = null;
        try
        {
            Run("mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", disk.FullName);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            disk.Delete();
            Assert.Fail($"This test needs to mount a tmpfs (root, and a container allowed to mount): {e.Message}");
        }
        try
        {
            // The server runs as postgres when the tests run as root (ServerAccount): the tablespace must be its.
            Run("chown", "postgres:", disk.FullName);
            await using var cluster = await TestCluster.CreateAsync(fixture, output);
            database = new NpgsqlConnectionStringBuilder(cluster.Database).Database!;
            await ExecuteAsync(fixture.Server.ConnectionString, $"CREATE TABLESPACE {tablespace} LOCATION '{disk.FullName}'");
            // The tables and indexes only: the catalogs and the WAL stay on the server's disk, so the server
            // refuses writes that need room (53100 disk_full) rather than stopping (a WAL write that fails is a PANIC).
            // Fill factor 10 for the tables a result writes: a small database has room left in its pages, which would
            // take the first results of the full disk without a new page; a big one extends its tables all the time.
            await ExecuteAsync(cluster.Database, $"""
                ALTER TABLE ALL IN TABLESPACE pg_default SET TABLESPACE {tablespace};
                ALTER INDEX ALL IN TABLESPACE pg_default SET TABLESPACE {tablespace};
                ALTER TABLE results SET (fillfactor = 10);
                ALTER TABLE test_logits SET (fillfactor = 10);
                ALTER TABLE epoch_metrics SET (fillfactor = 10);
                """);
            // A lease of a minute outlasts the full disk: runs in flight keep their leases though heartbeats fail.
            var settings = TestCluster.Noop(duration: TimeSpan.FromSeconds(1), lease: TimeSpan.FromMinutes(1));
            var silos = await SiloProcess.StartAllAsync(cluster.Worker("worker-a", 2, settings), cluster.Worker("worker-b", 2, settings));
            var sweep = await cluster.Queue.SubmitSweepAsync(Sweeps.Of("database-disk-full", fixture.Store, ["linear:T", "linear:F", "linear:P", "linear:W"], folds: [1, 2, 3, 4, 5], repeats: 2));
            await cluster.WaitUntilAsync(async () => (await cluster.Queue.RunsAsync(sweep.SweepId)) is var r && r.Count(x => x.State == RunStates.Succeeded) >= 8 && r.Any(x => x.State == RunStates.Running),
                "8 runs finished and others run", TimeSpan.FromSeconds(60));

            var filler = Path.Combine(disk.FullName, "filler");
            var filled = Fill(filler);
            var fullAt = await cluster.NowAsync();
            output.WriteLine($"{filled / 1024} KiB of filler; {new DriveInfo(disk.FullName).AvailableFreeSpace} bytes left");
            await Task.Delay(Hold);
            var recordedWhileFull = (await cluster.Queue.RunsAsync(sweep.SweepId)).Count(r => r.FinishedAt > fullAt);
            File.Delete(filler);
            var freedAt = await cluster.NowAsync();
            await cluster.WaitForCompletionAsync(sweep.SweepId, TimeSpan.FromSeconds(120));

            var ledger = await Ledger.ReadAsync(cluster.Opened.DataSource, sweep.SweepId);
            ledger.AssertExactlyOnce(40);
            // No run leased twice: a result the full disk refused waited for the space, not given up to be trained again after its lease.
            Assert.Equal(40, ledger.Attempts);
            var runs = await cluster.Queue.RunsAsync(sweep.SweepId);
            var firstRecorded = runs.Where(r => r.FinishedAt > freedAt).Min(r => (r.FinishedAt!.Value - freedAt).TotalSeconds);
            var completed = ((await cluster.Queue.GetSweepAsync(sweep.SweepId))!.FinishedAt!.Value - freedAt).TotalSeconds;
            // The workers met the full disk (the server refused their writes) and waited it out.
            var refused = silos.Sum(s => s.Log.Count(l => l.Contains("53100", StringComparison.Ordinal)));
            Assert.True(refused > 0, "no worker had a write refused with 53100 (disk_full): the test filled nothing the workers wrote to");
            Assert.All(silos, s => Assert.False(s.HasExited, $"{s.Name} exited"));
            Add(new Row("the database's disk full while results are written", $"the test database's tables on an 8 MiB tmpfs (its own tablespace; catalogs and WAL on the server's disk), filled with runs in flight and held full {Hold.TotalSeconds:0} s; 2 workers (2 slots each), no-op runs of 1 s, lease 60 s",
                40, ledger, $"the workers logged {refused} writes refused (53100 disk_full), each retried; {recordedWhileFull} run(s) recorded while full (a page with room left); first result {S(firstRecorded)} after the space returned, sweep completed {S(completed)} after it; no silo exited"));
            // Retries back off to 10 s at most (RunWorker.MaxRetryDelay).
            Assert.InRange(firstRecorded, 0, 15);
        }
        finally
        {
            await ReleaseAsync(database, tablespace, disk);
        }
    }

    /// <summary>Writes <paramref name="path"/> until the disk refuses (ENOSPC), down to its last page; the bytes written.</summary>
    private static long Fill(string path)
    {
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[1 << 20];
        var written = 0L;
        // Big blocks while they fit, then pages: a tmpfs allocates by the page, and one free page would take a table's next one.
        for (var size = block.Length; size >= 4096; size /= 16)
            while (true)
            {
                try
                {
                    file.Write(block, 0, size);
                    written += size;
                }
                catch (IOException)
                {
                    break;
                }
            }
        return written;
    }

    /// <summary>Drops what lives on the tmpfs, then unmounts it: each step even if one before failed, the first failure rethrown.</summary>
    private async Task ReleaseAsync(string? database, string tablespace, DirectoryInfo disk)
    {
        NpgsqlConnection.ClearAllPools();
        var failures = new List<Exception>();
        async Task Step(Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception e)
            {
                output.WriteLine($"cleanup: {e.Message}");
                failures.Add(e);
            }
        }
        await Step(() =>
        {
            File.Delete(Path.Combine(disk.FullName, "filler"));
            return Task.CompletedTask;
        });
        if (database is not null) await Step(() => ExecuteAsync(fixture.Server.ConnectionString, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)"));
        await Step(() => ExecuteAsync(fixture.Server.ConnectionString, $"DROP TABLESPACE IF EXISTS {tablespace}"));
        await Step(() =>
        {
            try
            {
                Run("umount", disk.FullName);
            }
            catch (InvalidOperationException)
            {
                // Busy (a server process still holds a file of it): detached now, freed once closed, never left mounted.
                Run("umount", "--lazy", disk.FullName);
                throw;
            }
            finally
            {
                if (!Directory.EnumerateFileSystemEntries(disk.FullName).Any()) disk.Delete();
            }
            return Task.CompletedTask;
        });
        if (failures.Count > 0) throw failures[0];
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30))) process.Kill();
        if (!process.HasExited || process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {error.Result}");
    }
}
