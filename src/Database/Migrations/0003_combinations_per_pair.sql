-- Combinations scored one pair of runs at a time. 0002's run_combinations joined every test logit
-- of every early run with every late one before grouping, and PostgreSQL cannot push a join
-- (table3's pairs) into a grouped view: table3 scored every pair of the store, minutes on the
-- paper's grid. Here a function scores one pair by its runs' primary keys, the view only pairs
-- runs, and filters on its configurations reach the pairing before any logit is read.

DROP VIEW table3, combination_scores, run_combinations;

-- Combination.Evaluate in SQL: per test utterance both runs have, the arg-max of the summed logits
-- (the mean's arg-max; ties go to the lower class), UA = mean over the classes present of
-- per-class recall, summed in class order as ClassificationMetrics does so the doubles agree,
-- WA = accuracy.
CREATE FUNCTION combined_scores(early_run_id bigint, late_run_id bigint, OUT utterances integer, OUT ua double precision, OUT wa double precision)
LANGUAGE sql STABLE AS $$
    WITH predictions AS (
        SELECT a.label,
               (SELECT k - 1 FROM generate_subscripts(a.logits, 1) AS k ORDER BY a.logits[k] + b.logits[k] DESC, k LIMIT 1) AS predicted
        FROM test_logits a
        JOIN test_logits b ON b.run_id = late_run_id AND b.utterance_id = a.utterance_id
        WHERE a.run_id = early_run_id
    ), per_class AS (
        SELECT label, count(*) AS support, count(*) FILTER (WHERE predicted = label) AS correct
        FROM predictions
        GROUP BY label
    )
    SELECT sum(support)::integer,
           avg(correct::double precision / support ORDER BY label),
           sum(correct)::double precision / sum(support)
    FROM per_class
$$;

-- Every early-fusion (any model but late) run paired with every late-fusion run of the same
-- store, fold and repeat, scored by combined_scores.
CREATE VIEW run_combinations AS
SELECT e.store_fingerprint,
       e.configuration_key AS early_configuration,
       l.configuration_key AS late_configuration,
       e.fold,
       e.repeat,
       e.id                AS early_run_id,
       l.id                AS late_run_id,
       c.utterances,
       c.ua,
       c.wa
FROM runs e
JOIN configurations ec ON ec.key = e.configuration_key AND ec.model <> 'late'
JOIN runs l ON l.store_fingerprint = e.store_fingerprint AND l.fold = e.fold AND l.repeat = e.repeat AND l.state = 'succeeded'
JOIN configurations lc ON lc.key = l.configuration_key AND lc.model = 'late'
CROSS JOIN LATERAL combined_scores(e.id, l.id) AS c
WHERE e.state = 'succeeded';

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
SELECT k.store_fingerprint, 'combination', k.early_key || ' + ' || k.late_key, count(*)::integer, avg(r.ua) * 100, stddev_samp(r.ua) * 100
FROM combined k
JOIN run_combinations r
  ON r.store_fingerprint = k.store_fingerprint AND r.early_configuration = k.early_key AND r.late_configuration = k.late_key
GROUP BY k.store_fingerprint, k.early_key, k.late_key;
