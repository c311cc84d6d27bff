using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Orchestrator.Models.Features;
using Orchestrator.Models.Fusion;

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
    /// <c>late:T+F</c> with the defaults; any other hyper-parameters add a short digest of them
    /// (<c>late:T+F#3fa2c1d0</c>), so two configurations share a key exactly when they train alike.
    /// </summary>
    public string Key
    {
        get
        {
            var name = $"{Model.ToString().ToLowerInvariant()}:{StreamKinds.Label(Streams)}";
            if (Options == new ModelOptions() && Training == TrainingOptions.Default) return name;
            var settings = JsonSerializer.Serialize(new { Options, Training }, new JsonSerializerOptions { IncludeFields = false });
            return $"{name}#{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings)))[..8]}";
        }
    }

    /// <inheritdoc />
    public override string ToString() => Key;
}
