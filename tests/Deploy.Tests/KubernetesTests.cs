namespace Orchestrator.Deploy.Tests;

/// <summary>deploy/kubernetes: parsed and checked, since no cluster runs here.</summary>
public sealed class KubernetesTests(ITestOutputHelper output)
{
    private static readonly string Base = Repo.PathOf("deploy", "kubernetes", "base");

    private static List<KubeObject> Objects() => KubernetesManifests.Load(Base);

    private static List<KubeObject> Silos(List<KubeObject> objects) =>
        objects.Where(o => o.Kind == "Deployment" && o.Containers.Any(c => c.ListAt("args").Contains("silo"))).ToList();

    private static string Role(KubeObject silo)
    {
        var args = silo.Containers.Single().ListAt("args").Cast<string>().ToList();
        return args[args.IndexOf("--role") + 1];
    }

    [Fact]
    public void The_manifests_are_consistent()
    {
        var objects = Objects();
        Assert.Contains(objects, o => o.Kind == "Deployment");
        var problems = KubernetesManifests.Check(objects);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void There_is_a_coordinator_a_CPU_worker_a_GPU_worker_PostgreSQL_and_the_Secret_and_ConfigMap_they_read()
    {
        var objects = Objects();
        var silos = Silos(objects);
        Assert.Single(silos, s => Role(s) == "coordinator");
        var workers = silos.Where(s => Role(s) == "worker").ToList();
        Assert.Contains(workers, w => w.Containers.Single().MapAt("resources.requests")!.ContainsKey("nvidia.com/gpu"));
        Assert.Contains(workers, w => !w.Containers.Single().MapAt("resources.requests")!.ContainsKey("nvidia.com/gpu"));
        Assert.Contains(objects, o => o.Kind == "StatefulSet" && o.Containers.Any(c => c.StringAt("image")!.StartsWith("postgres:15")));
        Assert.Contains(objects, o => o.Kind == "Service" && o.Name == "orchestrator-coordinator");
        Assert.Contains(objects, o => o.Kind == "Secret" && o.Body.MapAt("stringData")!.ContainsKey("connection-string"));
        Assert.Contains(objects, o => o.Kind == "ConfigMap");
    }

    [Fact]
    public void Silos_connect_as_the_silo_role_and_only_the_coordinators_init_container_reads_the_owners_connection_string()
    {
        var objects = Objects();
        var secret = objects.Single(o => o.Kind == "Secret").Body.MapAt("stringData")!;
        Assert.Contains("Username=orchestrator_silo;", secret.StringAt("connection-string"));
        Assert.Contains("Username=orchestrator;", secret.StringAt("owner-connection-string"));
        static IEnumerable<string?> Keys(Map container) => container.MapsAt("env").Select(e => e.StringAt("valueFrom.secretKeyRef.key"));
        var readers = objects.SelectMany(o => o.Containers.Concat(o.InitContainers).Select(c => (Object: o, Container: c)))
            .Where(x => Keys(x.Container).Contains("owner-connection-string")).ToList();
        var migrate = Assert.Single(readers);
        Assert.Equal("coordinator", Role(migrate.Object));
        Assert.Contains(migrate.Container, migrate.Object.InitContainers);
        Assert.Equal(["database", "grant-silo-role", "orchestrator_silo"], migrate.Container.ListAt("args").Cast<string>());
        Assert.Equal("ORCHESTRATOR_DATABASE", migrate.Container.MapsAt("env").Single(e => e.StringAt("valueFrom.secretKeyRef.key") == "owner-connection-string").StringAt("name"));
        Assert.Equal("silo-password", KubernetesManifests.Env(migrate.Container, "ORCHESTRATOR_SILO_PASSWORD")?.StringAt("valueFrom.secretKeyRef.key"));
        Assert.All(Silos(objects), s => Assert.Equal("connection-string", KubernetesManifests.Env(s.Containers.Single(), "Orchestrator__Silo__Database")?.StringAt("valueFrom.secretKeyRef.key")));
    }

    [Fact]
    public void Every_silo_reads_its_connection_string_from_the_Secret_and_advertises_its_pod_address()
    {
        foreach (var silo in Silos(Objects()))
        {
            var c = silo.Containers.Single();
            var database = KubernetesManifests.Env(c, "Orchestrator__Silo__Database");
            Assert.True(database?.StringAt("valueFrom.secretKeyRef.name") is not null, $"{silo}: the connection string must come from a Secret");
            Assert.Null(database!.StringAt("value"));
            // The default 127.0.0.1 would put an unreachable address in the membership table.
            Assert.Equal("status.podIP", KubernetesManifests.Env(c, "Orchestrator__Silo__AdvertisedAddress")?.StringAt("valueFrom.fieldRef.fieldPath"));
            Assert.DoesNotContain(c.ListAt("args").Cast<string>(), a => a.Contains("Password", StringComparison.OrdinalIgnoreCase) || a == "--database");
            // SIGTERM hands runs back within the host's 30 s shutdown timeout; the pod must get longer than that.
            Assert.True(int.Parse(silo.Body.StringAt("spec.template.spec.terminationGracePeriodSeconds") ?? "30") > 30, $"{silo}: terminationGracePeriodSeconds must exceed 30");
        }
    }

    [Fact]
    public void Silo_probes_are_the_HTTP_endpoints_deploy_README_names()
    {
        var readme = Repo.Read("deploy", "README.md");
        foreach (var silo in Silos(Objects()))
        {
            var c = silo.Containers.Single();
            Assert.Equal("/healthz", c.StringAt("livenessProbe.httpGet.path"));
            Assert.Equal("/readyz", c.StringAt("readinessProbe.httpGet.path"));
            Assert.NotNull(c.MapAt("startupProbe"));
            var port = c.MapsAt("ports").Single(p => p.StringAt("name") == c.StringAt("readinessProbe.httpGet.port"));
            Assert.Contains($"`{port.StringAt("containerPort")}`", readme);
        }
        Assert.Contains("/healthz", readme);
        Assert.Contains("/readyz", readme);
    }

    [Fact]
    public void Workers_train_no_more_runs_at_once_than_the_cores_they_request()
    {
        foreach (var worker in Silos(Objects()).Where(s => Role(s) == "worker"))
        {
            var c = worker.Containers.Single();
            var slots = int.Parse(KubernetesManifests.EnvValue(c, "Orchestrator__Worker__Slots") ?? throw new Xunit.Sdk.XunitException($"{worker}: no Orchestrator__Worker__Slots"));
            var cores = KubernetesManifests.Cores(c.StringAt("resources.requests.cpu")!);
            Assert.True(slots >= 1 && slots <= cores, $"{worker}: {slots} slots on {cores} requested cores");
        }
    }

    [Fact]
    public void The_GPU_worker_runs_the_CUDA_image_and_requests_a_GPU_and_the_CPU_one_does_not()
    {
        foreach (var worker in Silos(Objects()).Where(s => Role(s) == "worker"))
        {
            var c = worker.Containers.Single();
            var gpu = c.MapAt("resources.limits")!.TryGetValue("nvidia.com/gpu", out var n) ? n as string : null;
            Assert.Equal(gpu is not null, c.StringAt("image")!.EndsWith(":cuda"));
            if (gpu is not null) Assert.True(int.Parse(gpu) >= 1);
        }
    }

    [Fact]
    public void The_kustomization_lists_every_manifest_but_the_Secret_example()
    {
        var kustomization = Yaml.LoadMap(File.ReadAllText(Path.Combine(Base, "kustomization.yaml")));
        var listed = kustomization.ListAt("resources").Cast<string>().ToList();
        foreach (var file in listed) Assert.True(File.Exists(Path.Combine(Base, file)), $"kustomization.yaml lists {file}, which does not exist");
        var manifests = Directory.GetFiles(Base, "*.yaml").Select(Path.GetFileName).Where(f => f is not "kustomization.yaml" and not "secret.example.yaml");
        Assert.Equal(manifests.Order(), listed.Order());
        Assert.DoesNotContain("secret.example.yaml", listed);
    }

    [Fact]
    public void Kustomize_builds_the_base_and_the_tcp_probe_overlay()
    {
        var kubectl = Tool.Find("kubectl");
        if (kubectl is null) { output.WriteLine("kubectl is not installed: kustomize builds not checked"); return; }
        var built = Tool.Run(kubectl, ["kustomize", Base], Repo.Root);
        Assert.True(built.ExitCode == 0, built.ToString());
        var overlay = Tool.Run(kubectl, ["kustomize", Repo.PathOf("deploy", "kubernetes", "tcp-probes")], Repo.Root);
        Assert.True(overlay.ExitCode == 0, overlay.ToString());
        var silos = Silos(Yaml.LoadAll(overlay.Output).OfType<Map>().Select(m => new KubeObject("overlay", m)).ToList());
        Assert.NotEmpty(silos);
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
            Assert.All(silos, s => Assert.Equal("silo", s.Containers.Single().StringAt($"{probe}.tcpSocket.port")));
        Assert.Empty(KubernetesManifests.Check(silos.Concat(Objects().Where(o => o.Kind is "Secret" or "ConfigMap" or "PersistentVolumeClaim")).ToList()));
    }

    // The checks themselves: each breaks a copy of the manifests in one way and must report it.
    [Theory]
    [InlineData("worker-cpu.yaml", "          readinessProbe:\n", "          readinessXProbe:\n", "no readinessProbe")]
    [InlineData("worker-gpu.yaml", "              memory: 16Gi\n", "", "no resources.requests.memory")]
    [InlineData("worker-gpu.yaml", "            limits:\n              memory: 32Gi\n              nvidia.com/gpu: \"1\"", "            limits:\n              memory: 32Gi\n              nvidia.com/gpu: \"2\"", "nvidia.com/gpu request")]
    [InlineData("coordinator.yaml", "      app.kubernetes.io/component: coordinator\n  template:", "      app.kubernetes.io/component: coordinatorx\n  template:", "does not match the pod template")]
    [InlineData("coordinator.yaml", "      targetPort: gateway", "      targetPort: gatewayx", "targets 'gatewayx'")]
    [InlineData("worker-cpu.yaml", "                  key: connection-string", "                  key: connection_string", "key 'connection_string'")]
    [InlineData("worker-cpu.yaml", "                  name: orchestrator-database", "                  name: orchestrator-db", "Secret 'orchestrator-db'")]
    [InlineData("postgres.yaml", "  serviceName: postgres", "  serviceName: postgresql", "serviceName 'postgresql'")]
    [InlineData("worker-cpu.yaml", "            claimName: orchestrator-data", "            claimName: orchestrator-store", "claims 'orchestrator-store'")]
    [InlineData("coordinator.yaml", "              path: /readyz\n              port: http", "              path: /readyz\n              port: metrics", "port 'metrics'")]
    public void A_broken_manifest_is_reported(string file, string from, string to, string expected)
    {
        using var copy = Repo.CopyOf("deploy/kubernetes/base");
        copy.Replace(file, from, to);
        var problems = KubernetesManifests.Check(KubernetesManifests.Load(copy.Path));
        Assert.Contains(problems, p => p.Contains(expected));
    }
}
