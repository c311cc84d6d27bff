-- What each attempt of a run printed (its process' standard error: the trainer's messages and one JSON line
-- per epoch), one row per attempt, whatever its end: runs.log_tail keeps only the last failed attempt's
-- last lines, not enough to tell why a run was slow, retried or lost. Bounded by the worker
-- (Orchestrator:Worker:RunLogBytes, the last bytes of the output kept): a week-long sweep of 675 runs
-- stays a few tens of megabytes. Deleted with the run.
CREATE TABLE run_logs (
    id            bigserial   PRIMARY KEY,
    run_id        bigint      NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    -- runs.attempts when the attempt began (a graceful hand-back gives its attempt back, so two rows may share it).
    attempt       integer     NOT NULL,
    worker        text        NOT NULL,
    -- succeeded (a result), failed (the attempt failed), stopped (lease lost, sweep paused or cancelled, worker stopping).
    outcome       text        NOT NULL CHECK (outcome IN ('succeeded', 'failed', 'stopped')),
    error         text,
    log           text        NOT NULL,
    -- Lines left out at the start to keep the log within its bound.
    dropped_lines integer     NOT NULL DEFAULT 0,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX run_logs_by_run ON run_logs (run_id, id);
