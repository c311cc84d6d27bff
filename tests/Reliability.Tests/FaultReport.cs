using System.Collections.Concurrent;
using System.Globalization;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// The table of docs/reliability.md, written by the suite itself: one row per fault a test injected,
/// with what was lost (counted in SQL, see <see cref="Ledger"/>) and how long recovery took. Written
/// when the collection ends, to <c>RELIABILITY_REPORT</c> or <c>artifacts/reliability/faults.md</c>,
/// with the date and the machine's load, since every time here depends on it.
/// </summary>
public sealed class FaultReport : IAsyncLifetime
{
    private static readonly ConcurrentQueue<Row> Rows = new();
    private static string _loadAtStart = "";

    /// <param name="Fault">What was done to the cluster.</param>
    /// <param name="Injected">How, and in which state the sweep was.</param>
    /// <param name="Runs">Runs the sweep asked for.</param>
    /// <param name="Lost">The sweep's ledger once it completed: missing, duplicated and half-written runs must all be 0.</param>
    /// <param name="Recovery">The measured recovery time(s).</param>
    public sealed record Row(string Fault, string Injected, int Runs, Ledger Lost, string Recovery);

    public static void Add(Row row) => Rows.Enqueue(row);

    /// <summary>Seconds with two decimals, invariant culture, for the table.</summary>
    public static string S(double seconds) => seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    public Task InitializeAsync()
    {
        _loadAtStart = LoadAverage();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        if (Rows.IsEmpty) return Task.CompletedTask;
        var path = Environment.GetEnvironmentVariable("RELIABILITY_REPORT") is { Length: > 0 } named ? named : Path.Combine(ArtifactsDirectory(), "reliability", "faults.md");
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, Markdown());
        Console.WriteLine(Markdown());
        return Task.CompletedTask;
    }

    public static string Markdown()
    {
        var lines = new List<string>
        {
            $"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, load average (1, 5, 15 min) {_loadAtStart} at the start and {LoadAverage()} at the end.",
            "",
            "| fault | injected | runs | lost | recorded twice | half-written | attempts | recovery |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |",
        };
        lines.AddRange(Rows.Select(r =>
            $"| {r.Fault} | {r.Injected} | {r.Runs} | {r.Lost.Missing + (r.Runs - r.Lost.Runs)} | {r.Lost.Duplicated} | {r.Lost.HalfWritten} | {r.Lost.Attempts} | {r.Recovery} |"));
        return string.Join('\n', lines) + "\n";
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string ArtifactsDirectory()
    {
        // artifacts/bin/Reliability.Tests/<configuration>/ -> artifacts/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return here.Parent?.Parent?.Parent?.FullName ?? Path.GetTempPath();
    }
}

/// <summary>
/// The fault tests: one at a time (each starts a cluster and times its recovery on a small machine),
/// sharing one PostgreSQL server (each test has a database of its own) and the report.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultCollection : ICollectionFixture<ClusterFixture>, ICollectionFixture<FaultReport>
{
    public const string Name = "faults";
}
