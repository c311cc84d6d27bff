-- Scores of succeeded runs, the paper's Tables 1-3 as grids, and combinations computed from the
-- stored test logits (method.md section 7; docs/sql.md lists every column). configuration_scores,
-- run_combinations and combination_scores give fractions like the results table; the table views
-- give percentages, as the paper prints them.

-- Mean and sample standard deviation (NULL for one run) per store and configuration.
CREATE VIEW configuration_scores AS
SELECT r.store_fingerprint,
       r.configuration_key,
       c.model,
       c.streams,
       c.variant,
       count(*)::integer                                                      AS runs,
       avg(s.ua)                                                              AS ua_mean,
       stddev_samp(s.ua)                                                      AS ua_sd,
       avg(s.wa)                                                              AS wa_mean,
       stddev_samp(s.wa)                                                      AS wa_sd,
       avg(s.macro_f1)                                                        AS macro_f1_mean,
       stddev_samp(s.macro_f1)                                                AS macro_f1_sd,
       count(*) FILTER (WHERE cardinality(s.collapsed_classes) > 0)::integer  AS collapsed_runs,
       avg(s.wall_seconds)                                                    AS wall_seconds_mean
FROM results s
JOIN runs r ON r.id = s.run_id AND r.state = 'succeeded'
JOIN configurations c ON c.key = r.configuration_key
GROUP BY r.store_fingerprint, r.configuration_key, c.model, c.streams, c.variant;

-- Table 1: one stream, Linear against Transformer encoder (UA in %).
CREATE VIEW table1 AS
SELECT store_fingerprint,
       variant,
       streams                                                   AS stream,
       max(runs) FILTER (WHERE model = 'linear')                 AS linear_runs,
       max(ua_mean * 100) FILTER (WHERE model = 'linear')        AS linear_ua,
       max(ua_sd * 100) FILTER (WHERE model = 'linear')          AS linear_ua_sd,
       max(runs) FILTER (WHERE model = 'transformer')            AS transformer_runs,
       max(ua_mean * 100) FILTER (WHERE model = 'transformer')   AS transformer_ua,
       max(ua_sd * 100) FILTER (WHERE model = 'transformer')     AS transformer_ua_sd
FROM configuration_scores
WHERE model IN ('linear', 'transformer') AND streams NOT LIKE '%+%'
GROUP BY store_fingerprint, variant, streams;

-- Table 2: text plus speech streams, rows named by the speech streams, Coattention against Late fusion (UA in %).
CREATE VIEW table2 AS
SELECT store_fingerprint,
       variant,
       substr(streams, 3)                                        AS speech_streams,
       max(runs) FILTER (WHERE model = 'coattention')            AS coattention_runs,
       max(ua_mean * 100) FILTER (WHERE model = 'coattention')   AS coattention_ua,
       max(ua_sd * 100) FILTER (WHERE model = 'coattention')     AS coattention_ua_sd,
       max(runs) FILTER (WHERE model = 'late')                   AS late_runs,
       max(ua_mean * 100) FILTER (WHERE model = 'late')          AS late_ua,
       max(ua_sd * 100) FILTER (WHERE model = 'late')            AS late_ua_sd
FROM configuration_scores
WHERE model IN ('coattention', 'late') AND streams LIKE 'T+%'
GROUP BY store_fingerprint, variant, substr(streams, 3);

-- Every early-fusion (any model but late) run paired with every late-fusion run of the same
-- store, fold and repeat, scored as Combination.Evaluate scores it: per test utterance both runs
-- have, the arg-max of the summed logits (the mean's arg-max; ties go to the lower class), then
-- UA = mean over the classes present of per-class recall, WA = accuracy.
CREATE VIEW run_combinations AS
WITH pairs AS (
    SELECT e.store_fingerprint, e.fold, e.repeat,
           e.id AS early_run_id, e.configuration_key AS early_configuration,
           l.id AS late_run_id, l.configuration_key AS late_configuration
    FROM runs e
    JOIN configurations ec ON ec.key = e.configuration_key AND ec.model <> 'late'
    JOIN runs l ON l.store_fingerprint = e.store_fingerprint AND l.fold = e.fold AND l.repeat = e.repeat AND l.state = 'succeeded'
    JOIN configurations lc ON lc.key = l.configuration_key AND lc.model = 'late'
    WHERE e.state = 'succeeded'
), predictions AS (
    SELECT p.*, a.label,
           (SELECT k - 1 FROM generate_subscripts(a.logits, 1) AS k ORDER BY a.logits[k] + b.logits[k] DESC, k LIMIT 1) AS predicted
    FROM pairs p
    JOIN test_logits a ON a.run_id = p.early_run_id
    JOIN test_logits b ON b.run_id = p.late_run_id AND b.utterance_id = a.utterance_id
), per_class AS (
    SELECT store_fingerprint, fold, repeat, early_run_id, early_configuration, late_run_id, late_configuration, label,
           count(*)                                    AS support,
           count(*) FILTER (WHERE predicted = label)   AS correct
    FROM predictions
    GROUP BY store_fingerprint, fold, repeat, early_run_id, early_configuration, late_run_id, late_configuration, label
)
SELECT store_fingerprint, early_configuration, late_configuration, fold, repeat, early_run_id, late_run_id,
       sum(support)::integer                                  AS utterances,
       -- Recalls summed in class order, as ClassificationMetrics averages them, so the doubles agree.
       avg(correct::double precision / support ORDER BY label) AS ua,
       sum(correct)::double precision / sum(support)          AS wa
FROM per_class
GROUP BY store_fingerprint, early_configuration, late_configuration, fold, repeat, early_run_id, late_run_id;

-- Mean and sample standard deviation of the combined UA per store and pair of configurations.
CREATE VIEW combination_scores AS
SELECT store_fingerprint, early_configuration, late_configuration,
       count(*)::integer  AS runs,
       avg(ua)            AS ua_mean,
       stddev_samp(ua)    AS ua_sd,
       avg(wa)            AS wa_mean
FROM run_combinations
GROUP BY store_fingerprint, early_configuration, late_configuration;

-- Table 3: concatenation runs, the configurations some sweep combines, and their combinations (UA in %).
CREATE VIEW table3 AS
WITH combined AS (
    SELECT DISTINCT s.store_fingerprint, k.early_key, k.late_key
    FROM sweep_combinations k JOIN sweeps s ON s.id = k.sweep_id
)
SELECT store_fingerprint, model AS method, configuration_key AS configuration, runs, ua_mean * 100 AS ua, ua_sd * 100 AS ua_sd
FROM configuration_scores
WHERE model = 'concat'
UNION ALL
SELECT c.store_fingerprint, c.model, c.configuration_key, c.runs, c.ua_mean * 100, c.ua_sd * 100
FROM configuration_scores c
WHERE c.model <> 'concat'
  AND EXISTS (SELECT 1 FROM combined k WHERE k.store_fingerprint = c.store_fingerprint AND c.configuration_key IN (k.early_key, k.late_key))
UNION ALL
SELECT k.store_fingerprint, 'combination', k.early_key || ' + ' || k.late_key, cs.runs, cs.ua_mean * 100, cs.ua_sd * 100
FROM combined k
CROSS JOIN LATERAL (
    SELECT runs, ua_mean, ua_sd FROM combination_scores
    WHERE store_fingerprint = k.store_fingerprint AND early_configuration = k.early_key AND late_configuration = k.late_key
) cs;
