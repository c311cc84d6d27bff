namespace Orchestrator.Database;

/// <summary>One configuration of a sweep, as the <c>configurations</c> table holds it.</summary>
/// <param name="Key"><c>ModelConfiguration.Key</c>, e.g. <c>late:T+F</c>: names the configuration and seeds its runs.</param>
/// <param name="Model">linear, transformer, late, coattention or concat.</param>
/// <param name="Streams">"T+F+S": the stream letters in the paper's order.</param>
/// <param name="SettingsJson">Its model and training settings as JSON (<c>{}</c> for the method's defaults).</param>
public sealed record ConfigurationRow(string Key, string Model, string Streams, string SettingsJson);
