using System.Text.RegularExpressions;

namespace Orchestrator.Deploy.Tests;

/// <summary>One line of deploy/metrics.txt: <c>NAME TYPE LABELS -- meaning</c>.</summary>
public sealed record MetricEntry(string Name, string Type, IReadOnlyList<string> Labels, string Meaning, int Line);

/// <summary>deploy/metrics.txt: the metric names dashboards and alerts may query.</summary>
public sealed partial class MetricsCatalog
{
    public static readonly string[] Types = ["counter", "gauge", "histogram"];

    /// <summary>Series Prometheus makes itself, which no silo exports.</summary>
    public static readonly string[] PrometheusBuiltIns = ["up", "scrape_duration_seconds", "scrape_samples_scraped"];

    private MetricsCatalog(IReadOnlyList<MetricEntry> entries, IReadOnlyList<string> problems) => (Entries, Problems) = (entries, problems);

    public IReadOnlyList<MetricEntry> Entries { get; }

    /// <summary>Lines that do not follow the format, naming their line.</summary>
    public IReadOnlyList<string> Problems { get; }

    public static MetricsCatalog Parse(string text)
    {
        var entries = new List<MetricEntry>();
        var problems = new List<string>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = EntryPattern().Match(line);
            if (!match.Success) { problems.Add($"line {i + 1}: not 'NAME TYPE LABELS -- meaning': {line}"); continue; }
            var (name, type) = (match.Groups["name"].Value, match.Groups["type"].Value);
            var labels = match.Groups["labels"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries);
            if (!Types.Contains(type)) problems.Add($"line {i + 1}: {name}: type '{type}' is not one of {string.Join(", ", Types)}");
            if (!name.StartsWith("orchestrator_")) problems.Add($"line {i + 1}: {name} does not start with orchestrator_");
            if (type == "counter" != name.EndsWith("_total")) problems.Add($"line {i + 1}: {name}: counters, and only counters, end in _total");
            if (type == "histogram" && HistogramSuffix().IsMatch(name)) problems.Add($"line {i + 1}: {name}: a histogram is listed by its base name");
            if (labels.Contains("le")) problems.Add($"line {i + 1}: {name}: 'le' is the histogram's own label");
            if (entries.Any(e => e.Name == name)) problems.Add($"line {i + 1}: {name} is listed twice");
            entries.Add(new MetricEntry(name, type, labels, match.Groups["meaning"].Value.Trim(), i + 1));
        }
        return new MetricsCatalog(entries, problems);
    }

    public static MetricsCatalog Load() => Parse(Repo.Read("deploy", "metrics.txt"));

    /// <summary>The entry a queried series name belongs to (a histogram's _bucket, _sum, _count included), or null.</summary>
    public MetricEntry? Resolve(string series)
    {
        if (Entries.FirstOrDefault(e => e.Name == series) is { } exact) return exact;
        var suffix = HistogramSuffix().Match(series);
        return suffix.Success ? Entries.FirstOrDefault(e => e.Type == "histogram" && e.Name == series[..suffix.Index]) : null;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\s+(?<type>\S+)\s+(?<labels>[a-z_,]*)\s*--\s*(?<meaning>\S.*)$")]
    private static partial Regex EntryPattern();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSuffix();
}

/// <summary>Enough of PromQL to find the metric names an expression reads and the functions it applies to them.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
    [
        "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset",
        "inf", "nan", "atan2",
    ];

    /// <summary>The metric names <paramref name="expression"/> selects.</summary>
    public static IReadOnlyList<string> MetricNames(string expression)
    {
        var text = Clean(expression);
        var names = new List<string>();
        foreach (Match m in Identifier().Matches(text))
        {
            var name = m.Value;
            var after = text[(m.Index + m.Length)..].TrimStart();
            if (after.StartsWith('(')) continue;                                  // a function or aggregation
            if (Keywords.Contains(name.ToLowerInvariant())) continue;
            names.Add(name);
        }
        return names.Distinct().ToList();
    }

    /// <summary>(function, metric) for every rate-like function applied directly to a selector: rate(x[5m]).</summary>
    public static IEnumerable<(string Function, string Metric)> RangeFunctionArguments(string expression)
    {
        foreach (Match m in RangeFunction().Matches(Clean(expression, keepRanges: true)))
            yield return (m.Groups["f"].Value, m.Groups["m"].Value);
    }

    /// <summary>
    /// Removes what is not a metric name: strings, label matchers {...}, range and subquery brackets,
    /// the label lists of by/without/on/ignoring/group_left/group_right, Grafana variables, numbers and durations.
    /// </summary>
    private static string Clean(string expression, bool keepRanges = false)
    {
        var text = Strings().Replace(expression, "\"\"");
        text = Matchers().Replace(text, "");
        if (!keepRanges) text = Ranges().Replace(text, "");
        text = LabelLists().Replace(text, " ");
        text = Variables().Replace(text, "0");
        text = Numbers().Replace(text, " 0 ");
        return text;
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", RegexOptions.IgnoreCase)]
    private static partial Regex LabelLists();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variables();

    [GeneratedRegex(@"(?<![\w:])\d+(\.\d+)?([eE][-+]?\d+)?[smhdwy]?\b")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\b(?<f>rate|irate|increase|delta|idelta|deriv)\s*\(\s*(?<m>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*\[")]
    private static partial Regex RangeFunction();
}
