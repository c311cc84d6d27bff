using Dapper;
using Npgsql;
using Orchestrator.Models.Training;

namespace Orchestrator.Database;

/// <summary>
/// The durable queue of training runs that workers lease from PostgreSQL, and the sweeps that ask
/// for them. Every method is one statement or one transaction, so a crash anywhere leaves the
/// queue consistent; parameters only, never SQL built from values.
/// </summary>
/// <remarks>
/// <para>A run is (store, configuration, fold, repeat), unique: sweeps that ask for the same run
/// share it (<c>sweep_runs</c>), so it is trained once and a finished one is never trained again.</para>
/// <para>Leases are the protocol between workers: a worker leases runs for a while, renews the lease
/// with heartbeats, and records a result or a failed attempt. When a worker dies its leases run out
/// and other workers take its runs; after <c>max_attempts</c> leases a run fails for good. Results
/// are recorded once, whoever finishes first, so a late finisher does no harm.</para>
/// <para>A sweep is completed, by the transaction that finishes its last run, once every run it
/// asked for has succeeded, failed or been cancelled.</para>
/// </remarks>
public sealed partial class RunQueue(NpgsqlDataSource dataSource)
{
    // Runs that still need a worker or have one.
    private const string Unfinished = "('queued', 'leased', 'running')";

    /// <summary>
    /// Records a sweep: its store, configurations, combinations, and a run for every configuration
    /// x fold x repeat that does not exist yet. Existing runs are linked to the sweep: succeeded ones
    /// as they are, failed or cancelled ones queued again with fresh attempts, the rest left to run.
    /// </summary>
    /// <exception cref="ArgumentException">The submission is incomplete or inconsistent; the message names the part at fault.</exception>
    public Task<SweepSubmissionResult> SubmitSweepAsync(SweepSubmission submission, CancellationToken ct = default)
    {
        Validate(submission);
        var keys = submission.Configurations.Select(c => c.Key).ToArray();
        var parameters = new
        {
            submission.Name, Store = submission.StoreFingerprint, submission.StorePath, Description = submission.StoreDescriptionJson,
            Grid = submission.GridYaml, Folds = submission.Folds.ToArray(), submission.Repeats, submission.Priority, submission.MaxAttempts,
            Keys = keys,
            Models = submission.Configurations.Select(c => c.Model).ToArray(),
            Streams = submission.Configurations.Select(c => c.Streams).ToArray(),
            Settings = submission.Configurations.Select(c => c.SettingsJson).ToArray(),
            Early = submission.Combinations.Select(c => c.Early).ToArray(),
            Late = submission.Combinations.Select(c => c.Late).ToArray(),
            SweepTrace = submission.Trace?.Sweep,
            ConfigurationTraces = keys.Select(k => submission.Trace?.Configurations.GetValueOrDefault(k)).ToArray(),
        };
        const string wanted = """
            SELECT @Store AS store_fingerprint, k AS configuration_key, f AS fold, r AS repeat
            FROM unnest(@Keys::text[]) AS k CROSS JOIN unnest(@Folds::integer[]) AS f CROSS JOIN generate_series(1, @Repeats) AS r
            """;
        return Transactions.RunAsync(dataSource, async (connection, transaction) =>
        {
            var sweepId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO stores (fingerprint, path, description) VALUES (@Store, @StorePath, nullif(@Description, '')::jsonb)
                ON CONFLICT (fingerprint) DO UPDATE SET path = EXCLUDED.path, description = EXCLUDED.description;
                INSERT INTO configurations (key, model, streams, settings)
                SELECT k, m, s, j::jsonb FROM unnest(@Keys::text[], @Models::text[], @Streams::text[], @Settings::text[]) AS t(k, m, s, j)
                ON CONFLICT (key) DO NOTHING;
                INSERT INTO sweeps (name, store_fingerprint, grid, folds, repeats, priority, trace_parent)
                VALUES (@Name, @Store, @Grid, @Folds, @Repeats, @Priority, @SweepTrace)
                RETURNING id;
                """, parameters, transaction, cancellationToken: ct));
            var sweep = new { SweepId = sweepId };
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO sweep_configurations (sweep_id, configuration_key, position, trace_parent)
                SELECT @SweepId, k, p, tp FROM unnest(@Keys::text[], @ConfigurationTraces::text[]) WITH ORDINALITY AS t(k, tp, p);
                INSERT INTO sweep_combinations (sweep_id, early_key, late_key)
                SELECT @SweepId, e, l FROM unnest(@Early::text[], @Late::text[]) AS t(e, l)
                ON CONFLICT DO NOTHING;
                """, Merge(parameters, sweep), transaction, cancellationToken: ct));
            var created = await connection.ExecuteAsync(new CommandDefinition($"""
                INSERT INTO runs (store_fingerprint, configuration_key, fold, repeat, max_attempts)
                SELECT w.*, @MaxAttempts FROM ({wanted}) AS w
                ON CONFLICT (store_fingerprint, configuration_key, fold, repeat) DO NOTHING
                """, parameters, transaction, cancellationToken: ct));
            var requeued = await connection.ExecuteAsync(new CommandDefinition($"""
                UPDATE runs SET state = 'queued', attempts = 0, max_attempts = @MaxAttempts, worker = NULL, lease_expires_at = NULL,
                                epoch = NULL, started_at = NULL, finished_at = NULL, queued_at = now()
                FROM ({wanted}) AS w
                WHERE (runs.store_fingerprint, runs.configuration_key, runs.fold, runs.repeat) = (w.store_fingerprint, w.configuration_key, w.fold, w.repeat)
                  AND runs.state IN ('failed', 'cancelled')
                """, parameters, transaction, cancellationToken: ct));
            var (total, succeeded) = await connection.QuerySingleAsync<(int, int)>(new CommandDefinition($"""
                WITH linked AS (
                    INSERT INTO sweep_runs (sweep_id, run_id)
                    SELECT @SweepId, runs.id FROM runs JOIN ({wanted}) AS w
                      ON (runs.store_fingerprint, runs.configuration_key, runs.fold, runs.repeat) = (w.store_fingerprint, w.configuration_key, w.fold, w.repeat)
                    RETURNING run_id
                )
                SELECT count(*)::integer, count(*) FILTER (WHERE runs.state = 'succeeded')::integer
                FROM linked JOIN runs ON runs.id = linked.run_id
                """, Merge(parameters, sweep), transaction, cancellationToken: ct));
            await CompleteFinishedSweepsAsync(connection, transaction, "SELECT @SweepId", sweep, ct);
            return new SweepSubmissionResult(sweepId, total, created, succeeded, requeued);
        }, ct);
    }

    /// <summary>A signal that fires when runs may have been queued (<see cref="QueueSignal"/>); dispose it to stop listening.</summary>
    public QueueSignal Listen() => new(dataSource);

    /// <summary>
    /// Leases up to <paramref name="count"/> runs to <paramref name="worker"/> for <paramref name="lease"/>:
    /// queued runs, and runs whose lease ran out (their worker died), of at least one active sweep.
    /// Runs whose last allowed lease ran out are failed instead. Order: the highest sweep priority
    /// first; among equals the sweep with the fewest runs in flight, counting those this call takes
    /// (so a batch alternates between sweeps); then the oldest sweep, then the oldest run.
    /// </summary>
    /// <returns>The leased runs, in no particular order; empty when none is waiting.</returns>
    public Task<IReadOnlyList<LeasedRun>> LeaseAsync(string worker, int count, TimeSpan lease, CancellationToken ct = default) =>
        LeaseAsync(worker, count, lease, start: false, ct);

    /// <summary>
    /// <see cref="LeaseAsync(string, int, TimeSpan, CancellationToken)"/> and <see cref="StartAsync"/> of every run it leases,
    /// in the same statement: for a worker that starts what it leases at once (one round trip and one commit
    /// fewer per lease). The runs are running, with their start time, when this returns.
    /// </summary>
    public Task<IReadOnlyList<LeasedRun>> LeaseAndStartAsync(string worker, int count, TimeSpan lease, CancellationToken ct = default) =>
        LeaseAsync(worker, count, lease, start: true, ct);

    private Task<IReadOnlyList<LeasedRun>> LeaseAsync(string worker, int count, TimeSpan lease, bool start, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        return Transactions.RunAsync<IReadOnlyList<LeasedRun>>(dataSource, async (connection, transaction) =>
        {
            var given = (await connection.QueryAsync<long>(new CommandDefinition("""
                UPDATE runs SET state = 'failed', finished_at = now(), lease_expires_at = NULL,
                                error = format('lease expired on attempt %s of %s; last worker %s', attempts, max_attempts, worker)
                WHERE state IN ('leased', 'running') AND lease_expires_at < now() AND attempts >= max_attempts
                RETURNING id
                """, transaction: transaction, cancellationToken: ct))).ToArray();
            if (given.Length > 0)
                await CompleteFinishedSweepsAsync(connection, transaction, "SELECT sweep_id FROM sweep_runs WHERE run_id = ANY(@Runs)", new { Runs = given }, ct);
            // The lease conditions are repeated on the locked row: FOR UPDATE re-checks them there
            // against a run another worker leased since this statement's snapshot.
            // sweep_load is materialised: inlined, its busy count ran once per candidate run instead of once per sweep.
            // Candidates are each active sweep's first runs by id (indexes runs_queued and runs_lease_expiry), not
            // its whole queue: no lease takes more than @Count runs of a sweep, and those are its first ones, so
            // ranking the first @Window (@Count, plus room for runs other transactions hold locked) gives the same
            // lease as ranking all of them, at a cost that does not grow with the queue.
            var leased = (await connection.QueryAsync<LeasedRun>(new CommandDefinition(Lease,
                new { Worker = worker, Count = count, Window = (int?)CandidateWindow(count), LeaseSeconds = lease.TotalSeconds, Start = start }, transaction, cancellationToken: ct))).ToList();
            // Short: the queue may be empty, or so many of a sweep's first runs held by others that the window
            // missed free ones behind them. Ranking every waiting run settles it (cheap when few are waiting).
            if (leased.Count < count)
                leased.AddRange(await connection.QueryAsync<LeasedRun>(new CommandDefinition(Lease,
                    new { Worker = worker, Count = count - leased.Count, Window = (int?)null, LeaseSeconds = lease.TotalSeconds, Start = start }, transaction, cancellationToken: ct)));
            return leased;
        }, ct);
    }

    /// <summary>The lease statement of <see cref="LeaseAsync(string, int, TimeSpan, bool, CancellationToken)"/>; @Window null ranks every waiting run.</summary>
    private const string Lease = """
                WITH sweep_load AS MATERIALIZED (
                    SELECT s.id, s.priority, s.submitted_at,
                           (SELECT count(*) FROM sweep_runs sr JOIN runs r ON r.id = sr.run_id
                            WHERE sr.sweep_id = s.id AND r.state IN ('leased', 'running') AND r.lease_expires_at >= now()) AS busy
                    FROM sweeps s WHERE s.state = 'active'
                ), candidates AS (
                    SELECT DISTINCT ON (c.run_id) c.run_id, l.id AS sweep_id, l.priority, l.busy, l.submitted_at
                    FROM sweep_load l CROSS JOIN LATERAL (
                        (SELECT r.id AS run_id FROM runs r
                         WHERE r.state = 'queued' AND EXISTS (SELECT 1 FROM sweep_runs sr WHERE sr.sweep_id = l.id AND sr.run_id = r.id)
                         ORDER BY r.id LIMIT @Window)
                        UNION ALL
                        (SELECT r.id FROM runs r
                         WHERE r.state IN ('leased', 'running') AND r.lease_expires_at < now()
                           AND EXISTS (SELECT 1 FROM sweep_runs sr WHERE sr.sweep_id = l.id AND sr.run_id = r.id)
                         ORDER BY r.id LIMIT @Window)) AS c
                    ORDER BY c.run_id, l.priority DESC, l.busy, l.submitted_at, l.id
                ), ranked AS (
                    SELECT c.*, row_number() OVER (PARTITION BY c.sweep_id ORDER BY c.run_id) AS turn FROM candidates c
                ), picked AS (
                    SELECT r.id, r.state <> 'queued' AS expired, k.sweep_id
                    FROM runs r JOIN ranked k ON k.run_id = r.id
                    WHERE r.state = 'queued' OR (r.state IN ('leased', 'running') AND r.lease_expires_at < now() AND r.attempts < r.max_attempts)
                    ORDER BY k.priority DESC, k.busy + k.turn, k.submitted_at, k.sweep_id, k.run_id
                    LIMIT @Count
                    FOR UPDATE OF r SKIP LOCKED
                )
                UPDATE runs r
                SET state = CASE WHEN @Start THEN 'running' ELSE 'leased' END, worker = @Worker,
                    lease_expires_at = now() + make_interval(secs => @LeaseSeconds),
                    attempts = r.attempts + 1, epoch = NULL, started_at = CASE WHEN @Start THEN now() END
                FROM picked p, configurations c, stores s
                WHERE r.id = p.id AND c.key = r.configuration_key AND s.fingerprint = r.store_fingerprint
                RETURNING r.id AS RunId, r.store_fingerprint AS StoreFingerprint, s.path AS StorePath, r.configuration_key AS ConfigurationKey,
                          c.model, c.streams, c.settings::text AS SettingsJson, r.fold, r.repeat, r.attempts AS Attempt,
                          p.expired AS LeaseExpired,
                          -- The span of the configuration in the sweep this lease served: the run span's parent.
                          (SELECT sc.trace_parent FROM sweep_configurations sc
                           WHERE sc.sweep_id = p.sweep_id AND sc.configuration_key = r.configuration_key) AS TraceParent
                """;

    /// <summary>How many waiting runs of each sweep a lease of <paramref name="count"/> ranks first: room for those that concurrent leases and completions hold locked.</summary>
    private static int CandidateWindow(int count) => 4 * count + 256;

    /// <summary>Marks a leased run as training; false when it is no longer <paramref name="worker"/>'s, which must then not start it.</summary>
    public async Task<bool> StartAsync(long runId, string worker, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE runs SET state = 'running', started_at = CASE WHEN state = 'leased' THEN now() ELSE started_at END
            WHERE id = @RunId AND worker = @Worker AND state IN ('leased', 'running')
            """, new { RunId = runId, Worker = worker }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Renews <paramref name="worker"/>'s lease on a run for <paramref name="lease"/> from now and
    /// records the epoch it reached. False when the run is no longer the worker's (another worker took
    /// it over, or its sweep was paused or cancelled): the worker must stop training it.
    /// </summary>
    public async Task<bool> HeartbeatAsync(long runId, string worker, int? epoch, TimeSpan lease, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE runs SET lease_expires_at = now() + make_interval(secs => @LeaseSeconds), epoch = coalesce(@Epoch, epoch)
            WHERE id = @RunId AND worker = @Worker AND state IN ('leased', 'running')
            """, new { RunId = runId, Worker = worker, Epoch = epoch, LeaseSeconds = lease.TotalSeconds }, cancellationToken: ct)) == 1;
    }

    /// <summary>
    /// Records a run's result and marks it succeeded, all in one transaction: results, test logits,
    /// epochs and layer weights are written whole or not at all. Any worker's result is taken as long
    /// as none is recorded (runs are deterministic, so a late finisher's is as good); a second call
    /// for the same run records nothing and returns false. <see cref="CompleteManyAsync"/> for one run.
    /// </summary>
    /// <exception cref="ArgumentException">There is no such run, or the result is of another configuration, fold or repeat, or its logits and labels do not pair up.</exception>
    public async Task<bool> CompleteAsync(long runId, string worker, RunResult result, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(worker);
        ArgumentNullException.ThrowIfNull(result);
        if (Unpaired(runId, result) is { } unpaired) throw new ArgumentException(unpaired, nameof(result));
        var outcome = (await CompleteManyAsync([new RunCompletion(runId, worker, result)], ct))[0];
        return outcome.Refusal is { } refusal ? throw new ArgumentException(refusal, nameof(result)) : outcome.Recorded;
    }

    /// <summary>
    /// Records many runs' results in one transaction and one commit (one COPY per table for all of
    /// them): what <see cref="CompleteAsync"/> does for each, at a fraction of the cost per run. Each
    /// result is judged on its own: a refused one (no such run, a result of another run, logits
    /// without labels) is left out and named in its outcome, a run recorded already is not recorded
    /// again (nor twice within the batch), and the others are recorded. Runs are locked in id order,
    /// so two batches sharing runs wait for each other instead of deadlocking.
    /// </summary>
    /// <returns>An outcome per completion, in order, once the batch is committed (before that, others see none of it).</returns>
    public Task<IReadOnlyList<CompletionOutcome>> CompleteManyAsync(IReadOnlyList<RunCompletion> completions, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(completions);
        foreach (var completion in completions)
        {
            ArgumentNullException.ThrowIfNull(completion);
            ArgumentException.ThrowIfNullOrWhiteSpace(completion.Worker);
            ArgumentNullException.ThrowIfNull(completion.Result);
        }
        var ids = completions.Select(c => c.RunId).Distinct().ToArray();
        return Transactions.RunAsync<IReadOnlyList<CompletionOutcome>>(dataSource, async (connection, transaction) =>
        {
            var found = (await connection.QueryAsync<RunIdentity>(new CommandDefinition(
                "SELECT id, configuration_key AS Key, fold, repeat, state FROM runs WHERE id = ANY(@Ids) ORDER BY id FOR UPDATE",
                new { Ids = ids }, transaction, cancellationToken: ct))).ToDictionary(r => r.Id);
            var outcomes = new CompletionOutcome[completions.Count];
            var accepted = new List<RunCompletion>(completions.Count);
            var taken = new HashSet<long>();
            for (var i = 0; i < completions.Count; i++)
            {
                var (runId, _, result) = completions[i];
                outcomes[i] = Unpaired(runId, result) is { } unpaired ? new CompletionOutcome(false, unpaired)
                    : !found.TryGetValue(runId, out var run) ? new CompletionOutcome(false, $"There is no run {runId} to record a result for.")
                    : (run.Key, run.Fold, run.Repeat) != (result.ConfigurationKey, result.Fold, result.Repeat)
                        ? new CompletionOutcome(false, $"Run {runId} is '{run.Key}' fold {run.Fold} repeat {run.Repeat}, but the result is of '{result.ConfigurationKey}' fold {result.Fold} repeat {result.Repeat}.")
                    : run.State == RunStates.Succeeded || !taken.Add(runId) ? new CompletionOutcome(false, null)
                    : new CompletionOutcome(true, null);
                if (outcomes[i].Recorded) accepted.Add(completions[i]);
            }
            if (accepted.Count == 0) return outcomes;
            await ResultRows.WriteAsync(connection, accepted, ct);
            var done = new { Ids = accepted.Select(c => c.RunId).ToArray(), Workers = accepted.Select(c => c.Worker).ToArray() };
            await connection.ExecuteAsync(new CommandDefinition("""
                UPDATE runs SET state = 'succeeded', worker = d.worker, lease_expires_at = NULL, finished_at = now()
                FROM unnest(@Ids::bigint[], @Workers::text[]) AS d(id, worker) WHERE runs.id = d.id
                """, done, transaction, cancellationToken: ct));
            var sweeps = (await connection.QueryAsync<long>(new CommandDefinition(SweepsTheseRunsMayFinish, done, transaction, cancellationToken: ct))).ToArray();
            if (sweeps.Length > 0)
                await CompleteFinishedSweepsAsync(connection, transaction, "SELECT unnest(@Sweeps)", new { Sweeps = sweeps }, ct);
            return outcomes;
        }, ct);
    }

    /// <summary>Why <paramref name="result"/>'s test logits and labels do not pair up; null when they do.</summary>
    private static string? Unpaired(long runId, RunResult result) =>
        result.TestLogits.Keys.FirstOrDefault(id => !result.TestLabels.ContainsKey(id)) is { } unlabelled
            ? $"Result of run {runId}: test utterance '{unlabelled}' has logits but no label."
        : result.TestLabels.Count != result.TestLogits.Count
            ? $"Result of run {runId}: {result.TestLabels.Count} labels for {result.TestLogits.Count} logit rows; every labelled utterance needs logits."
        : null;

    /// <summary>
    /// The sweeps of runs @Ids, just marked succeeded in this transaction, that may be finished now. A
    /// sweep with another unfinished run that no other transaction holds is not: that run is share-locked
    /// (a queued one first, which workers then skip) until this transaction commits, so whoever finishes
    /// it later completes the sweep and sees these runs finished. Only the other sweeps take the sweep lock
    /// of <see cref="CompleteFinishedSweepsAsync"/>: without this, every result of a sweep queued on its
    /// row, commit included (about 100 runs/s in all). One guard per sweep, however many of its runs the batch holds.
    /// </summary>
    private const string SweepsTheseRunsMayFinish = $"""
        SELECT s.sweep_id FROM (SELECT DISTINCT sweep_id FROM sweep_runs WHERE run_id = ANY(@Ids)) AS s
        WHERE coalesce(
                (SELECT r.id FROM runs r
                 WHERE r.state = 'queued' AND EXISTS (SELECT 1 FROM sweep_runs o WHERE o.sweep_id = s.sweep_id AND o.run_id = r.id)
                 ORDER BY r.id LIMIT 1 FOR SHARE OF r SKIP LOCKED),
                (SELECT r.id FROM runs r
                 WHERE r.state IN {Unfinished} AND EXISTS (SELECT 1 FROM sweep_runs o WHERE o.sweep_id = s.sweep_id AND o.run_id = r.id)
                 ORDER BY r.id LIMIT 1 FOR SHARE OF r SKIP LOCKED)) IS NULL
        ORDER BY s.sweep_id
        """;

    /// <summary>
    /// Records a failed attempt of <paramref name="worker"/>'s run: queued again while it has attempts
    /// left, else failed for good with <paramref name="error"/> and <paramref name="logTail"/>.
    /// False when the run was no longer the worker's (nothing recorded).
    /// </summary>
    public async Task<bool> FailAttemptAsync(long runId, string worker, string error, string logTail, CancellationToken ct = default) =>
        await RetryOrFailAsync(runId, worker, error, logTail, ct) is not null;

    /// <summary>
    /// <see cref="FailAttemptAsync"/>, telling what became of the run: <see cref="RunStates.Queued"/> (it has
    /// attempts left), <see cref="RunStates.Failed"/> (failed for good), or null when it was no longer the worker's.
    /// </summary>
    public Task<string?> RetryOrFailAsync(long runId, string worker, string error, string logTail, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(logTail);
        return Transactions.RunAsync(dataSource, async (connection, transaction) =>
        {
            var state = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition("""
                UPDATE runs SET state = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
                                finished_at = CASE WHEN attempts < max_attempts THEN NULL ELSE now() END,
                                lease_expires_at = NULL, error = @Error, log_tail = @LogTail
                WHERE id = @RunId AND worker = @Worker AND state IN ('leased', 'running')
                RETURNING state
                """, new { RunId = runId, Worker = worker, Error = error, LogTail = logTail }, transaction, cancellationToken: ct));
            if (state == RunStates.Failed)
                await CompleteFinishedSweepsAsync(connection, transaction, "SELECT sweep_id FROM sweep_runs WHERE run_id = @RunId", new { RunId = runId }, ct);
            return state;
        }, ct);
    }

    /// <summary>
    /// Hands every run <paramref name="worker"/> holds back to the queue, its attempt not counted: a
    /// graceful shutdown, so the runs go to other workers now rather than when the leases run out.
    /// </summary>
    /// <returns>How many runs were handed back.</returns>
    public async Task<int> ReleaseAsync(string worker, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteAsync(new CommandDefinition("""
            UPDATE runs SET state = 'queued', attempts = greatest(attempts - 1, 0), lease_expires_at = NULL, started_at = NULL, epoch = NULL
            WHERE worker = @Worker AND state IN ('leased', 'running')
            """, new { Worker = worker }, cancellationToken: ct));
    }

    /// <summary>
    /// Pauses, resumes or cancels a sweep. Pausing hands its runs in flight back to the queue (their
    /// workers' next heartbeat fails), cancelling cancels its unfinished runs; either spares runs
    /// another sweep still wants (an active one for a pause; an active or paused one for a cancel).
    /// A resumed sweep whose runs all finished meanwhile is completed.
    /// </summary>
    /// <param name="sweepId">The sweep.</param>
    /// <param name="state"><see cref="SweepStates.Active"/>, <see cref="SweepStates.Paused"/> or <see cref="SweepStates.Cancelled"/>.</param>
    /// <param name="ct">Cancels the wait.</param>
    /// <exception cref="ArgumentException">There is no such sweep, or <paramref name="state"/> is none of the three.</exception>
    /// <exception cref="InvalidOperationException">The sweep is completed or cancelled already: it cannot change any more.</exception>
    public Task SetSweepStateAsync(long sweepId, string state, CancellationToken ct = default)
    {
        if (state is not (SweepStates.Active or SweepStates.Paused or SweepStates.Cancelled))
            throw new ArgumentException($"'{state}' is not a state a sweep can be set to: use active, paused or cancelled.", nameof(state));
        var parameters = new { SweepId = sweepId, State = state };
        return Transactions.RunAsync(dataSource, async (connection, transaction) =>
        {
            var current = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT state FROM sweeps WHERE id = @SweepId FOR UPDATE", parameters, transaction, cancellationToken: ct))
                ?? throw new ArgumentException($"There is no sweep {sweepId}.", nameof(sweepId));
            if (current == state) return true;
            if (current is SweepStates.Completed or SweepStates.Cancelled)
                throw new InvalidOperationException($"Sweep {sweepId} is {current}: it cannot be made {state}.");
            await connection.ExecuteAsync(new CommandDefinition(state switch
            {
                SweepStates.Paused => $"""
                    UPDATE sweeps SET state = 'paused' WHERE id = @SweepId;
                    UPDATE runs SET state = 'queued', attempts = greatest(attempts - 1, 0), lease_expires_at = NULL, started_at = NULL, epoch = NULL
                    WHERE id IN (SELECT run_id FROM sweep_runs WHERE sweep_id = @SweepId) AND state IN ('leased', 'running')
                      AND NOT EXISTS (SELECT 1 FROM sweep_runs o JOIN sweeps s ON s.id = o.sweep_id
                                      WHERE o.run_id = runs.id AND o.sweep_id <> @SweepId AND s.state = 'active');
                    """,
                SweepStates.Cancelled => $"""
                    UPDATE sweeps SET state = 'cancelled', finished_at = now() WHERE id = @SweepId;
                    UPDATE runs SET state = 'cancelled', lease_expires_at = NULL, finished_at = now()
                    WHERE id IN (SELECT run_id FROM sweep_runs WHERE sweep_id = @SweepId) AND state IN {Unfinished}
                      AND NOT EXISTS (SELECT 1 FROM sweep_runs o JOIN sweeps s ON s.id = o.sweep_id
                                      WHERE o.run_id = runs.id AND o.sweep_id <> @SweepId AND s.state IN ('active', 'paused'));
                    """,
                _ => "UPDATE sweeps SET state = 'active' WHERE id = @SweepId;",
            }, parameters, transaction, cancellationToken: ct));
            if (state == SweepStates.Active) await CompleteFinishedSweepsAsync(connection, transaction, "SELECT @SweepId", parameters, ct);
            return true;
        }, ct);
    }

    /// <summary>
    /// Completes the active or paused sweeps among <paramref name="sweeps"/> (a query of sweep ids)
    /// that have no unfinished run left. The sweeps are locked first, in id order, and counted in a
    /// second statement: two transactions finishing a sweep's last two runs at once then see each
    /// other's run finished, instead of each seeing the other's still open and neither completing it.
    /// </summary>
    private static Task CompleteFinishedSweepsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sweeps, object parameters, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition($"""
            SELECT 1 FROM sweeps WHERE id IN ({sweeps}) AND state IN ('active', 'paused') ORDER BY id FOR UPDATE;
            UPDATE sweeps SET state = 'completed', finished_at = now()
            WHERE id IN ({sweeps}) AND state IN ('active', 'paused')
              AND NOT EXISTS (SELECT 1 FROM sweep_runs sr JOIN runs r ON r.id = sr.run_id WHERE sr.sweep_id = sweeps.id AND r.state IN {Unfinished});
            """, parameters, transaction, cancellationToken: ct));

    private static void Validate(SweepSubmission s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var what = $"Sweep '{s.Name}'";
        if (string.IsNullOrWhiteSpace(s.Name)) throw new ArgumentException("A sweep needs a name.", nameof(s));
        if (string.IsNullOrWhiteSpace(s.StoreFingerprint)) throw new ArgumentException($"{what} names no feature store fingerprint.", nameof(s));
        if (s.Repeats < 1) throw new ArgumentException($"{what} asks for {s.Repeats} repeats; at least 1.", nameof(s));
        if (s.MaxAttempts < 1) throw new ArgumentException($"{what} allows {s.MaxAttempts} attempts per run; at least 1.", nameof(s));
        if (s.Folds.Count == 0) throw new ArgumentException($"{what} has no fold.", nameof(s));
        if (s.Folds.GroupBy(f => f).FirstOrDefault(g => g.Count() > 1) is { } fold) throw new ArgumentException($"{what} lists fold {fold.Key} twice.", nameof(s));
        if (s.Configurations.Count == 0) throw new ArgumentException($"{what} has no configuration.", nameof(s));
        if (s.Configurations.GroupBy(c => c.Key).FirstOrDefault(g => g.Count() > 1) is { } key) throw new ArgumentException($"{what} lists configuration '{key.Key}' twice.", nameof(s));
        var keys = s.Configurations.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        if (s.StoreDescriptionJson.Length > 0 && !IsJson(s.StoreDescriptionJson)) throw new ArgumentException($"{what}: the store description is not JSON.", nameof(s));
        if (s.Configurations.FirstOrDefault(c => !IsJson(c.SettingsJson)) is { } unreadable)
            throw new ArgumentException($"{what}: the settings of configuration '{unreadable.Key}' are not JSON.", nameof(s));
        foreach (var (early, late) in s.Combinations)
            if (!keys.Contains(early) || !keys.Contains(late))
                throw new ArgumentException($"{what} combines '{early}' with '{late}', but '{(keys.Contains(early) ? late : early)}' is none of its configurations.", nameof(s));
    }

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(text);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private sealed record RunIdentity(long Id, string Key, int Fold, int Repeat, string State);

    private static DynamicParameters Merge(object a, object b)
    {
        var merged = new DynamicParameters(a);
        merged.AddDynamicParams(b);
        return merged;
    }
}
