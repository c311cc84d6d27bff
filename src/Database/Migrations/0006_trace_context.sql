-- Trace context (W3C traceparent, "00-<trace id>-<span id>-<flags>") of a sweep's submission and of each
-- of its configurations. Runs are leased from the queue by workers in other processes, hours or days
-- later, so no call carries the submitter's trace to them: a worker reads the context of the sweep
-- configuration it leased a run for and makes the run's span its child, which gives one trace from the
-- client's submission down to the epochs (RunQueue.LeaseAsync, RunWorker). NULL when nothing traced the
-- submission: the runs' spans are then roots of their own.
ALTER TABLE sweeps ADD COLUMN trace_parent text;
ALTER TABLE sweep_configurations ADD COLUMN trace_parent text;
