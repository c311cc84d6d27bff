namespace Orchestrator.Contracts.Sweeps;

/// <summary>
/// One configuration of a submitted grid as the cluster carries it: its key (the readable identity
/// that names and seeds its runs), the model, the streams and the settings that differ from the
/// method's defaults, as the key spells them.
/// </summary>
/// <param name="Key">The configuration key, e.g. <c>late:T+F</c>; unique within a sweep.</param>
/// <param name="Model">linear, transformer, late, coattention or concat.</param>
/// <param name="Streams">Stream letters joined by '+', e.g. <c>T+F+S</c>.</param>
[GenerateSerializer, Immutable]
public sealed record ConfigurationSpec(
    [property: Id(0)] string Key,
    [property: Id(1)] string Model,
    [property: Id(2)] string Streams);
