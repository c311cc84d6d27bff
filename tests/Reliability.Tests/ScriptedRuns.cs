using System.Text.Json;
using Orchestrator.Database;
using Orchestrator.Models.Training;
using Orchestrator.Silo.Workers;

namespace Orchestrator.Reliability.Tests;

/// <summary>
/// Run processes through the real process executor, with a shell script standing in for
/// <c>orchestrator train</c> (which would load libtorch for seconds per run on this small machine):
/// it prints one epoch line a second for three epochs, then a prepared result. A run of linear:W
/// hangs on its first attempt after one epoch (<c>exec sleep 600</c>: no progress, still alive).
/// </summary>
public static class ScriptedRuns
{
    // $4 configuration, $6 fold, $8 repeat (after $0 "run", --store S --configuration K --fold F --repeat R).
    private const string Script = """
        file="$RESULTS/$(printf '%s_%s_%s' "$4" "$6" "$8" | tr ':' '-')"
        if [ "$4" = linear:W ] && [ ! -e "$file.tried" ]; then : > "$file.tried"; echo '{"epoch":1}' >&2; exec sleep 600; fi
        for epoch in 1 2 3; do sleep 1; echo "{\"epoch\":$epoch}" >&2; done
        cat "$file.json"
        """;

    /// <summary>The command line of the hanging attempt, to look for it among the processes.</summary>
    public static readonly string[] HangingCommand = ["sleep", "600"];

    /// <summary>Writes the result of every run of <paramref name="keys"/> x <paramref name="folds"/> (repeat 1) into <paramref name="folder"/>.</summary>
    public static void Prepare(DirectoryInfo folder, TinyStore store, IEnumerable<string> keys, IEnumerable<int> folds)
    {
        foreach (var key in keys)
            foreach (var fold in folds)
            {
                var result = NoopRunExecutor.Result(new LeasedRun(0, store.Fingerprint, store.Directory, key, "linear", key[7..], "{}", fold, 1, 1));
                File.WriteAllText(Path.Combine(folder.FullName, $"{key.Replace(':', '-')}_{fold}_1.json"), JsonSerializer.Serialize(result, TrainingJsonContext.Default.RunResult));
            }
    }

    /// <summary>Worker settings that run the script on the results of <paramref name="folder"/>.</summary>
    public static Dictionary<string, string> Worker(DirectoryInfo folder, TimeSpan? progressTimeout = null) => new()
    {
        ["Orchestrator__Worker__RunCommand__0"] = "/bin/sh",
        ["Orchestrator__Worker__RunCommand__1"] = "-c",
        ["Orchestrator__Worker__RunCommand__2"] = Script,
        ["Orchestrator__Worker__RunCommand__3"] = "run",
        ["Orchestrator__Worker__Poll"] = "00:00:00.2",
        ["Orchestrator__Worker__ProgressTimeout"] = $"{progressTimeout ?? TimeSpan.FromMinutes(5):c}",
        ["RESULTS"] = folder.FullName,
    };
}
