-- Wake-ups for idle workers (src/Database/QueueSignal.cs): a notice on channel runs_queued, sent at
-- commit, whenever runs may have become leasable, so that workers lease at once instead of at their
-- next poll. Notices carry nothing and PostgreSQL folds a transaction's duplicates into one; the poll
-- stays, for what sends none (a lease that runs out) and for a worker whose listening connection is down.
CREATE FUNCTION notify_runs_queued() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('runs_queued', '');
    RETURN NULL;
END
$$;

-- A sweep submitted (its runs are inserted or linked in the same transaction) or resumed.
CREATE TRIGGER sweeps_notify_active AFTER INSERT OR UPDATE OF state ON sweeps
    FOR EACH ROW WHEN (NEW.state = 'active') EXECUTE FUNCTION notify_runs_queued();

-- A run queued again: a failed attempt with attempts left, a worker's hand-back, a paused sweep's runs.
CREATE TRIGGER runs_notify_requeued AFTER UPDATE OF state ON runs
    FOR EACH ROW WHEN (NEW.state = 'queued' AND OLD.state <> 'queued') EXECUTE FUNCTION notify_runs_queued();
