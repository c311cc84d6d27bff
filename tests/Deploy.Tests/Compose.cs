namespace Orchestrator.Deploy.Tests;

/// <summary>deploy/docker's compose files, parsed (anchors and merge keys resolved).</summary>
public static class Compose
{
    public static string Folder => Repo.PathOf("deploy", "docker");

    public static Map Load(string file, string? folder = null) => Yaml.LoadMap(File.ReadAllText(Path.Combine(folder ?? Folder, file)));

    /// <summary>Services that run `orchestrator silo` (their command starts with silo).</summary>
    public static IEnumerable<(string Name, Map Service)> Silos(Map compose) =>
        (compose.MapAt("services") ?? []).Where(kv => kv.Value is Map m && m.ListAt("command").FirstOrDefault() as string == "silo")
            .Select(kv => (kv.Key, (Map)kv.Value!));

    /// <summary>Problems a compose file has that `docker-compose config` does not report.</summary>
    public static List<string> Problems(Map compose, string folder)
    {
        var problems = new List<string>();
        var services = compose.MapAt("services") ?? [];
        var secrets = (compose.MapAt("secrets") ?? []).Keys.ToHashSet();
        foreach (var (name, value) in services)
        {
            var service = (Map)value!;
            // Published ports on loopback only: "127.0.0.1:HOST:CONTAINER".
            foreach (var port in service.ListAt("ports"))
                if (port is not string p || !p.StartsWith("127.0.0.1:"))
                    problems.Add($"service {name}: port '{port}' is not bound to 127.0.0.1");
            // No credentials in the file: environment values hold no password, and a password comes from a file.
            foreach (var (key, env) in service.MapAt("environment") ?? [])
            {
                var text = env as string ?? "";
                if (text.Contains("Password=", StringComparison.OrdinalIgnoreCase) || (key.Contains("PASSWORD", StringComparison.OrdinalIgnoreCase) && !key.EndsWith("_FILE") && !key.EndsWith("__FILE")))
                    problems.Add($"service {name}: environment {key} holds a credential; use a secret file");
            }
            foreach (var arg in service.ListAt("command").OfType<string>())
                // A password file's path is no credential (--password-file); a connection string or a password is.
                if (arg.Contains("Password=", StringComparison.OrdinalIgnoreCase) || arg is "--database" or "--password")
                    problems.Add($"service {name}: the command line carries the connection string");
            foreach (var secret in service.ListAt("secrets"))
            {
                var source = secret as string ?? (secret as Map)?.StringAt("source");
                if (source is null || !secrets.Contains(source)) problems.Add($"service {name}: secret '{source}' is not defined");
            }
            foreach (var (key, env) in service.MapAt("environment") ?? [])
                if (key.EndsWith("_FILE") && env is string path && path.StartsWith("/run/secrets/") && !service.ListAt("secrets").Any(s => (s as string ?? (s as Map)?.StringAt("source")) == path["/run/secrets/".Length..]))
                    problems.Add($"service {name}: {key} points at {path}, a secret the service does not mount");
            // Bind mounts of configuration exist.
            foreach (var volume in service.ListAt("volumes").OfType<string>())
            {
                var host = volume.Split(':')[0];
                if (host.StartsWith('.') && !Path.Exists(Path.GetFullPath(Path.Combine(folder, host))))
                    problems.Add($"service {name}: mounts {host}, which does not exist");
            }
            if (service.MapAt("build") is { } build)
            {
                var context = Path.GetFullPath(Path.Combine(folder, build.StringAt("context") ?? "."));
                if (!File.Exists(Path.Combine(context, build.StringAt("dockerfile") ?? "Dockerfile")))
                    problems.Add($"service {name}: no Dockerfile {build.StringAt("dockerfile")} in {context}");
            }
        }
        foreach (var (name, value) in compose.MapAt("secrets") ?? [])
            if ((value as Map)?.StringAt("file") is { } file && !file.StartsWith("./secrets/"))
                problems.Add($"secret {name}: file {file} is outside secrets/, which git ignores");
        return problems;
    }
}
