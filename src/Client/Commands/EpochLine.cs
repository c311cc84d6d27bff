using System.Text.Json.Serialization;

namespace Orchestrator.Client.Commands;

/// <summary>
/// One epoch of <c>train --json</c>, written as a line on standard error while the run trains: worker
/// silos follow a run's progress from these lines and stop a run whose lease was lost at an epoch boundary.
/// </summary>
internal sealed record EpochLine(
    [property: JsonPropertyName("epoch")] int Epoch,
    [property: JsonPropertyName("loss")] double Loss,
    [property: JsonPropertyName("validation_ua")] double ValidationUnweightedAccuracy,
    [property: JsonPropertyName("best")] bool Best);

[JsonSerializable(typeof(EpochLine))]
internal sealed partial class TrainingCommandsJson : JsonSerializerContext;
