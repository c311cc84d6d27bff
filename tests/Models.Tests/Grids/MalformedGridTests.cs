using Orchestrator.Models.Grids;

namespace Orchestrator.Models.Tests.Grids;

/// <summary>Every mistake is reported at its file, line, column and key, before anything runs.</summary>
public sealed class MalformedGridTests
{
    private const string Source = "grids/bad.yaml";

    public static TheoryData<string, int, int, string?, string> Cases => new()
    {
        // YAML syntax: YamlDotNet's own position and message.
        { "store: s\nconfigurations: [{model: late, streams: T+F}\n", 3, 1, null, "did not find expected ',' or ']'" },
        { "store: s\nstore: t\nconfigurations: []\n", 2, 1, null, "Duplicate key store" },
        { "", 1, 1, null, "the file is empty" },
        { "- store: s\n", 1, 1, null, "a grid is a mapping (name: value), not a list" },
        // Keys.
        { "store: s\nrepeat: 3\nconfigurations: [{model: late, streams: T+F}]\n", 2, 1, "repeat", "'repeat' is not a key of a grid (did you mean 'repeats'?)" },
        { "store: s\nconfigurations:\n  - {modle: late, streams: T+F}\n", 3, 6, "configurations[0].modle", "(did you mean 'model'?)" },
        { "store: s\nconfigurations:\n  - {model: late, streams: T+F, stratifed: true}\n", 3, 33, "configurations[0].stratifed", "(did you mean 'stratified'?)" },
        { "store: s\ndefaults: {max-epoch: 50}\nconfigurations: [{model: late, streams: T+F}]\n", 2, 12, "defaults.max-epoch", "(did you mean 'max-epochs'?)" },
        { "store: s\nconfigurations:\n  - {streams: T+F}\n", 3, 5, "configurations[0].model", "missing: every configuration names its model" },
        // Models and streams.
        { "store: s\nconfigurations:\n  - {model: late, streams: T+F}\n  - {model: linear, streams: T}\n  - {model: late, streams: T+W}\n  - model: lstm\n    streams: T\n", 6, 12, "configurations[3].model", "'lstm' is not one of linear, transformer, late, coattention, concat" },
        { "store: s\nconfigurations:\n  - {model: [linear, transformr], streams: T}\n", 3, 22, "configurations[0].model[1]", "(did you mean 'transformer'?)" },
        { "store: s\nconfigurations:\n  - {model: late, streams: T+Q}\n", 3, 28, "configurations[0].streams", "'Q' is not a stream" },
        { "store: s\nconfigurations:\n  - {model: linear, streams: [T, T+F]}\n", 3, 34, "configurations[0].streams[1]", "Linear takes exactly one stream, got T+F" },
        { "store: s\nconfigurations:\n  - {model: concat, streams: T+F+P}\n", 3, 30, "configurations[0].streams", "Concatenation needs the text stream T plus exactly one speech stream" },
        { "store: s\nconfigurations:\n  - {model: late, streams: [T+F, T+W]}\n  - {model: late, streams: F+T}\n", 4, 28, "configurations[1].streams", "late:T+F is already in the grid (configurations[0].streams[0], line 3)" },
        // Settings.
        { "store: s\nconfigurations:\n  - {model: late, streams: T+F, width: 0}\n", 3, 40, "configurations[0].width", "BranchWidth must be positive, got 0" },
        { "store: s\nconfigurations:\n  - {model: late, streams: T+F, width: wide}\n", 3, 40, "configurations[0].width", "'wide' is not a whole number" },
        { "store: s\nconfigurations:\n  - {model: late, streams: T+F, batch-order: random}\n", 3, 46, "configurations[0].batch-order", "'random' is not one of shuffled, length-bucketed" },
        // Combinations.
        { "store: s\nconfigurations: [{model: late, streams: T+F}, {model: coattention, streams: T+F+P}]\ncombinations:\n  - {early: coattention:T+F+Q, late: late:T+F}\n", 4, 13, "combinations[0].early", "'coattention:T+F+Q' is not a configuration of this grid (did you mean 'coattention:T+F+P'?)" },
        { "store: s\nconfigurations: [{model: late, streams: T+F}]\ncombinations:\n  - {early: late:T+F, late: late:T+F}\n", 4, 29, "combinations[0].late", "both are late:T+F" },
        // Sweep settings.
        { "store: s\nrepeats: 0\nconfigurations: [{model: late, streams: T+F}]\n", 2, 10, "repeats", "0 is out of range: at least 1" },
        { "store: s\nfolds: [1, 6]\nconfigurations: [{model: late, streams: T+F}]\n", 2, 12, "folds[1]", "6 is out of range: 1 to 5" },
        { "store: s\nfolds: [1, 2, 1]\nconfigurations: [{model: late, streams: T+F}]\n", 2, 15, "folds[2]", "fold 1 is listed twice" },
        { "name: my grid\nstore: s\nconfigurations: [{model: late, streams: T+F}]\n", 1, 7, "name", "'my grid' is not a sweep name" },
        { "store: s\nconfigurations: []\n", 2, 17, "configurations", "expected a non-empty list of configurations" },
        // Where the features come from.
        { "store: s\ncorpus: c\nconfigurations: [{model: late, streams: T+F}]\n", 2, 1, "corpus", "give either store (a feature store to train on) or corpus (to extract one from), not both" },
        { "repeats: 1\nconfigurations: [{model: late, streams: T+F}]\n", 1, 1, "store", "missing: a grid names a feature store (store: DIR) or a corpus" },
        { "store: s\nencoders: {bert: bert-base-uncased}\nconfigurations: [{model: late, streams: T+F}]\n", 2, 1, "encoders", "this grid reads an extracted store" },
        { "corpus: c\nencoders: {hubert: x}\nconfigurations: [{model: late, streams: T+F}]\n", 2, 12, "encoders.hubert", "'hubert' is not a key of encoders (did you mean 'bert'?); the keys are wav2vec2, bert" },
        { "store:\nconfigurations: [{model: late, streams: T+F}]\n", 1, 7, "store", "a value is missing" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_malformed_grid_is_refused_at_its_file_line_column_and_key(string yaml, int line, int column, string? key, string problem)
    {
        var error = Assert.Throws<GridException>(() => GridFile.Parse(yaml, Source));

        Assert.Equal((Source, line, column, key), (error.SourceName, error.Line, error.Column, error.Key));
        Assert.StartsWith($"{Source}:{line}:{column}: {(key is null ? "" : key + ": ")}", error.Message);
        Assert.Contains(problem, error.Message);
    }
}
