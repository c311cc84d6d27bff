using static TorchSharp.torch;

namespace Orchestrator.Models.Training;

/// <summary>
/// Every run of one configuration under the paper's protocol: leave-one-session-out folds times
/// repeats (5 x 5 = 25 on IEMOCAP), in this process. The orchestrator schedules the same runs on
/// worker silos and keeps them in PostgreSQL; this is the library form, for tests and scripts.
/// </summary>
public static class CrossValidation
{
    /// <summary>The plan a configuration's runs share: folds by session, the validation split per repeat.</summary>
    public static CrossValidationPlan Plan(TrainingData data, TrainingOptions training) =>
        new(data.Items, new ValidationSplitOptions(training.ValidationFraction, training.StratifiedValidation));

    /// <summary>
    /// Runs every fold x repeat; returns the runs ordered by repeat then fold. Without <paramref name="execute"/> the runs train one after another on
    /// this thread. With it (e.g. a pool of worker processes), <paramref name="parallelism"/> of them
    /// are under way at once; results do not depend on where a run executes.
    /// </summary>
    /// <remarks>
    /// Why not threads: TorchSharp's implicit <c>Scalar</c> arguments (<c>x * 0.5</c>,
    /// <c>masked_fill(mask, 0)</c>) are freed by their finalizer, which a collection triggered by
    /// another thread can run while the native call still reads them. One training thread per
    /// process avoids that; a process per concurrent run is the unit the orchestrator schedules anyway.
    /// </remarks>
    public static IReadOnlyList<RunResult> Run(TrainingData data, ModelConfiguration configuration, int repeats,
        Device? device = null, IProgress<CrossValidationProgress>? progress = null, CancellationToken cancellation = default,
        Func<int, int, CancellationToken, RunResult>? execute = null, int parallelism = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        if (execute is null) parallelism = 1;
        var plan = Plan(data, configuration.Training);
        var finished = new Dictionary<(int Fold, int Repeat), RunResult>();
        var runs = plan.Runs(repeats).ToList();
        var pending = runs;
        var done = 0;
        var gate = new Lock();
        // libtorch's intra-op thread count is per thread (OpenMP): a pool thread that ran torch
        // before the caller set it keeps the count it started with. Each run takes the caller's,
        // so neither the load nor the last bits of a result depend on which thread trained it.
        var threads = get_num_threads();
        progress?.Report(new CrossValidationProgress(done, runs.Count, 0, 0, null));
        if (execute is null)
        {
            // In-process runs train here, on the caller's thread, one after another.
            foreach (var run in pending) RunOne(run);
            return runs.Select(r => finished[r]).ToList();
        }
        Parallel.ForEach(pending, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellation }, RunOne);
        return runs.Select(r => finished[r]).ToList();

        void RunOne((int Fold, int Repeat) run)
        {
            cancellation.ThrowIfCancellationRequested();
            set_num_threads(threads);
            var (fold, repeat) = run;
            var epochs = progress is null ? null : new Progress(p => progress.Report(new CrossValidationProgress(Volatile.Read(ref done), runs.Count, fold, repeat, p)));
            var result = execute is null
                ? RunTrainer.Run(data, plan, configuration, fold, repeat, device, epochs, cancellation)
                : execute(fold, repeat, cancellation);
            if (result.ConfigurationKey != configuration.Key || result.Fold != fold || result.Repeat != repeat)
                throw new InvalidDataException($"A worker returned run ({result.ConfigurationKey}, fold {result.Fold}, repeat {result.Repeat}) for ({configuration.Key}, fold {fold}, repeat {repeat}).");
            lock (gate)
            {
                finished[run] = result;
                done++;
                progress?.Report(new CrossValidationProgress(done, runs.Count, fold, repeat, null));
            }
        }
    }

    /// <summary>Synchronous progress: reports arrive on the training thread, in order.</summary>
    private sealed class Progress(Action<EpochReport> report) : IProgress<EpochReport>
    {
        public void Report(EpochReport value) => report(value);
    }
}
