using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;
using Orchestrator.Models.Grids;
using Orchestrator.Models.Training;

namespace Orchestrator.Models.Tests.Grids;

public sealed class ConfigurationKeyTests
{
    /// <summary>A value other than the default for every setting, written as the key writes it.</summary>
    private static readonly (string Name, string Value)[] Changes =
    [
        ("lr", "0.0001"),
        ("ff-lr", "0.002"),
        ("attention-lr", "1e-05"),
        ("width", "64"),
        ("heads", "4"),
        ("dropout", "0.3"),
        ("ff-multiplier", "2"),
        ("coattention-layers", "2"),
        ("transformer-layers", "1"),
        ("layer-weighting", "softmax"),
        ("classes", "6"),
        ("batch-size", "16"),
        ("max-epochs", "50"),
        ("patience", "10"),
        ("validation-fraction", "0.2"),
        ("stratified", "true"),
        ("per-speaker", "true"),
        ("batch-order", "length-bucketed"),
    ];

    public static TheoryData<string, string> ChangedSettings
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (name, value) in Changes) data.Add(name, value);
            return data;
        }
    }

    private static readonly ModelConfiguration Defaults = ModelConfiguration.Of(ModelKind.Late, [StreamKind.Text, StreamKind.Frame]);

    [Theory]
    [InlineData(ModelKind.Late, "T,F", "late:T+F")]
    [InlineData(ModelKind.Linear, "T", "linear:T")]
    [InlineData(ModelKind.Transformer, "W", "transformer:W")]
    [InlineData(ModelKind.Coattention, "W,S,P,F,T", "coattention:T+F+P+S+W")]
    [InlineData(ModelKind.Concat, "F,T", "concat:T+F")]
    public void Default_settings_keep_the_plain_key_that_seeds_their_runs(ModelKind model, string streams, string expected)
    {
        var configuration = ModelConfiguration.Of(model, StreamKinds.Parse(streams));

        Assert.Equal(expected, configuration.Key);
        AssertSame(configuration, ModelConfiguration.ParseKey(expected));
    }

    [Theory]
    [MemberData(nameof(ChangedSettings))]
    public void A_setting_changed_alone_is_named_in_the_key_and_reads_back(string name, string value)
    {
        var configuration = ConfigurationSettings.Find(name)!.Apply(Defaults, value);

        var key = configuration.Key;

        Assert.Equal($"late:T+F[{name}={value}]", key);
        AssertSame(configuration, ModelConfiguration.ParseKey(key));
    }

    [Fact]
    public void Every_field_of_the_options_has_exactly_one_setting()
    {
        var fieldBySetting = Changes.ToDictionary(c => c.Name, c => ChangedFields(ConfigurationSettings.Find(c.Name)!.Apply(Defaults, c.Value)).Single());

        Assert.Equal(ConfigurationSettings.Names.Order(), fieldBySetting.Keys.Order());
        Assert.Equal(AllFields().Order(), fieldBySetting.Values.Order());
    }

    [Fact]
    public void Settings_appear_in_a_fixed_order_whatever_order_they_were_set_in()
    {
        var first = Defaults with { Training = Defaults.Training with { BatchOrder = BatchOrder.LengthBucketed }, Options = Defaults.Options with { BranchWidth = 64, LearningRateOverride = 1e-4 } };
        var second = Defaults with { Options = Defaults.Options with { LearningRateOverride = 1e-4, BranchWidth = 64 }, Training = Defaults.Training with { BatchOrder = BatchOrder.LengthBucketed } };

        Assert.Equal("late:T+F[lr=0.0001,width=64,batch-order=length-bucketed]", first.Key);
        Assert.Equal(first.Key, second.Key);
    }

    [Fact]
    public void A_configuration_with_every_setting_changed_reads_back()
    {
        var configuration = Changes.Aggregate(ModelConfiguration.Of(ModelKind.Coattention, StreamKinds.Parse("T+F+P")),
            (c, change) => ConfigurationSettings.Find(change.Name)!.Apply(c, change.Value));

        var parsed = ModelConfiguration.ParseKey(configuration.Key);

        AssertSame(configuration, parsed);
    }

    [Theory]
    [InlineData("lateT+F", "is not a configuration key")]
    [InlineData("lstm:T", "the model 'lstm' is not one of linear, transformer, late, coattention, concat")]
    [InlineData("lat:T+F", "(did you mean 'late'?)")]
    [InlineData("late:T+Q", "'late:T+Q': 'Q' is not a stream")]
    [InlineData("late:", "The stream list is empty")]
    [InlineData("linear:T+F", "'linear:T+F': Linear takes exactly one stream, got T+F")]
    [InlineData("concat:T+F+P", "Concatenation needs the text stream T plus exactly one speech stream")]
    [InlineData("late:T+F#3fa2c1d0", "a digest after '#'")]
    [InlineData("late:T+F[wdth=64]", "'wdth' is not a setting (did you mean 'width'?)")]
    [InlineData("late:T+F[width=abc]", "'late:T+F[width=abc]': width: 'abc' is not a whole number")]
    [InlineData("late:T+F[width=0]", "width: BranchWidth must be positive, got 0")]
    [InlineData("late:T+F[batch-order=random]", "batch-order: 'random' is not one of shuffled, length-bucketed")]
    [InlineData("late:T+F[width=64", "between '[' and a final ']'")]
    [InlineData("late:T+F[]", "between '[' and a final ']'")]
    [InlineData("late:T+F[width]", "'width' is not a name=value setting")]
    [InlineData("late:T+F[width=64,width=32]", "'width' is set twice")]
    [InlineData("late:F+T", "the same configuration's key is 'late:T+F'")]
    [InlineData("LATE:T+F", "the model 'LATE' is not one of")]
    [InlineData("late:T+F[width=128]", "the same configuration's key is 'late:T+F'")]
    [InlineData("late:T+F[lr=1e-4]", "the same configuration's key is 'late:T+F[lr=0.0001]'")]
    [InlineData("late:T+F[width=64,lr=0.0001]", "the same configuration's key is 'late:T+F[lr=0.0001,width=64]'")]
    public void A_key_that_is_not_one_is_refused_naming_the_bad_part(string key, string message)
    {
        var error = Assert.Throws<FormatException>(() => ModelConfiguration.ParseKey(key));

        Assert.Contains(message, error.Message);
    }

    private static void AssertSame(ModelConfiguration expected, ModelConfiguration actual)
    {
        Assert.Equal(expected.Model, actual.Model);
        Assert.Equal(expected.Streams, actual.Streams);
        Assert.Equal(expected.Options, actual.Options);
        Assert.Equal(expected.Training, actual.Training);
        Assert.Equal(expected.Key, actual.Key);
    }

    private static IEnumerable<string> AllFields() =>
        typeof(ModelOptions).GetProperties().Concat(typeof(TrainingOptions).GetProperties()).Where(p => p.CanWrite).Select(p => $"{p.DeclaringType!.Name}.{p.Name}");

    /// <summary>The fields that differ from the defaults, by reflection, so a field added to either record without a setting fails the test.</summary>
    private static IEnumerable<string> ChangedFields(ModelConfiguration configuration) =>
        typeof(ModelOptions).GetProperties().Where(p => p.CanWrite && !Equals(p.GetValue(configuration.Options), p.GetValue(new ModelOptions()))).Select(p => $"ModelOptions.{p.Name}")
            .Concat(typeof(TrainingOptions).GetProperties().Where(p => p.CanWrite && !Equals(p.GetValue(configuration.Training), p.GetValue(TrainingOptions.Default))).Select(p => $"TrainingOptions.{p.Name}"));
}
