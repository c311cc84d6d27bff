using System.CommandLine;

namespace Orchestrator.Client;

/// <summary>
/// One worked example per command, appended to its <c>--help</c>. Kept in one table rather than
/// beside each command so that a test can parse every example against the real command tree: an
/// example naming an option that was renamed fails the build's tests instead of misleading a user.
/// </summary>
public static class CommandExamples
{
    /// <summary>Command path (as typed after <c>orchestrator</c>) -> example arguments.</summary>
    public static IReadOnlyDictionary<string, string> ByCommand { get; } = new Dictionary<string, string>
    {
        ["corpus"] = "corpus check --corpus /data/IEMOCAP_full_release",
        ["corpus check"] = "corpus check --corpus /data/IEMOCAP_full_release --json",
        ["corpus synth"] = "corpus synth --corpus /tmp/synthetic --utterances 600 --seed 7",
        ["encode"] = "encode --checkpoint facebook/wav2vec2-base --wav Ses01F_impro01_F000.wav --out states.safetensors",
        ["features"] = "features extract --corpus /data/IEMOCAP_full_release --wav2vec2 facebook/wav2vec2-base --bert bert-base-uncased --store /data/features",
        ["features extract"] = "features extract --corpus /data/IEMOCAP_full_release --wav2vec2 facebook/wav2vec2-base --bert bert-base-uncased --store /data/features",
        ["features inspect"] = "features inspect --store /data/features",
        ["features export"] = "features export --store /data/features --utterance Ses01F_impro01_F000 --out Ses01F_impro01_F000.safetensors",
        ["results"] = "results 3 --table 2 --report sweep3.html --compare late:T+F,coattention:T+F",
        ["train"] = "train --store /data/features --model late --streams T,F --fold 1 --repeat 1",
        ["cv"] = "cv --store /data/features --model coattention --streams T,F,W --repeats 5",
        ["combine"] = "combine --store /data/features --early coattention:T+F --late late:T+F",
        ["demo"] = "demo --work-dir /tmp/demo --parallel 2",
        ["sweep"] = "sweep submit grids/paper.yaml --watch",
        ["sweep submit"] = "sweep submit grids/paper.yaml --priority 10 --watch",
        ["sweep status"] = "sweep status 3 --watch",
        ["sweep runs"] = "sweep runs 3",
        ["sweep run"] = "sweep run 412",
        ["sweep pause"] = "sweep pause 3",
        ["sweep resume"] = "sweep resume 3",
        ["sweep cancel"] = "sweep cancel 3",
        ["workers"] = "workers",
        ["silo"] = "silo --role worker --slots 4 --address 10.0.0.12 --http-port 9400",
        ["database"] = "database psql",
        ["database start"] = "database start",
        ["database stop"] = "database stop",
        ["database psql"] = "database psql",
        ["database grant-silo-role"] = "database grant-silo-role orchestrator_silo --password-file /run/secrets/silo-password",
    };

    /// <summary>Appends "Example:" to the description of every command under <paramref name="root"/> that has one.</summary>
    public static RootCommand WithExamples(this RootCommand root)
    {
        foreach (var (path, command) in Walk(root, ""))
            if (ByCommand.TryGetValue(path, out var example))
                command.Description = $"{command.Description}\n\nExample:\n  orchestrator {example}";
        return root;
    }

    /// <summary>
    /// Every command below <paramref name="command"/> with its path ("sweep submit"), except hidden ones: those
    /// are started by the program itself (corpus synth-worker), are not in any help, and need no example.
    /// </summary>
    public static IEnumerable<(string Path, Command Command)> Walk(Command command, string path)
    {
        foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
        {
            var subPath = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
            yield return (subPath, sub);
            foreach (var nested in Walk(sub, subPath)) yield return nested;
        }
    }
}
