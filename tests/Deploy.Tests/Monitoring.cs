using System.Text.Json;

namespace Orchestrator.Deploy.Tests;

/// <summary>The PromQL that dashboards and alert rules run, with where each expression lives.</summary>
public static class Monitoring
{
    public sealed record Query(string Where, string Expression);

    public static string DashboardsFolder => Repo.PathOf("deploy", "grafana", "dashboards");

    public static string AlertsFile => Repo.PathOf("deploy", "prometheus", "alerts.yml");

    /// <summary>Every expression of a Grafana dashboard: panel targets (rows' nested panels included) and query variables.</summary>
    public static List<Query> DashboardQueries(string file)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var queries = new List<Query>();
        var name = Path.GetFileName(file);
        void Panels(JsonElement panels)
        {
            foreach (var panel in panels.EnumerateArray())
            {
                var title = panel.TryGetProperty("title", out var t) ? t.GetString() : "?";
                if (panel.TryGetProperty("targets", out var targets))
                    foreach (var target in targets.EnumerateArray())
                        if (target.TryGetProperty("expr", out var expr)) queries.Add(new($"{name} panel '{title}'", expr.GetString()!));
                if (panel.TryGetProperty("panels", out var nested)) Panels(nested);
            }
        }
        Panels(json.RootElement.GetProperty("panels"));
        if (json.RootElement.TryGetProperty("templating", out var templating))
            foreach (var variable in templating.GetProperty("list").EnumerateArray())
                if (variable.GetProperty("type").GetString() == "query")
                {
                    var q = variable.GetProperty("query");
                    var text = q.ValueKind == JsonValueKind.String ? q.GetString()! : q.GetProperty("query").GetString()!;
                    queries.Add(new($"{name} variable '{variable.GetProperty("name").GetString()}'", LabelValuesSelector(text)));
                }
        return queries;
    }

    /// <summary>label_values(metric{...}, label) selects metric; other variable queries are PromQL.</summary>
    private static string LabelValuesSelector(string query)
    {
        if (!query.StartsWith("label_values(")) return query;
        var inner = query["label_values(".Length..^1];
        var comma = inner.LastIndexOf(',');
        return comma < 0 ? "" : inner[..comma];
    }

    public static List<Query> AlertQueries(string file) =>
        Yaml.LoadMap(File.ReadAllText(file)).MapsAt("groups")
            .SelectMany(g => g.MapsAt("rules"))
            .Select(r => new Query($"{Path.GetFileName(file)} {r.StringAt("alert") ?? r.StringAt("record")}", r.StringAt("expr") ?? ""))
            .ToList();

    public static List<Query> AllQueries(string dashboardsFolder, string alertsFile) =>
        [.. Directory.GetFiles(dashboardsFolder, "*.json").Order(StringComparer.Ordinal).SelectMany(DashboardQueries), .. AlertQueries(alertsFile)];

    /// <summary>Metric names queried but not in the catalog, and functions that do not fit a metric's type.</summary>
    public static List<string> Problems(MetricsCatalog catalog, IEnumerable<Query> queries)
    {
        var problems = new List<string>();
        foreach (var q in queries)
        {
            if (string.IsNullOrWhiteSpace(q.Expression)) { problems.Add($"{q.Where}: empty expression"); continue; }
            foreach (var name in PromQl.MetricNames(q.Expression))
                if (catalog.Resolve(name) is null && !MetricsCatalog.PrometheusBuiltIns.Contains(name))
                    problems.Add($"{q.Where}: {name} is not in deploy/metrics.txt");
            foreach (var (function, metric) in PromQl.RangeFunctionArguments(q.Expression))
                if (catalog.Resolve(metric) is { } entry && entry.Type == "gauge" && function is "rate" or "irate" or "increase")
                    problems.Add($"{q.Where}: {function}() of the gauge {metric} (rate and increase are for counters)");
            if (q.Expression.Contains("histogram_quantile"))
                foreach (var name in PromQl.MetricNames(q.Expression).Where(n => catalog.Resolve(n)?.Type == "histogram"))
                    if (!name.EndsWith("_bucket") && !name.EndsWith("_sum") && !name.EndsWith("_count"))
                        problems.Add($"{q.Where}: {name} is a histogram: query its _bucket series");
        }
        return problems;
    }
}
