-- Sweeps, the run queue and run results (src/Database, RunQueue). docs/sql.md describes every
-- column. A run is identified by (store, configuration, fold, repeat): whichever sweeps ask for
-- it, it is trained once, and a finished run is never trained again.

-- A feature store, by the fingerprint of its extraction: runs of one store are comparable.
CREATE TABLE stores (
    fingerprint text        PRIMARY KEY,
    -- Where the store was last submitted from: where workers open it.
    path        text        NOT NULL,
    description jsonb,
    first_seen  timestamptz NOT NULL DEFAULT now()
);

-- A model over a set of streams with its settings; key = ModelConfiguration.Key ("late:T+F").
CREATE TABLE configurations (
    key      text  PRIMARY KEY,
    model    text  NOT NULL,
    -- "T+F+S": the stream letters in the paper's order.
    streams  text  NOT NULL,
    settings jsonb NOT NULL DEFAULT '{}',
    -- What the key adds to "model:streams": '' for the method's defaults, else its settings ("[lr=0.0001]").
    variant  text  GENERATED ALWAYS AS (substr(key, length(model) + length(streams) + 2)) STORED
);

CREATE TABLE sweeps (
    id                bigserial   PRIMARY KEY,
    name              text        NOT NULL,
    store_fingerprint text        NOT NULL REFERENCES stores (fingerprint),
    -- The grid file as submitted.
    grid              text        NOT NULL,
    folds             integer[]   NOT NULL,
    repeats           integer     NOT NULL CHECK (repeats >= 1),
    -- Higher first when workers lease runs.
    priority          integer     NOT NULL DEFAULT 0,
    state             text        NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'paused', 'cancelled', 'completed')),
    submitted_at      timestamptz NOT NULL DEFAULT now(),
    -- When it was completed or cancelled.
    finished_at       timestamptz
);

CREATE TABLE sweep_configurations (
    sweep_id          bigint  NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    configuration_key text    NOT NULL REFERENCES configurations (key),
    -- Order in the grid, from 1.
    position          integer NOT NULL,
    PRIMARY KEY (sweep_id, configuration_key)
);

-- The (early, late) pairs whose runs the sweep combines (method.md Table 3).
CREATE TABLE sweep_combinations (
    sweep_id  bigint NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    early_key text   NOT NULL REFERENCES configurations (key),
    late_key  text   NOT NULL REFERENCES configurations (key),
    PRIMARY KEY (sweep_id, early_key, late_key)
);

CREATE TABLE runs (
    id                bigserial   PRIMARY KEY,
    store_fingerprint text        NOT NULL REFERENCES stores (fingerprint),
    configuration_key text        NOT NULL REFERENCES configurations (key),
    fold              integer     NOT NULL,
    repeat            integer     NOT NULL,
    -- queued -> leased (a worker took it) -> running (its process started) -> succeeded, or back to
    -- queued (failed attempt, expired lease, worker shut down) until max_attempts, then failed.
    state             text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'leased', 'running', 'succeeded', 'failed', 'cancelled')),
    -- Leases taken so far (a graceful hand-back gives its attempt back).
    attempts          integer     NOT NULL DEFAULT 0,
    max_attempts      integer     NOT NULL CHECK (max_attempts >= 1),
    -- The worker holding the lease; after the run ends, the last one that held it.
    worker            text,
    lease_expires_at  timestamptz,
    -- The last epoch a heartbeat reported.
    epoch             integer,
    queued_at         timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz,
    error             text,
    log_tail          text,
    UNIQUE (store_fingerprint, configuration_key, fold, repeat)
);
CREATE INDEX runs_unfinished ON runs (id) WHERE state IN ('queued', 'leased', 'running');
CREATE INDEX runs_by_worker ON runs (worker) WHERE state IN ('leased', 'running');

-- A run belongs to every sweep that asked for it.
CREATE TABLE sweep_runs (
    sweep_id bigint NOT NULL REFERENCES sweeps (id) ON DELETE CASCADE,
    run_id   bigint NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    PRIMARY KEY (sweep_id, run_id)
);
CREATE INDEX sweep_runs_by_run ON sweep_runs (run_id);

-- One succeeded run's RunResult (src/Models/Training/RunResult.cs). Scores are fractions (0.75, not 75).
CREATE TABLE results (
    run_id             bigint             PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    seed               bigint             NOT NULL,
    -- Test scores of the best-validation checkpoint; UA and macro F1 average over present_classes.
    ua                 double precision   NOT NULL,
    wa                 double precision   NOT NULL,
    macro_f1           double precision   NOT NULL,
    -- confusion[true class + 1][predicted class + 1] (SQL arrays count from 1).
    confusion          integer[]          NOT NULL,
    present_classes    integer[]          NOT NULL,
    -- Classes of the test set never predicted: the model collapsed onto the others.
    collapsed_classes  integer[]          NOT NULL,
    epochs_run         integer            NOT NULL,
    -- The epoch limit early stopping ran under; NULL when no epoch was recorded.
    max_epochs         integer,
    best_epoch         integer            NOT NULL,
    validation_ua      double precision   NOT NULL,
    wall_seconds       double precision   NOT NULL,
    samples_per_second double precision   NOT NULL,
    validation_ids     text[]             NOT NULL,
    recorded_at        timestamptz        NOT NULL DEFAULT now()
);

-- The test logits that combinations average, one row per test utterance.
CREATE TABLE test_logits (
    run_id       bigint   NOT NULL REFERENCES results (run_id) ON DELETE CASCADE,
    utterance_id text     NOT NULL,
    -- The true class index.
    label        smallint NOT NULL,
    -- One per class, in class order.
    logits       real[]   NOT NULL,
    PRIMARY KEY (run_id, utterance_id)
);

CREATE TABLE epoch_metrics (
    run_id             bigint           NOT NULL REFERENCES results (run_id) ON DELETE CASCADE,
    epoch              integer          NOT NULL,
    training_loss      double precision NOT NULL,
    validation_ua      double precision NOT NULL,
    samples_per_second double precision NOT NULL,
    -- Whether this epoch's validation UA was the best so far.
    best               boolean          NOT NULL,
    PRIMARY KEY (run_id, epoch)
);

-- The evaluated model's normalised layer weights (method.md section 4), per module path.
CREATE TABLE layer_weights (
    run_id  bigint NOT NULL REFERENCES results (run_id) ON DELETE CASCADE,
    module  text   NOT NULL,
    weights real[] NOT NULL,
    PRIMARY KEY (run_id, module)
);
