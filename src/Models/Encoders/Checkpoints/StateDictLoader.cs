using static TorchSharp.torch;

namespace Orchestrator.Models.Encoders.Checkpoints;

/// <summary>Copies a mapped checkpoint into a module's parameters, refusing any mismatch.</summary>
public static class StateDictLoader
{
    /// <summary>
    /// Loads every parameter and buffer of <paramref name="model"/> from <paramref name="checkpoint"/>,
    /// converting F16/BF16 to the parameter's dtype. Missing, unexpected and mis-shaped tensors are
    /// collected and reported together in one <see cref="CheckpointException"/>, before anything is copied.
    /// </summary>
    public static void Load(nn.Module model, MappedCheckpoint checkpoint)
    {
        var targets = model.state_dict();
        var missing = targets.Keys.Where(k => !checkpoint.Tensors.ContainsKey(k)).ToList();
        var unexpected = checkpoint.Tensors.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        var misShaped = targets.Where(t => checkpoint.Tensors.TryGetValue(t.Key, out var s) && !s.Shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key} (checkpoint {checkpoint.Tensors[t.Key].ShapeText}, model {SafeTensorsFile.FormatShape(t.Value.shape)})")
            .ToList();
        var notFloat = targets.Where(t => checkpoint.Tensors.TryGetValue(t.Key, out var s) && !is_floating_point(s.DType))
            .Select(t => $"{t.Key} ({checkpoint.Tensors[t.Key].DType})").ToList();

        var problems = new List<string>();
        if (missing.Count > 0) problems.Add($"missing tensors: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) problems.Add($"unexpected tensors: {string.Join(", ", unexpected)}");
        if (misShaped.Count > 0) problems.Add($"mis-shaped tensors: {string.Join(", ", misShaped)}");
        if (notFloat.Count > 0) problems.Add($"tensors that are not floating point: {string.Join(", ", notFloat)}");
        if (problems.Count > 0)
            throw new CheckpointException($"{checkpoint.Source} does not fit the model config: {string.Join("; ", problems)}.");

        using var noGrad = no_grad();
        foreach (var (name, target) in targets)
        {
            using var value = checkpoint.Tensors[name].Read();
            target.copy_(value);
        }
    }

    /// <summary>
    /// <see cref="Load"/>, then eval mode with gradients off: the encoders are frozen feature
    /// extractors. A model that cannot be loaded is disposed before the error propagates.
    /// </summary>
    public static T LoadFrozen<T>(T model, MappedCheckpoint checkpoint) where T : nn.Module
    {
        try
        {
            Load(model, checkpoint);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        foreach (var parameter in model.parameters()) parameter.requires_grad = false;
        return model;
    }
}
