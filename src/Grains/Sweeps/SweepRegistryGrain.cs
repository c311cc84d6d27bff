using Orchestrator.Contracts.Sweeps;
using Orchestrator.Database;

namespace Orchestrator.Grains.Sweeps;

/// <summary>
/// Takes submitted grids and records them in PostgreSQL in one transaction: the sweep, its
/// configurations and every run it asks for that does not exist yet. Workers lease the queued runs
/// from the database themselves, so nothing here holds a run.
/// </summary>
public sealed class SweepRegistryGrain(RunQueue queue) : Grain, ISweepRegistryGrain
{
    public async Task<SweepSubmitted> Submit(SweepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Configurations.Count == 0) throw new ArgumentException($"Sweep '{request.Name}' has no configuration.");
        using var spans = SweepTracing.Start(request);
        var submitted = await queue.SubmitSweepAsync(new SweepSubmission(
            request.Name, request.StoreFingerprint, request.StorePath, request.StoreDescription, request.Grid,
            request.Repeats, request.Priority, request.Folds,
            request.Configurations.Select(c => new ConfigurationRow(c.Key, c.Model, c.Streams, "{}")).ToList(),
            request.Combinations.Select(c => (c.Early, c.Late)).ToList(),
            Trace: spans.Context));
        spans.Recorded(submitted.SweepId);
        return new SweepSubmitted(submitted.SweepId, submitted.RunsTotal, submitted.RunsNew + submitted.RunsRequeued, submitted.RunsAlreadyFinished);
    }

    public async Task<IReadOnlyList<SweepStatus>> List()
    {
        var sweeps = await queue.ListSweepsAsync();
        var statuses = new List<SweepStatus>(sweeps.Count);
        foreach (var sweep in sweeps) statuses.Add(await GrainFactory.GetGrain<ISweepGrain>(sweep.Id).GetStatus());
        return statuses;
    }
}
