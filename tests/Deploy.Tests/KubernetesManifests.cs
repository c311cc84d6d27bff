using System.Globalization;

namespace Orchestrator.Deploy.Tests;

/// <summary>A Kubernetes object read from a manifest file.</summary>
public sealed record KubeObject(string File, Map Body)
{
    public string Kind => Body.StringAt("kind") ?? "";
    public string Name => Body.StringAt("metadata.name") ?? "";
    public string? Namespace => Body.StringAt("metadata.namespace");
    public override string ToString() => $"{Kind}/{Name} ({File})";

    /// <summary>The pod template of a workload (Deployment, StatefulSet, DaemonSet, Job), or null.</summary>
    public Map? PodTemplate => Kind is "Deployment" or "StatefulSet" or "DaemonSet" or "Job" ? Body.MapAt("spec.template") : null;

    public IEnumerable<Map> Containers => PodTemplate?.MapsAt("spec.containers") ?? [];

    /// <summary>Containers that run to completion before the others start (migrations).</summary>
    public IEnumerable<Map> InitContainers => PodTemplate?.MapsAt("spec.initContainers") ?? [];
}

/// <summary>
/// The manifests of deploy/kubernetes/base and the properties they must have to work together:
/// what `kubectl apply` alone would not catch before pods fail to start or never become ready.
/// </summary>
public static class KubernetesManifests
{
    public const string Namespace = "orchestrator";

    public static List<KubeObject> Load(string folder) =>
        Directory.GetFiles(folder, "*.yaml").Order(StringComparer.Ordinal)
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => Yaml.LoadAll(File.ReadAllText(f)).OfType<Map>().Select(m => new KubeObject(Path.GetFileName(f), m)))
            .ToList();

    /// <summary>Every problem found, each naming its object; empty when the set is consistent.</summary>
    public static List<string> Check(IReadOnlyList<KubeObject> objects)
    {
        var problems = new List<string>();
        var secrets = objects.Where(o => o.Kind == "Secret").ToDictionary(o => o.Name, o => SecretKeys(o.Body));
        var configMaps = objects.Where(o => o.Kind == "ConfigMap").ToDictionary(o => o.Name, o => (o.Body.MapAt("data") ?? []).Keys.ToHashSet());
        var claims = objects.Where(o => o.Kind == "PersistentVolumeClaim").Select(o => o.Name).ToHashSet();
        var workloads = objects.Where(o => o.PodTemplate is not null).ToList();

        foreach (var o in objects)
        {
            if (o.Name.Length == 0) problems.Add($"{o}: no metadata.name");
            if (o.Kind != "Namespace" && o.Namespace != Namespace) problems.Add($"{o}: namespace is '{o.Namespace}', not {Namespace}");
        }

        foreach (var w in workloads)
        {
            var template = w.PodTemplate!;
            var selector = w.Body.StringsAt("spec.selector.matchLabels");
            var labels = template.StringsAt("metadata.labels");
            if (selector.Count == 0) problems.Add($"{w}: no spec.selector.matchLabels");
            foreach (var (key, value) in selector)
                if (!labels.TryGetValue(key, out var v) || v != value) problems.Add($"{w}: selector {key}={value} does not match the pod template's labels");
            if (w.Kind == "StatefulSet" && !objects.Any(o => o.Kind == "Service" && o.Name == w.Body.StringAt("spec.serviceName")))
                problems.Add($"{w}: serviceName '{w.Body.StringAt("spec.serviceName")}' is no Service");

            var volumes = template.MapsAt("spec.volumes").ToList();
            foreach (var volume in volumes)
                if (volume.StringAt("persistentVolumeClaim.claimName") is { } claim && !claims.Contains(claim))
                    problems.Add($"{w}: volume {volume.StringAt("name")} claims '{claim}', which no PersistentVolumeClaim defines");
            var claimTemplates = w.Body.MapsAt("spec.volumeClaimTemplates").Select(t => t.StringAt("metadata.name")).ToHashSet();

            // Init containers run once and are not probed; what they read must exist all the same.
            foreach (var c in w.InitContainers)
            {
                var where = $"{w} init container {c.StringAt("name")}";
                if (string.IsNullOrEmpty(c.StringAt("image"))) problems.Add($"{where}: no image");
                if (c.At("resources.limits.memory") is null) problems.Add($"{where}: no resources.limits.memory");
                foreach (var env in c.MapsAt("env"))
                    if (env.MapAt("valueFrom.secretKeyRef") is { } sk) CheckRef(problems, where, "Secret", secrets, sk.StringAt("name"), sk.StringAt("key"), sk.StringAt("optional") == "true");
                foreach (var mount in c.MapsAt("volumeMounts"))
                    if (!volumes.Any(v => v.StringAt("name") == mount.StringAt("name")))
                        problems.Add($"{where}: mounts volume '{mount.StringAt("name")}', which the pod does not define");
            }

            foreach (var c in w.Containers)
            {
                var where = $"{w} container {c.StringAt("name")}";
                if (string.IsNullOrEmpty(c.StringAt("image"))) problems.Add($"{where}: no image");
                var ports = c.MapsAt("ports").ToList();
                foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
                {
                    if (c.MapAt(probe) is not { } p) { problems.Add($"{where}: no {probe}"); continue; }
                    if ((p.At("httpGet.port") ?? p.At("tcpSocket.port")) is { } port && !HasPort(ports, port))
                        problems.Add($"{where}: {probe} targets port '{port}', which the container does not declare");
                    if (p.MapAt("httpGet") is null && p.MapAt("tcpSocket") is null && p.MapAt("exec") is null && p.MapAt("grpc") is null)
                        problems.Add($"{where}: {probe} has no handler");
                }
                foreach (var resource in new[] { "cpu", "memory" })
                    if (c.At($"resources.requests.{resource}") is null) problems.Add($"{where}: no resources.requests.{resource}");
                if (c.At("resources.limits.memory") is null) problems.Add($"{where}: no resources.limits.memory");
                var gpuRequest = ExtendedResource(c, "requests");
                var gpuLimit = ExtendedResource(c, "limits");
                if (gpuRequest != gpuLimit) problems.Add($"{where}: nvidia.com/gpu request ({gpuRequest}) and limit ({gpuLimit}) differ (extended resources need them equal)");

                foreach (var env in c.MapsAt("env"))
                {
                    if (env.MapAt("valueFrom.secretKeyRef") is { } sk) CheckRef(problems, where, "Secret", secrets, sk.StringAt("name"), sk.StringAt("key"), sk.StringAt("optional") == "true");
                    if (env.MapAt("valueFrom.configMapKeyRef") is { } ck) CheckRef(problems, where, "ConfigMap", configMaps, ck.StringAt("name"), ck.StringAt("key"), ck.StringAt("optional") == "true");
                }
                foreach (var from in c.MapsAt("envFrom"))
                {
                    if (from.StringAt("secretRef.name") is { } s) CheckRef(problems, where, "Secret", secrets, s, null, false);
                    if (from.StringAt("configMapRef.name") is { } m) CheckRef(problems, where, "ConfigMap", configMaps, m, null, false);
                }
                foreach (var mount in c.MapsAt("volumeMounts"))
                {
                    var name = mount.StringAt("name");
                    if (!volumes.Any(v => v.StringAt("name") == name) && !claimTemplates.Contains(name))
                        problems.Add($"{where}: mounts volume '{name}', which the pod does not define");
                }
            }
            foreach (var volume in volumes)
            {
                if (volume.StringAt("secret.secretName") is { } s) CheckRef(problems, $"{w}", "Secret", secrets, s, null, false);
                if (volume.StringAt("configMap.name") is { } m) CheckRef(problems, $"{w}", "ConfigMap", configMaps, m, null, false);
            }
        }

        foreach (var service in objects.Where(o => o.Kind == "Service"))
        {
            var selector = service.Body.StringsAt("spec.selector");
            var targets = workloads.Where(w => selector.Count > 0 && selector.All(kv => w.PodTemplate!.StringsAt("metadata.labels").TryGetValue(kv.Key, out var v) && v == kv.Value)).ToList();
            if (targets.Count == 0) { problems.Add($"{service}: selector selects no pod template"); continue; }
            foreach (var port in service.Body.MapsAt("spec.ports"))
            {
                var target = port.At("targetPort") ?? port.At("port");
                foreach (var w in targets)
                    if (!w.Containers.Any(c => HasPort(c.MapsAt("ports").ToList(), target!)))
                        problems.Add($"{service}: port {port.StringAt("name")} targets '{target}', which {w} does not declare");
            }
        }
        return problems;
    }

    private static string? ExtendedResource(Map container, string section) =>
        container.MapAt($"resources.{section}") is { } m && m.TryGetValue("nvidia.com/gpu", out var v) ? v as string : null;

    private static HashSet<string> SecretKeys(Map secret) =>
        [.. (secret.MapAt("data") ?? []).Keys, .. (secret.MapAt("stringData") ?? []).Keys];

    private static void CheckRef(List<string> problems, string where, string kind, Dictionary<string, HashSet<string>> known, string? name, string? key, bool optional)
    {
        if (optional) return;
        if (name is null || !known.TryGetValue(name, out var keys)) problems.Add($"{where}: refers to {kind} '{name}', which no manifest defines");
        else if (key is not null && !keys.Contains(key)) problems.Add($"{where}: refers to key '{key}' of {kind} '{name}', which it does not have");
    }

    /// <summary>Whether a container declares a port by name, or by number.</summary>
    private static bool HasPort(List<Map> ports, object port) =>
        port is string s && ports.Any(p => p.StringAt("name") == s || p.StringAt("containerPort") == s);

    /// <summary>A CPU quantity in cores ("500m" = 0.5, "4" = 4).</summary>
    public static double Cores(string quantity) =>
        quantity.EndsWith('m') ? double.Parse(quantity[..^1], CultureInfo.InvariantCulture) / 1000 : double.Parse(quantity, CultureInfo.InvariantCulture);

    /// <summary>The value of an environment variable a container sets literally, or null.</summary>
    public static string? EnvValue(Map container, string name) =>
        container.MapsAt("env").FirstOrDefault(e => e.StringAt("name") == name)?.StringAt("value");

    public static Map? Env(Map container, string name) =>
        container.MapsAt("env").FirstOrDefault(e => e.StringAt("name") == name);
}
