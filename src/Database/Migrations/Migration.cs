using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Orchestrator.Database.Migrations;

/// <summary>
/// One schema change: a file <c>Migrations/NNNN_name.sql</c> embedded in this assembly, applied
/// once per database in the order of its <see cref="Version"/> and never edited afterwards (its
/// <see cref="Checksum"/> is recorded and checked at every open).
/// </summary>
/// <remarks>
/// Versions group by owner: 0001-0099 results and the run queue (this project), 0100-0199 the
/// cluster membership tables (src/Clustering). Any embedded file is picked up by its number, so
/// adding a migration is adding a file.
/// </remarks>
/// <param name="Version">The number the file name starts with.</param>
/// <param name="Name">The rest of the file name, without extension.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
public sealed partial record Migration(int Version, string Name, string Sql)
{
    /// <summary>The file name, <c>NNNN_name.sql</c>: how errors and <c>schema_migrations</c> name it.</summary>
    public string FileName => $"{Version:D4}_{Name}.sql";

    /// <summary>SHA-256 of the text with line ends normalised to LF (so a CRLF checkout does not change it), hex.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    // Lazy rather than a static initialiser: a misnamed file then surfaces as its own exception, not a TypeInitializationException.
    private static readonly Lazy<IReadOnlyList<Migration>> embedded = new(() => Load(typeof(Migration).Assembly));

    /// <summary>Every migration embedded in this assembly, by ascending version.</summary>
    /// <exception cref="InvalidOperationException">A file is misnamed or two share a version; the message names them.</exception>
    public static IReadOnlyList<Migration> Embedded => embedded.Value;

    private static List<Migration> Load(Assembly assembly)
    {
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith("Migrations/", StringComparison.Ordinal)))
        {
            var file = resource["Migrations/".Length..];
            var match = FileNamePattern().Match(file);
            if (!match.Success)
                throw new InvalidOperationException($"Migration file '{file}' is misnamed: migrations are named NNNN_name.sql (four digits, then letters, digits or underscores).");
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value, reader.ReadToEnd()));
        }
        if (migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1) is { } clash)
            throw new InvalidOperationException($"Migrations {string.Join(" and ", clash.Select(m => m.FileName))} share version {clash.Key}: each needs a number of its own.");
        return migrations.OrderBy(m => m.Version).ToList();
    }

    [GeneratedRegex(@"^(\d{4})_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
