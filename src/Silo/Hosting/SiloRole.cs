namespace Orchestrator.Silo.Hosting;

/// <summary>What a silo does: hosts the sweep grains and the client gateway, trains runs, or both.</summary>
public enum SiloRole
{
    Coordinator,
    Worker,
    Both,
}
