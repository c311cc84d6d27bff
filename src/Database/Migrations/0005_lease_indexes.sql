-- Leases that do not read the whole queue (RunQueue.LeaseAsync): each active sweep's first queued runs
-- by id, and the runs whose lease ran out, each found by an index of its own instead of a scan of every
-- unfinished run (40 to 50 ms a lease with 10,000 runs queued).
CREATE INDEX runs_queued ON runs (id) WHERE state = 'queued';
CREATE INDEX runs_lease_expiry ON runs (lease_expires_at) WHERE state IN ('leased', 'running');
