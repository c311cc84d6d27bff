using System.Text.RegularExpressions;

namespace Orchestrator.Deploy.Tests;

/// <summary>deploy/docker/Dockerfile and the scripts it installs (no Docker daemon here: the entry point runs on its own).</summary>
public sealed partial class DockerImageTests
{
    private static string Dockerfile => Repo.Read("deploy", "docker", "Dockerfile");

    /// <summary>Client.csproj and every project it references, transitively, as repository paths.</summary>
    private static SortedSet<string> ClientProjects()
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        void Visit(string path)
        {
            var relative = Path.GetRelativePath(Repo.Root, path).Replace('\\', '/');
            if (!found.Add(relative)) return;
            foreach (Match m in ProjectReference().Matches(File.ReadAllText(path)))
                Visit(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, m.Groups[1].Value.Replace('\\', '/'))));
        }
        Visit(Repo.PathOf("src", "Client", "Client.csproj"));
        return found;
    }

    [Fact]
    public void The_restore_layer_copies_every_project_the_CLI_references()
    {
        var dockerfile = Dockerfile;
        var restore = dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal);
        Assert.True(restore > 0, "no restore step");
        var copied = CopyLine().Matches(dockerfile[..restore]).Where(m => !m.Value.Contains("--from="))
            .SelectMany(m => m.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--")).SkipLast(1))
            .Select(a => a.TrimEnd('/')).ToHashSet();
        foreach (var project in ClientProjects()) Assert.True(copied.Contains(project), $"{project} is not copied before the restore: it would fail");
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" }) Assert.Contains(file, copied);
        // Files the Client project embeds must be there too.
        foreach (Match m in EmbeddedResource().Matches(Repo.Read("src", "Client", "Client.csproj")))
        {
            var path = Path.GetRelativePath(Repo.Root, Path.GetFullPath(Path.Combine(Repo.PathOf("src", "Client"), m.Groups[1].Value.Replace('\\', '/')))).Replace('\\', '/');
            Assert.True(copied.Contains(path), $"{path}, embedded by Client.csproj, is not copied before the build");
        }
    }

    [Fact]
    public void Every_file_the_Dockerfile_copies_from_the_repository_exists_and_is_not_ignored()
    {
        var ignored = File.ReadAllLines(Repo.PathOf("deploy", "docker", "Dockerfile.dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (Match m in CopyLine().Matches(Dockerfile))
        {
            if (m.Value.Contains("--from=")) continue;
            var parts = m.Groups["args"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(a => !a.StartsWith("--")).ToList();
            foreach (var source in parts[..^1])
            {
                Assert.True(Path.Exists(Repo.PathOf(source.TrimEnd('/'))), $"COPY {source}: no such path");
                Assert.DoesNotContain(ignored, i => source.StartsWith(i.TrimStart('*', '/').TrimEnd('/')) && !i.StartsWith("**"));
            }
        }
    }

    [Fact]
    public void The_backend_and_base_image_are_build_arguments_and_the_CPU_build_carries_LibTorch_into_the_image()
    {
        var dockerfile = Dockerfile;
        Assert.Matches(@"ARG TORCH_BACKEND=cpu", dockerfile);
        Assert.Matches(@"ARG BASE_IMAGE=", dockerfile);
        Assert.Matches(@"FROM \$\{BASE_IMAGE\}", dockerfile);
        Assert.Matches(@"FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build", dockerfile);
        Assert.Contains("dotnet publish src/Client/Client.csproj", dockerfile);
        Assert.Contains("-p:TorchBackend=${TORCH_BACKEND}", dockerfile);
        // The CPU packages leave LibTorch in the NuGet cache (src/Models/Models.csproj): the image must copy it.
        Assert.Contains("libtorch-cpu-linux-x64", dockerfile);
        Assert.Contains("libLibTorchSharp.so", dockerfile);
        Assert.Contains("ExcludeAssets=\"native\"", Repo.Read("src", "Models", "Models.csproj"));
        Assert.Matches(@"(?m)^USER orchestrator$", dockerfile);
        Assert.Matches(@"(?m)^ENTRYPOINT \[""orchestrator-entrypoint""\]$", dockerfile);
    }

    [Fact]
    public void The_scripts_are_valid_bash()
    {
        foreach (var script in new[] { "entrypoint.sh", "silo-health.sh" })
        {
            var run = Tool.Run("bash", ["-n", Repo.PathOf("deploy", "docker", script)], Repo.Root);
            Assert.True(run.ExitCode == 0, $"{script}: {run}");
        }
    }

    /// <summary>Runs the entry point with a stand-in `dotnet` that prints its arguments and the settings it got.</summary>
    private static (string Arguments, Dictionary<string, string> Environment) RunEntrypoint(Dictionary<string, string?> environment, params string[] args)
    {
        var bin = Path.Combine(Path.GetTempPath(), "deploy-tests-bin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(bin);
        try
        {
            var fake = Path.Combine(bin, "dotnet");
            File.WriteAllText(fake, "#!/usr/bin/env bash\nprintf 'ARGS'; printf ' %s' \"$@\"; printf '\\n'\nenv | grep -E '^(Orchestrator__|ORCHESTRATOR_DATABASE)' \n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            var env = new Dictionary<string, string?>(environment)
            {
                ["PATH"] = bin + ":" + System.Environment.GetEnvironmentVariable("PATH"),
                ["Orchestrator__Silo__Database"] = environment.GetValueOrDefault("Orchestrator__Silo__Database"),
                ["ORCHESTRATOR_DATABASE"] = environment.GetValueOrDefault("ORCHESTRATOR_DATABASE"),
            };
            var run = Tool.Run("bash", [Repo.PathOf("deploy", "docker", "entrypoint.sh"), .. args], Repo.Root, env);
            Assert.True(run.ExitCode == 0, run.ToString());
            var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var vars = lines.Skip(1).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            return (lines[0], vars);
        }
        finally { Directory.Delete(bin, recursive: true); }
    }

    [Fact]
    public void The_entrypoint_builds_the_connection_string_from_the_password_file_and_keeps_it_off_the_command_line()
    {
        var secret = Path.GetTempFileName();
        try
        {
            File.WriteAllText(secret, "s3;cr\"et\n");
            var (arguments, env) = RunEntrypoint(new()
            {
                ["PGHOST"] = "db", ["PGPORT"] = "5433", ["PGDATABASE"] = "runs", ["PGUSER"] = "silo",
                ["ORCHESTRATOR_DATABASE_PASSWORD_FILE"] = secret, ["Orchestrator__Silo__AdvertisedAddress"] = null,
            }, "silo", "--role", "worker");
            Assert.Equal("ARGS /app/orchestrator.dll silo --role worker", arguments);
            var expected = "Host=db;Port=5433;Database=runs;Username=silo;Password=\"s3;cr\"\"et\"";
            Assert.Equal(expected, env["Orchestrator__Silo__Database"]);
            Assert.Equal(expected, env["ORCHESTRATOR_DATABASE"]);
            // The quoting is what a connection-string parser reads back as the password.
            var parsed = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = expected };
            Assert.Equal("s3;cr\"et", parsed["Password"]);
            Assert.DoesNotContain("cr", arguments);
            // The advertised address is this host's own, not loopback.
            Assert.True(System.Net.IPAddress.TryParse(env["Orchestrator__Silo__AdvertisedAddress"], out var address), env["Orchestrator__Silo__AdvertisedAddress"]);
            // (A machine with loopback alone, as some CI sandboxes are, has no other address to give.)
            var hasOther = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .Where(i => i.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
                .SelectMany(i => i.GetIPProperties().UnicastAddresses).Any(a => !System.Net.IPAddress.IsLoopback(a.Address) && a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
            if (hasOther) Assert.False(System.Net.IPAddress.IsLoopback(address), $"advertised {address}");
        }
        finally { File.Delete(secret); }
    }

    [Fact]
    public void The_entrypoint_keeps_a_given_connection_string_and_address()
    {
        var (_, env) = RunEntrypoint(new()
        {
            ["ORCHESTRATOR_DATABASE"] = "Host=managed;Username=u;Password=p;SSL Mode=Require",
            ["ORCHESTRATOR_DATABASE_PASSWORD_FILE"] = "/nonexistent",
            ["Orchestrator__Silo__AdvertisedAddress"] = "10.1.2.3",
        }, "workers");
        Assert.Equal("Host=managed;Username=u;Password=p;SSL Mode=Require", env["Orchestrator__Silo__Database"]);
        Assert.Equal("10.1.2.3", env["Orchestrator__Silo__AdvertisedAddress"]);
    }

    [Fact]
    public void The_entrypoint_stops_when_the_password_file_cannot_be_read()
    {
        var run = Tool.Run("bash", [Repo.PathOf("deploy", "docker", "entrypoint.sh"), "silo"], Repo.Root, new Dictionary<string, string?>
        {
            ["Orchestrator__Silo__Database"] = null, ["ORCHESTRATOR_DATABASE"] = null, ["ORCHESTRATOR_DATABASE_PASSWORD_FILE"] = "/nonexistent/password",
        });
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("/nonexistent/password", run.Error);
    }

    [GeneratedRegex(@"<ProjectReference Include=""([^""]+)""")]
    private static partial Regex ProjectReference();

    [GeneratedRegex(@"<EmbeddedResource Include=""([^""]+)""")]
    private static partial Regex EmbeddedResource();

    [GeneratedRegex(@"(?m)^COPY (?<args>.+)$")]
    private static partial Regex CopyLine();
}
