using System.Text.RegularExpressions;

namespace Orchestrator.Database.Tests.Security;

/// <summary>
/// Values reach PostgreSQL as bind parameters only: every interpolated string of src/ that holds SQL
/// fills its holes with compile-time constants (shared column lists, state sets) or with one of the few
/// guarded values listed here, each with the reason it cannot be a parameter.
/// </summary>
public sealed partial class SqlTextTests
{
    // Holes that are not constants of the file, and why each is safe; "File.cs:name" holds in that file only.
    private static readonly Dictionary<string, string> Guarded = new()
    {
        ["MembershipRow.Columns"] = "a const column list of MembershipRow",
        ["sweeps"] = "RunQueue.CompleteFinishedSweepsAsync's sub-query: every caller passes a string literal",
        ["quoted"] = "SiloDatabaseRole: a role name matched against ^[a-z_][a-z0-9_]{0,62}$, then double-quoted (role DDL takes no parameters)",
        ["verifier"] = "SiloDatabaseRole: a base64 SCRAM verifier made here, checked to hold no quote",
        ["DatabaseName"] = "EmbeddedPostgres: a const name (CREATE DATABASE takes no parameters)",
        ["DemoView.cs:psql"] = "a psql command line printed for the user to run, never executed here",
        ["DemoView.cs:sweepId"] = "a sweep id (a long) in that printed command line",
    };

    [Fact]
    public void Every_hole_of_an_interpolated_sql_string_in_src_is_a_constant_or_a_guarded_value()
    {
        var offenders = new List<string>();
        var checkedStrings = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "src"), "*.cs", SearchOption.AllDirectories))
        {
            var source = File.ReadAllText(file);
            var constants = Constant().Matches(source).Select(m => m.Groups["name"].Value).ToHashSet();
            foreach (Match literal in Interpolated().Matches(source))
            {
                var text = literal.Groups["raw"].Success ? literal.Groups["raw"].Value : literal.Groups["plain"].Value;
                if (!SqlKeyword().IsMatch(text)) continue;
                checkedStrings++;
                foreach (Match hole in Hole().Matches(text))
                {
                    var name = hole.Groups["name"].Value;
                    if (!constants.Contains(name) && !Guarded.ContainsKey(name) && !Guarded.ContainsKey($"{Path.GetFileName(file)}:{name}"))
                        offenders.Add($"{Path.GetRelativePath(RepositoryRoot(), file)}: {{{name}}} in \"{text.Trim().Split('\n')[0]}...\"");
                }
            }
        }

        Assert.True(checkedStrings >= 10, $"only {checkedStrings} interpolated SQL strings found: the scan is broken");
        Assert.True(offenders.Count == 0, "SQL built from values that are not bind parameters:\n" + string.Join('\n', offenders));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Orchestrator.sln"))) return directory.FullName;
        throw new FileNotFoundException($"No Orchestrator.sln above {AppContext.BaseDirectory}.");
    }

    // $"""...""" (raw, one $) or $"..." (regular); $$ raw strings use {{ }} holes and are not SQL here.
    [GeneratedRegex("""(?<!\$)\$(?:\"\"\"(?<raw>.*?)\"\"\"|"(?<plain>(?:[^"\\\n]|\\.)*)")""", RegexOptions.Singleline)]
    private static partial Regex Interpolated();

    [GeneratedRegex(@"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|GRANT|REVOKE|COPY)\b")]
    private static partial Regex SqlKeyword();

    // {name} or {A.B}, with an optional format; expressions with calls or operators are holes too, named by their text.
    [GeneratedRegex(@"(?<!\{)\{(?<name>[^{}:,]+?)(?:[:,][^{}]*)?\}(?!\})")]
    private static partial Regex Hole();

    [GeneratedRegex(@"\bconst\s+string\s+(?<name>\w+)")]
    private static partial Regex Constant();
}
