namespace Orchestrator.Deploy.Tests;

/// <summary>deploy/docker: the compose files, checked statically and by docker-compose where it is installed.</summary>
public sealed class ComposeTests(ITestOutputHelper output)
{
    [Fact]
    public void The_compose_file_runs_PostgreSQL_15_a_coordinator_replicated_workers_and_the_telemetry_stack()
    {
        var compose = Compose.Load("docker-compose.yml");
        var services = compose.MapAt("services")!;
        Assert.Equal("postgres:15", services.MapAt("postgres")!.StringAt("image"));
        var silos = Compose.Silos(compose).ToDictionary(s => s.Name, s => s.Service);
        Assert.Equal(["silo", "--role", "coordinator"], silos["coordinator"].ListAt("command").Cast<string>());
        Assert.Equal(["silo", "--role", "worker"], silos["worker"].ListAt("command").Cast<string>());
        Assert.Equal("${WORKERS:-2}", silos["worker"].StringAt("deploy.replicas"));
        Assert.Equal("service_healthy", silos["worker"].StringAt("depends_on.postgres.condition"));
        foreach (var name in new[] { "prometheus", "grafana", "otel-collector" }) Assert.True(services.ContainsKey(name), name);
        // Every silo shares the feature stores at /data, where runs name them.
        Assert.All(silos.Values, s => Assert.Contains("orchestrator-data:/data", s.ListAt("volumes").Cast<string>()));
    }

    [Fact]
    public void Silos_build_their_connection_string_from_a_secret_and_nothing_publishes_beyond_loopback()
    {
        var compose = Compose.Load("docker-compose.yml");
        var problems = Compose.Problems(compose, Compose.Folder);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        foreach (var (name, silo) in Compose.Silos(compose))
        {
            Assert.Equal("/run/secrets/silo_password", silo.StringAt("environment.ORCHESTRATOR_DATABASE_PASSWORD_FILE"));
            Assert.Null(silo.StringAt("environment.Orchestrator__Silo__Database"));
        }
        Assert.Equal("/run/secrets/postgres_password", compose.StringAt("services.postgres.environment.POSTGRES_PASSWORD_FILE"));
        Assert.Empty(Compose.Problems(Compose.Load("docker-compose.gpu.yml"), Compose.Folder));
    }

    [Fact]
    public void Silos_connect_as_the_silo_role_and_only_the_one_shot_migrate_service_holds_the_owners_password()
    {
        var compose = Compose.Load("docker-compose.yml");
        var services = compose.MapAt("services")!;
        var migrate = services.MapAt("migrate")!;
        Assert.Equal(["database", "grant-silo-role", "${SILO_ROLE:-orchestrator_silo}", "--password-file", "/run/secrets/silo_password"], migrate.ListAt("command").Cast<string>());
        Assert.Equal("${POSTGRES_USER:-orchestrator}", migrate.StringAt("environment.PGUSER"));
        Assert.Equal("/run/secrets/postgres_password", migrate.StringAt("environment.ORCHESTRATOR_DATABASE_PASSWORD_FILE"));
        Assert.Equal("no", migrate.StringAt("restart"));
        // Everything but PostgreSQL itself and the migrations is kept from the owner's password.
        var owners = services.Where(kv => kv.Value is Map m && m.ListAt("secrets").Any(x => (x as string ?? (x as Map)?.StringAt("source")) == "postgres_password")).Select(kv => kv.Key).Order();
        Assert.Equal(["migrate", "postgres"], owners);
        foreach (var (name, silo) in Compose.Silos(compose))
        {
            Assert.Equal("${SILO_ROLE:-orchestrator_silo}", silo.StringAt("environment.PGUSER"));
            Assert.Equal(["silo_password"], silo.ListAt("secrets").Select(x => x as string ?? (x as Map)?.StringAt("source")));
            // A silo as that role cannot migrate: it starts once the migrations are in.
            Assert.Equal("service_completed_successfully", silo.StringAt("depends_on.migrate.condition"));
        }
    }

    [Fact]
    public void Local_settings_and_secrets_are_ignored_by_git()
    {
        var ignore = File.ReadAllLines(Path.Combine(Compose.Folder, ".gitignore"));
        Assert.Contains(".env", ignore);
        Assert.Contains("secrets/*", ignore);
        var example = File.ReadAllText(Path.Combine(Compose.Folder, ".env.example"));
        Assert.DoesNotContain("PASSWORD=", example, StringComparison.OrdinalIgnoreCase);
        var git = Tool.Find("git");
        if (git is null) return;
        if (!Directory.Exists(Repo.PathOf(".git")) && !File.Exists(Repo.PathOf(".git"))) return;
        foreach (var path in new[] { "deploy/docker/.env", "deploy/docker/secrets/postgres_password", "deploy/docker/secrets/silo_password", "deploy/docker/secrets/grafana_admin_password" })
            Assert.True(Tool.Run(git, ["check-ignore", "-q", path], Repo.Root).ExitCode == 0, $"git does not ignore {path}");
        Assert.NotEqual(0, Tool.Run(git, ["check-ignore", "-q", "deploy/docker/secrets/README.md"], Repo.Root).ExitCode);
    }

    [Fact]
    public void The_GPU_override_builds_the_CUDA_variant_and_reserves_NVIDIA_GPUs_for_workers()
    {
        var gpu = Compose.Load("docker-compose.gpu.yml");
        var worker = gpu.MapAt("services.worker")!;
        Assert.Equal("cuda", worker.StringAt("build.args.TORCH_BACKEND"));
        Assert.Contains("nvidia/cuda", worker.StringAt("build.args.BASE_IMAGE"));
        var device = worker.MapsAt("deploy.resources.reservations.devices").Single();
        Assert.Equal("nvidia", device.StringAt("driver"));
        Assert.Contains("gpu", device.ListAt("capabilities").Cast<string>());
        Assert.Equal(["worker"], gpu.MapAt("services")!.Keys);
        Assert.Null(Compose.Load("docker-compose.yml").At("services.worker.deploy.resources.reservations"));
    }

    [Theory]
    [InlineData("      - \"127.0.0.1:${GRAFANA_PORT:-3000}:3000\"", "      - \"${GRAFANA_PORT:-3000}:3000\"", "not bound to 127.0.0.1")]
    [InlineData("      POSTGRES_PASSWORD_FILE: /run/secrets/postgres_password", "      POSTGRES_PASSWORD: hunter2", "holds a credential")]
    [InlineData("      - ../prometheus:/etc/prometheus:ro", "      - ../prometheus-config:/etc/prometheus:ro", "does not exist")]
    [InlineData("  grafana_admin_password:\n    file: ./secrets/grafana_admin_password", "  grafana_password:\n    file: ./secrets/grafana_admin_password", "secret 'grafana_admin_password' is not defined")]
    public void A_broken_compose_file_is_reported(string from, string to, string expected)
    {
        using var copy = Repo.CopyOf("deploy/docker");
        copy.Replace("docker-compose.yml", from, to);
        Assert.Contains(Compose.Problems(Compose.Load("docker-compose.yml", copy.Path), Repo.PathOf("deploy", "docker")), p => p.Contains(expected));
    }

    [Fact]
    public void Docker_compose_accepts_both_files_and_rejects_a_broken_one()
    {
        var dockerCompose = Tool.Find("docker-compose");
        if (dockerCompose is null)
        {
            Assert.True(Tool.ListedInTestPackages("docker-compose"), "docker-compose is missing and scripts/test-packages.txt does not install it");
            output.WriteLine("docker-compose is not installed here (./test installs it): compose files not validated");
            return;
        }
        // The settings of .env.example, so the check does not depend on a local .env.
        var env = new Dictionary<string, string?> { ["COMPOSE_PROJECT_NAME"] = null };
        foreach (var files in new[] { new[] { "-f", "docker-compose.yml" }, ["-f", "docker-compose.yml", "-f", "docker-compose.gpu.yml"] })
        {
            var run = Tool.Run(dockerCompose, ["--env-file", ".env.example", .. files, "config", "-q"], Compose.Folder, env);
            Assert.True(run.ExitCode == 0, run.ToString());
        }
        var resolved = Tool.Run(dockerCompose, ["--env-file", ".env.example", "-f", "docker-compose.yml", "config"], Compose.Folder, env);
        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        var config = Yaml.LoadMap(resolved.Output);
        Assert.Equal("2", config.StringAt("services.worker.deploy.replicas"));
        Assert.Equal("2", config.StringAt("services.worker.environment.Orchestrator__Worker__Slots"));

        using var copy = Repo.CopyOf("deploy/docker");
        copy.Replace("docker-compose.yml", "  postgres:\n    image: postgres:15", "  postgres:\n    imagex: postgres:15");
        var broken = Tool.Run(dockerCompose, ["--env-file", ".env.example", "-f", "docker-compose.yml", "config", "-q"], copy.Path, env);
        Assert.NotEqual(0, broken.ExitCode);
    }
}
