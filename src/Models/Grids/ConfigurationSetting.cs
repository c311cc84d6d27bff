using System.Globalization;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Grids;

/// <summary>
/// One hyper-parameter or training option of a <see cref="ModelConfiguration"/> under the name that
/// configuration keys (<c>late:T+F[lr=0.0001]</c>) and grid files (<c>lr: 0.0001</c>) give it, with
/// the one text form of its value both use: invariant numbers, <c>true</c>/<c>false</c>, kebab-case
/// choices. Keys must read back exactly, so a value's text is a function of the value alone.
/// </summary>
public sealed class ConfigurationSetting
{
    private readonly Func<ModelConfiguration, string?> _format;
    private readonly Func<ModelConfiguration, string, ModelConfiguration?> _apply;

    private ConfigurationSetting(string name, string expected, Func<ModelConfiguration, string?> format, Func<ModelConfiguration, string, ModelConfiguration?> apply)
    {
        Name = name;
        Expected = expected;
        _format = format;
        _apply = apply;
    }

    /// <summary>The name, equal to the <c>train</c>/<c>cv</c> option where one exists (<c>lr</c>, <c>batch-size</c>).</summary>
    public string Name { get; }

    /// <summary>What a value must look like, for messages: "a whole number", "one of shuffled, length-bucketed".</summary>
    public string Expected { get; }

    /// <summary>The value's text in <paramref name="configuration"/>; null when the setting is unset (<c>lr</c> without an override).</summary>
    public string? Format(ModelConfiguration configuration) => _format(configuration);

    /// <summary>Whether <paramref name="configuration"/> holds the method's default for this setting.</summary>
    public bool IsDefault(ModelConfiguration configuration) => Format(configuration) == Format(Defaults);

    /// <summary><paramref name="configuration"/> with this setting set from <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">The text is not a value of the setting, or the value is out of range; the message says which.</exception>
    public ModelConfiguration Apply(ModelConfiguration configuration, string text)
    {
        var applied = _apply(configuration, text) ?? throw new FormatException($"'{text}' is not {Expected}.");
        try
        {
            applied.Options.Validate();
            applied.Training.Validate();
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
        return applied;
    }

    private static readonly ModelConfiguration Defaults = ModelConfiguration.Of(default, []);

    /// <summary>A whole-number setting.</summary>
    public static ConfigurationSetting Whole(string name, Func<ModelConfiguration, int> get, Func<ModelConfiguration, int, ModelConfiguration> set) =>
        new(name, "a whole number", c => get(c).ToString(CultureInfo.InvariantCulture),
            (c, text) => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? set(c, v) : null);

    /// <summary>A real-number setting, written in the shortest form that reads back to the same double.</summary>
    public static ConfigurationSetting Number(string name, Func<ModelConfiguration, double?> get, Func<ModelConfiguration, double, ModelConfiguration> set) =>
        new(name, "a number", c => get(c)?.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant(),
            (c, text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? set(c, v) : null);

    /// <summary>A yes/no setting.</summary>
    public static ConfigurationSetting Flag(string name, Func<ModelConfiguration, bool> get, Func<ModelConfiguration, bool, ModelConfiguration> set) =>
        new(name, "true or false", c => get(c) ? "true" : "false",
            (c, text) => bool.TryParse(text, out var v) ? set(c, v) : null);

    /// <summary>A setting that takes one of the values of <typeparamref name="TEnum"/>, written in kebab case (<c>length-bucketed</c>).</summary>
    public static ConfigurationSetting Choice<TEnum>(string name, Func<ModelConfiguration, TEnum> get, Func<ModelConfiguration, TEnum, ModelConfiguration> set)
        where TEnum : struct, Enum
    {
        var choices = Enum.GetValues<TEnum>().ToDictionary(Kebab);
        return new(name, $"one of {string.Join(", ", choices.Keys)}", c => Kebab(get(c)),
            (c, text) => choices.TryGetValue(text.ToLowerInvariant(), out var v) ? set(c, v) : null);
    }

    /// <summary>LengthBucketed as length-bucketed.</summary>
    private static string Kebab<TEnum>(TEnum value) where TEnum : struct, Enum =>
        string.Concat(value.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? $"-{char.ToLowerInvariant(ch)}" : char.ToLowerInvariant(ch).ToString()));
}
