using System.Text.Json;

namespace Orchestrator.Deploy.Tests;

/// <summary>deploy/metrics.txt, the Grafana dashboards, the Prometheus configuration and alert rules, the collector.</summary>
public sealed class MonitoringTests(ITestOutputHelper output)
{
    [Fact]
    public void Metrics_txt_follows_its_format_and_names_the_metrics_the_issue_asks_for()
    {
        var catalog = MetricsCatalog.Load();
        Assert.True(catalog.Problems.Count == 0, string.Join("\n", catalog.Problems));
        var names = catalog.Entries.Select(e => e.Name).ToList();
        foreach (var required in new[] { "orchestrator_runs_succeeded_total", "orchestrator_runs_failed_total", "orchestrator_worker_slots",
                     "orchestrator_worker_slots_busy", "orchestrator_sweep_runs", "orchestrator_run_ua", "orchestrator_gpu_memory_used_bytes" })
            Assert.Contains(required, names);
        Assert.All(catalog.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Meaning)));
    }

    [Theory]
    [InlineData("orchestrator_runs_done counter worker -- runs", "end in _total")]
    [InlineData("orchestrator_slots_total gauge worker -- slots", "end in _total")]
    [InlineData("orchestrator_x summary worker -- x", "type 'summary'")]
    [InlineData("orchestrator_x_bucket histogram worker -- x", "base name")]
    [InlineData("runs_total counter worker -- x", "does not start with orchestrator_")]
    [InlineData("orchestrator_x gauge worker", "not 'NAME TYPE LABELS -- meaning'")]
    public void A_malformed_metrics_txt_line_is_reported(string line, string expected)
    {
        var catalog = MetricsCatalog.Parse("# comment\norchestrator_ok gauge worker -- fine\n" + line + "\n");
        Assert.Contains(catalog.Problems, p => p.Contains(expected));
    }

    [Fact]
    public void PromQL_metric_names_are_found_and_labels_functions_numbers_and_variables_are_not()
    {
        Assert.Equal(["orchestrator_run_ua_bucket"],
            PromQl.MetricNames("histogram_quantile(0.95, sum by (le, worker) (rate(orchestrator_run_ua_bucket{worker=~\"$worker\",x=\"a b\"}[$__rate_interval])))"));
        Assert.Equal(["orchestrator_sweep_runs", "orchestrator_runs_succeeded_total"],
            PromQl.MetricNames("sum(orchestrator_sweep_runs{state=~\"queued|running\"}) / clamp_min(sum(rate(orchestrator_runs_succeeded_total[15m])), 1e-9) > 0.2"));
        Assert.Equal(["up"], PromQl.MetricNames("up{job=~\"orchestrator-.*\"} == 0"));
        Assert.Equal(["a_total", "b"], PromQl.MetricNames("sum(a_total) and on() sum without (gpu) (b offset 5m)"));
        Assert.Equal([("increase", "a_total")], PromQl.RangeFunctionArguments("sum by (x) (increase(a_total{y=\"1\"}[30m]))"));
    }

    [Fact]
    public void Every_metric_a_dashboard_or_alert_queries_is_in_metrics_txt_and_every_listed_metric_is_queried()
    {
        var catalog = MetricsCatalog.Load();
        var queries = Monitoring.AllQueries(Monitoring.DashboardsFolder, Monitoring.AlertsFile);
        Assert.True(queries.Count > 20, $"only {queries.Count} queries found");
        var problems = Monitoring.Problems(catalog, queries);
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        var used = queries.SelectMany(q => PromQl.MetricNames(q.Expression)).Select(catalog.Resolve).OfType<MetricEntry>().Select(e => e.Name).ToHashSet();
        var unused = catalog.Entries.Where(e => !used.Contains(e.Name)).Select(e => e.Name).ToList();
        Assert.True(unused.Count == 0, "listed in deploy/metrics.txt but queried by no dashboard or alert: " + string.Join(", ", unused));
    }

    [Theory]
    [InlineData("orchestrator-sweeps.json", "orchestrator_runs_failed_total", "orchestrator_runs_failedd_total", "orchestrator_runs_failedd_total is not in deploy/metrics.txt")]
    [InlineData("orchestrator-workers.json", "rate(orchestrator_train_samples_total", "rate(orchestrator_worker_slots", "rate() of the gauge orchestrator_worker_slots")]
    [InlineData("orchestrator-workers.json", "label_values(orchestrator_worker_slots, worker)", "label_values(orchestrator_worker_slot, worker)", "orchestrator_worker_slot is not")]
    public void A_dashboard_querying_an_unlisted_metric_is_reported(string file, string from, string to, string expected)
    {
        using var copy = Repo.CopyOf("deploy/grafana/dashboards");
        copy.Replace(file, from, to);
        var problems = Monitoring.Problems(MetricsCatalog.Load(), Monitoring.AllQueries(copy.Path, Monitoring.AlertsFile));
        Assert.Contains(problems, p => p.Contains(expected));
    }

    [Fact]
    public void An_alert_querying_an_unlisted_metric_is_reported()
    {
        using var copy = Repo.CopyOf("deploy/prometheus");
        copy.Replace("alerts.yml", "orchestrator_leases_expired_total", "orchestrator_lease_expired_total");
        var problems = Monitoring.Problems(MetricsCatalog.Load(), Monitoring.AllQueries(Monitoring.DashboardsFolder, copy.File("alerts.yml")));
        Assert.Contains(problems, p => p.Contains("orchestrator_lease_expired_total is not in deploy/metrics.txt"));
    }

    [Fact]
    public void Dashboards_are_valid_Grafana_JSON_on_the_provisioned_datasource()
    {
        var datasource = Yaml.LoadMap(Repo.Read("deploy", "grafana", "provisioning", "datasources", "prometheus.yml")).MapsAt("datasources").Single();
        var uid = datasource.StringAt("uid")!;
        Assert.Equal("prometheus", datasource.StringAt("type"));
        var files = Directory.GetFiles(Monitoring.DashboardsFolder, "*.json");
        Assert.True(files.Length >= 2, "expected the sweeps and workers dashboards");
        var uids = new HashSet<string>();
        foreach (var file in files)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var root = json.RootElement;
            var name = Path.GetFileName(file);
            Assert.True(uids.Add(root.GetProperty("uid").GetString()!), $"{name}: uid used twice");
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
            Assert.True(root.GetProperty("schemaVersion").GetInt32() >= 36, $"{name}: schemaVersion");
            var ids = new HashSet<int>();
            foreach (var panel in root.GetProperty("panels").EnumerateArray())
            {
                var title = panel.GetProperty("title").GetString();
                Assert.True(ids.Add(panel.GetProperty("id").GetInt32()), $"{name}: panel id {panel.GetProperty("id")} twice");
                var grid = panel.GetProperty("gridPos");
                Assert.True(grid.GetProperty("x").GetInt32() + grid.GetProperty("w").GetInt32() <= 24, $"{name} '{title}': wider than the grid");
                if (panel.GetProperty("type").GetString() == "row") continue;
                Assert.Equal(uid, panel.GetProperty("datasource").GetProperty("uid").GetString());
                var targets = panel.GetProperty("targets").EnumerateArray().ToList();
                Assert.True(targets.Count > 0, $"{name} '{title}': no query");
                Assert.All(targets, t => Assert.Equal(uid, t.GetProperty("datasource").GetProperty("uid").GetString()));
                Assert.Equal(targets.Count, targets.Select(t => t.GetProperty("refId").GetString()).Distinct().Count());
            }
        }
    }

    [Fact]
    public void The_dashboards_show_sweep_progress_throughput_failures_slot_use_and_UA()
    {
        var titles = Directory.GetFiles(Monitoring.DashboardsFolder, "*.json")
            .SelectMany(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("panels").EnumerateArray())
            .Select(p => p.GetProperty("title").GetString()!.ToLowerInvariant()).ToList();
        foreach (var topic in new[] { "progress", "per minute", "failed", "slot use", "ua" })
            Assert.Contains(titles, t => t.Contains(topic));
    }

    [Fact]
    public void Grafana_provisioning_loads_the_dashboards_folder_compose_mounts()
    {
        var provider = Yaml.LoadMap(Repo.Read("deploy", "grafana", "provisioning", "dashboards", "orchestrator.yml")).MapsAt("providers").Single();
        var path = provider.StringAt("options.path");
        var grafana = Compose.Load("docker-compose.yml").MapAt("services.grafana")!;
        Assert.Contains("../grafana/dashboards:" + path + ":ro", grafana.ListAt("volumes").Cast<string>());
        Assert.Contains("../grafana/provisioning:/etc/grafana/provisioning:ro", grafana.ListAt("volumes").Cast<string>());
    }

    [Fact]
    public void Alert_rules_have_a_severity_and_a_summary()
    {
        var rules = Yaml.LoadMap(File.ReadAllText(Monitoring.AlertsFile)).MapsAt("groups").SelectMany(g => g.MapsAt("rules")).ToList();
        Assert.True(rules.Count >= 5);
        Assert.All(rules, r =>
        {
            Assert.False(string.IsNullOrWhiteSpace(r.StringAt("alert")));
            Assert.Contains(r.StringAt("labels.severity"), new[] { "info", "warning", "critical" });
            Assert.False(string.IsNullOrWhiteSpace(r.StringAt("annotations.summary")));
        });
        Assert.Equal(rules.Count, rules.Select(r => r.StringAt("alert")).Distinct().Count());
    }

    [Fact]
    public void Prometheus_scrapes_the_compose_services_and_loads_the_alert_rules()
    {
        var config = Yaml.LoadMap(Repo.Read("deploy", "prometheus", "prometheus.yml"));
        Assert.All(config.ListAt("rule_files").Cast<string>(), f => Assert.True(File.Exists(Repo.PathOf("deploy", "prometheus", f)), $"rule file {f}"));
        var services = Compose.Load("docker-compose.yml").MapAt("services")!;
        var names = config.MapsAt("scrape_configs")
            .SelectMany(j => j.MapsAt("dns_sd_configs").SelectMany(d => d.ListAt("names").Cast<string>())
                .Concat(j.MapsAt("static_configs").SelectMany(s => s.ListAt("targets").Cast<string>()).Select(t => t.Split(':')[0])))
            .Where(n => n != "localhost").ToList();
        Assert.Contains("coordinator", names);
        Assert.Contains("worker", names);
        Assert.All(names, n => Assert.True(services.ContainsKey(n), $"prometheus.yml scrapes '{n}', which is no compose service"));
    }

    [Fact]
    public void Promtool_accepts_the_configuration_and_rejects_a_broken_one()
    {
        var promtool = Tool.Find("promtool");
        if (promtool is null)
        {
            Assert.True(Tool.ListedInTestPackages("prometheus"), "promtool is missing and scripts/test-packages.txt does not install the prometheus package");
            output.WriteLine("promtool is not installed here (./test installs it): configuration not validated");
            return;
        }
        var ok = Tool.Run(promtool, ["check", "config", "prometheus.yml"], Repo.PathOf("deploy", "prometheus"));
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("rules found", ok.Output + ok.Error);

        using var copy = Repo.CopyOf("deploy/prometheus");
        copy.Replace("alerts.yml", "expr: up{job=~\"orchestrator-.*\"} == 0", "expr: up{job=~\"orchestrator-.*\"} ==");
        var broken = Tool.Run(promtool, ["check", "config", "prometheus.yml"], copy.Path);
        Assert.NotEqual(0, broken.ExitCode);
    }

    [Fact]
    public void Promtool_rule_tests_pass_and_the_alerts_fire_when_they_should()
    {
        var promtool = Tool.Find("promtool");
        if (promtool is null)
        {
            Assert.True(Tool.ListedInTestPackages("prometheus"), "promtool is missing and scripts/test-packages.txt does not install the prometheus package");
            output.WriteLine("promtool is not installed here (./test installs it): alert rules not exercised");
            return;
        }
        var run = Tool.Run(promtool, ["test", "rules", "alerts.test.yml"], Repo.PathOf("deploy", "prometheus"));
        Assert.True(run.ExitCode == 0, run.ToString());

        // The tests must be able to fail: an alert that no longer fires breaks them.
        using var copy = Repo.CopyOf("deploy/prometheus");
        copy.Replace("alerts.yml", "sum(orchestrator_sweep_runs{state=\"queued\"}) > 0 and on() sum(orchestrator_worker_slots_busy) == 0",
            "sum(orchestrator_sweep_runs{state=\"queued\"}) > 0 and on() sum(orchestrator_worker_slots_busy) == 1");
        Assert.NotEqual(0, Tool.Run(promtool, ["test", "rules", "alerts.test.yml"], copy.Path).ExitCode);
    }

    [Fact]
    public void The_collector_configuration_defines_every_component_its_pipelines_use()
    {
        var config = Yaml.LoadMap(Repo.Read("deploy", "otel-collector", "config.yaml"));
        var pipelines = config.MapAt("service.pipelines")!;
        Assert.True(pipelines.ContainsKey("metrics") && pipelines.ContainsKey("traces"));
        foreach (var (name, value) in pipelines)
            foreach (var kind in new[] { "receivers", "processors", "exporters" })
                foreach (var component in ((Map)value!).ListAt(kind).Cast<string>())
                    Assert.True(config.MapAt(kind)?.ContainsKey(component) == true, $"pipeline {name} uses {kind} {component}, which is not defined");
        foreach (var extension in config.ListAt("service.extensions").Cast<string>())
            Assert.True(config.MapAt("extensions")?.ContainsKey(extension) == true, $"extension {extension} is not defined");
        // Prometheus scrapes the collector's exporter where prometheus.yml says.
        var endpoint = config.StringAt("exporters.prometheus.endpoint")!;
        Assert.Contains("otel-collector:" + endpoint.Split(':')[1], Repo.Read("deploy", "prometheus", "prometheus.yml"));
    }
}
