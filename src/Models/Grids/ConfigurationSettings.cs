using Orchestrator.Models.Fusion;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Grids;

/// <summary>
/// Every field of <see cref="ModelOptions"/> and <see cref="TrainingOptions"/> as a named
/// <see cref="ConfigurationSetting"/>, in the fixed order keys list them: the learning rates and
/// model sizes first, then how training runs. A field added to either record must be added here,
/// or configurations that differ only in it would share a key (and a seed, and a results file).
/// </summary>
public static class ConfigurationSettings
{
    /// <summary>Every setting, in key order.</summary>
    public static readonly IReadOnlyList<ConfigurationSetting> All =
    [
        ConfigurationSetting.Number("lr", c => c.Options.LearningRateOverride, (c, v) => c with { Options = c.Options with { LearningRateOverride = v } }),
        ConfigurationSetting.Number("ff-lr", c => c.Options.FeedForwardLearningRate, (c, v) => c with { Options = c.Options with { FeedForwardLearningRate = v } }),
        ConfigurationSetting.Number("attention-lr", c => c.Options.AttentionLearningRate, (c, v) => c with { Options = c.Options with { AttentionLearningRate = v } }),
        ConfigurationSetting.Whole("width", c => c.Options.BranchWidth, (c, v) => c with { Options = c.Options with { BranchWidth = v } }),
        ConfigurationSetting.Whole("heads", c => c.Options.AttentionHeads, (c, v) => c with { Options = c.Options with { AttentionHeads = v } }),
        ConfigurationSetting.Number("dropout", c => c.Options.Dropout, (c, v) => c with { Options = c.Options with { Dropout = v } }),
        ConfigurationSetting.Whole("ff-multiplier", c => c.Options.FeedForwardMultiplier, (c, v) => c with { Options = c.Options with { FeedForwardMultiplier = v } }),
        ConfigurationSetting.Whole("coattention-layers", c => c.Options.CoattentionLayers, (c, v) => c with { Options = c.Options with { CoattentionLayers = v } }),
        ConfigurationSetting.Whole("transformer-layers", c => c.Options.TransformerLayers, (c, v) => c with { Options = c.Options with { TransformerLayers = v } }),
        ConfigurationSetting.Choice("layer-weighting", c => c.Options.LayerWeighting, (c, v) => c with { Options = c.Options with { LayerWeighting = v } }),
        ConfigurationSetting.Whole("classes", c => c.Options.Classes, (c, v) => c with { Options = c.Options with { Classes = v } }),
        ConfigurationSetting.Whole("batch-size", c => c.Training.BatchSize, (c, v) => c with { Training = c.Training with { BatchSize = v } }),
        ConfigurationSetting.Whole("max-epochs", c => c.Training.MaxEpochs, (c, v) => c with { Training = c.Training with { MaxEpochs = v } }),
        ConfigurationSetting.Whole("patience", c => c.Training.Patience, (c, v) => c with { Training = c.Training with { Patience = v } }),
        ConfigurationSetting.Number("validation-fraction", c => c.Training.ValidationFraction, (c, v) => c with { Training = c.Training with { ValidationFraction = v } }),
        ConfigurationSetting.Flag("stratified", c => c.Training.StratifiedValidation, (c, v) => c with { Training = c.Training with { StratifiedValidation = v } }),
        ConfigurationSetting.Flag("per-speaker", c => c.Training.PerSpeakerStandardisation, (c, v) => c with { Training = c.Training with { PerSpeakerStandardisation = v } }),
        ConfigurationSetting.Choice("batch-order", c => c.Training.BatchOrder, (c, v) => c with { Training = c.Training with { BatchOrder = v } }),
    ];

    /// <summary>The setting called <paramref name="name"/> (exact, lower case); null when there is none.</summary>
    public static ConfigurationSetting? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    /// <summary>Every setting's name, in key order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToList();
}
