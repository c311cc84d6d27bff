using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Grids;

namespace Orchestrator.Models.Training;

/// <summary>
/// One row of a grid: a model over a set of streams, with its hyper-parameters and training
/// options. Its <see cref="Key"/> names it in results and seeds every run of it.
/// </summary>
public sealed record ModelConfiguration(ModelKind Model, IReadOnlyList<StreamKind> Streams, ModelOptions Options, TrainingOptions Training)
{
    /// <summary>The method's defaults for <paramref name="model"/> over <paramref name="streams"/>.</summary>
    public static ModelConfiguration Of(ModelKind model, IReadOnlyList<StreamKind> streams) =>
        new(model, streams.Distinct().Order().ToList(), new ModelOptions(), TrainingOptions.Default);

    /// <summary>
    /// <c>late:T+F</c> with the defaults; otherwise the settings that differ from them follow in
    /// <see cref="ConfigurationSettings"/> order, by the names grid files and the CLI use
    /// (<c>late:T+F[lr=0.0001,width=64]</c>): configurations with different settings never share a
    /// key (nor the seeds and the results file it gives them), and a user can read, type and
    /// <see cref="ParseKey">parse</see> it. Runs are seeded from the key: the defaults' keys must never change.
    /// </summary>
    public string Key
    {
        get
        {
            var name = $"{ModelNames.Of(Model)}:{StreamKinds.Label(Streams)}";
            var changed = ConfigurationSettings.All.Where(s => !s.IsDefault(this)).Select(s => $"{s.Name}={s.Format(this)}").ToList();
            return changed.Count == 0 ? name : $"{name}[{string.Join(",", changed)}]";
        }
    }

    /// <summary>
    /// The configuration whose <see cref="Key"/> is <paramref name="key"/>: the exact inverse, so a
    /// key that is not written as its configuration would write it (streams out of order, a default
    /// spelled out, <c>1e-4</c> for <c>0.0001</c>) is refused with the key to use instead.
    /// </summary>
    /// <exception cref="FormatException">The key is malformed or names an invalid configuration; the message names the bad part.</exception>
    public static ModelConfiguration ParseKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Contains('#'))
            throw new FormatException($"'{key}': a digest after '#' is how older versions keyed non-default settings and cannot be read back; write the settings out, e.g. late:T+F[lr=0.0001,width=64].");
        var colon = key.IndexOf(':');
        if (colon < 0)
            throw new FormatException($"'{key}' is not a configuration key: expected model:streams or model:streams[name=value,...], e.g. late:T+F or late:T+F[lr=0.0001].");
        var open = key.IndexOf('[', colon);
        var modelName = key[..colon];
        if (!ModelNames.TryParse(modelName, out var model))
            throw new FormatException($"'{key}': the model '{modelName}' is not one of {ModelNames.Choices}{ClosestName.Hint(modelName, ModelNames.All)}.");
        var configuration = Of(model, Parse(key, () => StreamKinds.Parse(open < 0 ? key[(colon + 1)..] : key[(colon + 1)..open])));
        try
        {
            FusionModels.CheckStreams(configuration.Model, configuration.Streams);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"'{key}': {e.Message}", e);
        }
        if (open >= 0)
        {
            if (!key.EndsWith(']') || key.Length == open + 2)
                throw new FormatException($"'{key}': the settings must be name=value pairs between '[' and a final ']', e.g. late:T+F[lr=0.0001].");
            var seen = new HashSet<string>();
            foreach (var pair in key[(open + 1)..^1].Split(','))
            {
                var equals = pair.IndexOf('=');
                if (equals <= 0) throw new FormatException($"'{key}': '{pair}' is not a name=value setting.");
                var name = pair[..equals];
                var setting = ConfigurationSettings.Find(name)
                    ?? throw new FormatException($"'{key}': '{name}' is not a setting{ClosestName.Hint(name, ConfigurationSettings.Names)}; the settings are {string.Join(", ", ConfigurationSettings.Names)}.");
                if (!seen.Add(name)) throw new FormatException($"'{key}': '{name}' is set twice.");
                configuration = Parse(key, () => setting.Apply(configuration, pair[(equals + 1)..]), name);
            }
        }
        if (configuration.Key != key)
            throw new FormatException($"'{key}' is not written as a key: the same configuration's key is '{configuration.Key}' (streams in T, F, P, S, W order, only settings that differ from the defaults, in a fixed order, numbers in their shortest form).");
        return configuration;
    }

    /// <summary>Runs one step of <see cref="ParseKey"/>, prefixing its <see cref="FormatException"/> with the key (and the setting).</summary>
    private static T Parse<T>(string key, Func<T> step, string? setting = null)
    {
        try
        {
            return step();
        }
        catch (FormatException e)
        {
            throw new FormatException($"'{key}': {(setting is null ? "" : $"{setting}: ")}{e.Message}", e);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Key;
}
