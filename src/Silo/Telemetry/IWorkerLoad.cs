namespace Orchestrator.Silo.Telemetry;

/// <summary>What a running worker reports through its observable gauges.</summary>
public interface IWorkerLoad
{
    string Name { get; }

    int Slots { get; }

    int BusySlots { get; }

    int ResultsPending { get; }
}
