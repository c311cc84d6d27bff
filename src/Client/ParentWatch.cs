using Orchestrator.Silo.Workers;

namespace Orchestrator.Client;

/// <summary>
/// The child side of <see cref="RunProcess"/>: a run process whose parent (a worker silo) dies exits
/// too, so killing a silo, even with kill -9, never leaves orphaned runs training.
/// </summary>
public static class ParentWatch
{
    /// <summary>Whether this process was started by a worker silo (its standard input is a pipe from the silo).</summary>
    public static bool IsRunProcess => Environment.GetEnvironmentVariable(RunProcess.ParentPipeVariable) == "1";

    /// <summary>In a run process: exits as soon as the parent's end of standard input closes.</summary>
    public static void ExitWithParent()
    {
        if (!IsRunProcess) return;
        new Thread(() =>
        {
            try { while (Console.In.Read() >= 0) { } }
            catch (IOException) { }
            Environment.Exit(137);
        }) { IsBackground = true, Name = "parent watch" }.Start();
    }
}
