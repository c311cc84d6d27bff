using Dapper;
using Npgsql;

namespace Orchestrator.Database;

/// <summary>
/// A sweep's results as the score views compute them (0002_score_views.sql), restricted to the
/// sweep's store and to the configurations and combinations it asks for; every score in percent.
/// Parameters only, never SQL built from values. An unknown sweep reads as empty.
/// </summary>
/// <remarks>
/// The views score every succeeded run of a store, whichever sweep asked for it, so a configuration
/// another sweep ran on more folds or repeats counts those runs too
/// (<see cref="SweepConfigurationScore.SweepRuns"/> tells them apart). The paper's tables hold the
/// configurations of one <c>variant</c> (the settings after model:streams in a key): the one every
/// configuration of the sweep shares when there is one (a grid's <c>defaults</c>, such as
/// <c>[per-speaker=true]</c>), else the method's defaults (an empty variant).
/// </remarks>
public sealed class ResultTables(NpgsqlDataSource dataSource)
{
    /// <summary>Every configuration of the sweep, in grid order, with its scores (null before its first succeeded run).</summary>
    public async Task<IReadOnlyList<SweepConfigurationScore>> ConfigurationsAsync(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await StoreOfAsync(connection, sweepId, ct) is not { } store) return [];
        return (await connection.QueryAsync<SweepConfigurationScore>(new CommandDefinition("""
            SELECT sc.configuration_key AS ConfigurationKey, c.model, c.streams, c.variant, sc.position,
                   coalesce(cs.runs, 0) AS Runs,
                   (SELECT count(*)::integer FROM sweep_runs sr JOIN runs r ON r.id = sr.run_id
                    WHERE sr.sweep_id = sc.sweep_id AND r.configuration_key = sc.configuration_key AND r.state = 'succeeded') AS SweepRuns,
                   cs.ua_mean * 100 AS UaMean, cs.ua_sd * 100 AS UaSd, cs.wa_mean * 100 AS WaMean, cs.wa_sd * 100 AS WaSd,
                   cs.macro_f1_mean * 100 AS MacroF1Mean, cs.macro_f1_sd * 100 AS MacroF1Sd,
                   coalesce(cs.collapsed_runs, 0) AS CollapsedRuns
            FROM sweep_configurations sc
            JOIN configurations c ON c.key = sc.configuration_key
            LEFT JOIN configuration_scores cs ON cs.store_fingerprint = @Store AND cs.configuration_key = sc.configuration_key
            WHERE sc.sweep_id = @SweepId
            ORDER BY sc.position
            """, new { SweepId = sweepId, Store = store }, cancellationToken: ct))).ToList();
    }

    /// <summary>
    /// Every (early, late) pair the sweep combines, ordered by early then late key: <c>combination_scores</c>
    /// with the deviation of WA added, aggregated from <c>run_combinations</c>.
    /// </summary>
    public async Task<IReadOnlyList<SweepCombinationScore>> CombinationsAsync(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await StoreOfAsync(connection, sweepId, ct) is not { } store) return [];
        // LATERAL, so that the pair's keys reach the view's pairing of runs and only its runs are combined.
        return (await connection.QueryAsync<SweepCombinationScore>(new CommandDefinition("""
            SELECT k.early_key AS EarlyConfiguration, k.late_key AS LateConfiguration, rc.runs, rc.ua_mean AS UaMean, rc.ua_sd AS UaSd,
                   rc.wa_mean AS WaMean, rc.wa_sd AS WaSd
            FROM sweep_combinations k
            CROSS JOIN LATERAL (
                SELECT count(*)::integer AS runs, avg(ua) * 100 AS ua_mean, stddev_samp(ua) * 100 AS ua_sd,
                       avg(wa) * 100 AS wa_mean, stddev_samp(wa) * 100 AS wa_sd
                FROM run_combinations
                WHERE store_fingerprint = @Store AND early_configuration = k.early_key AND late_configuration = k.late_key
            ) rc
            WHERE k.sweep_id = @SweepId
            ORDER BY k.early_key, k.late_key
            """, new { SweepId = sweepId, Store = store }, cancellationToken: ct))).ToList();
    }

    /// <summary>Table 1: the filled cells (one stream, linear or transformer) of the sweep's default configurations.</summary>
    public Task<IReadOnlyList<PaperTableCell>> Table1Async(long sweepId, CancellationToken ct = default) => CellsAsync(sweepId, """
        SELECT t.stream AS "Row", c.model AS "Model", sc.configuration_key AS ConfigurationKey, c.runs AS Runs, c.ua AS UaMean, c.ua_sd AS UaSd
        FROM table1 t
        CROSS JOIN LATERAL (VALUES ('linear', t.linear_runs, t.linear_ua, t.linear_ua_sd),
                                   ('transformer', t.transformer_runs, t.transformer_ua, t.transformer_ua_sd)) AS c(model, runs, ua, ua_sd)
        JOIN sweep_configurations sc ON sc.sweep_id = @SweepId AND sc.configuration_key = c.model || ':' || t.stream || @Variant
        WHERE t.store_fingerprint = @Store AND t.variant = @Variant AND c.runs IS NOT NULL
        ORDER BY sc.position
        """, ct);

    /// <summary>Table 2: the filled cells (text plus speech streams, coattention or late fusion) of the sweep's default configurations.</summary>
    public Task<IReadOnlyList<PaperTableCell>> Table2Async(long sweepId, CancellationToken ct = default) => CellsAsync(sweepId, """
        SELECT t.speech_streams AS "Row", c.model AS "Model", sc.configuration_key AS ConfigurationKey, c.runs AS Runs, c.ua AS UaMean, c.ua_sd AS UaSd
        FROM table2 t
        CROSS JOIN LATERAL (VALUES ('coattention', t.coattention_runs, t.coattention_ua, t.coattention_ua_sd),
                                   ('late', t.late_runs, t.late_ua, t.late_ua_sd)) AS c(model, runs, ua, ua_sd)
        JOIN sweep_configurations sc ON sc.sweep_id = @SweepId AND sc.configuration_key = c.model || ':T+' || t.speech_streams || @Variant
        WHERE t.store_fingerprint = @Store AND t.variant = @Variant AND c.runs IS NOT NULL
        ORDER BY sc.position
        """, ct);

    /// <summary>
    /// Table 3 for the sweep: its default concatenation configurations, the default configurations it
    /// combines, and their combinations, ordered by method then configuration.
    /// </summary>
    public async Task<IReadOnlyList<Table3Entry>> Table3Async(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await StoreOfAsync(connection, sweepId, ct) is not { } store) return [];
        var variant = await TableVariantAsync(connection, sweepId, ct);
        return (await connection.QueryAsync<Table3Entry>(new CommandDefinition("""
            WITH combined AS (
                SELECT k.early_key, k.late_key
                FROM sweep_combinations k
                JOIN configurations e ON e.key = k.early_key AND e.variant = @Variant
                JOIN configurations l ON l.key = k.late_key AND l.variant = @Variant
                WHERE k.sweep_id = @SweepId
            ), wanted AS (
                SELECT c.model AS method, c.key AS configuration
                FROM sweep_configurations sc JOIN configurations c ON c.key = sc.configuration_key
                WHERE sc.sweep_id = @SweepId AND c.model = 'concat' AND c.variant = @Variant
                UNION
                SELECT c.model, c.key FROM combined k JOIN configurations c ON c.key IN (k.early_key, k.late_key) WHERE c.model <> 'concat'
            )
            SELECT t.method AS Method, t.configuration AS Configuration, t.runs AS Runs, t.ua AS UaMean, t.ua_sd AS UaSd
            FROM table3 t
            JOIN wanted w ON w.method = t.method AND w.configuration = t.configuration
            WHERE t.store_fingerprint = @Store AND t.method <> 'combination'
            UNION ALL
            -- The view's combinations are those of every sweep of the store: score only this sweep's pairs.
            SELECT 'combination', k.early_key || ' + ' || k.late_key, rc.runs, rc.ua_mean, rc.ua_sd
            FROM combined k
            CROSS JOIN LATERAL (
                SELECT count(*)::integer AS runs, avg(ua) * 100 AS ua_mean, stddev_samp(ua) * 100 AS ua_sd
                FROM run_combinations
                WHERE store_fingerprint = @Store AND early_configuration = k.early_key AND late_configuration = k.late_key
            ) rc
            WHERE rc.runs > 0
            ORDER BY 1, 2
            """, new { SweepId = sweepId, Store = store, Variant = variant }, cancellationToken: ct))).ToList();
    }

    private async Task<IReadOnlyList<PaperTableCell>> CellsAsync(long sweepId, string sql, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await StoreOfAsync(connection, sweepId, ct) is not { } store) return [];
        var variant = await TableVariantAsync(connection, sweepId, ct);
        return (await connection.QueryAsync<PaperTableCell>(new CommandDefinition(sql, new { SweepId = sweepId, Store = store, Variant = variant }, cancellationToken: ct))).ToList();
    }

    /// <summary>The variant the paper's tables show for the sweep: the one all its configurations share, else the defaults ('').</summary>
    public async Task<string> TableVariantAsync(long sweepId, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await TableVariantAsync(connection, sweepId, ct);
    }

    private static async Task<string> TableVariantAsync(NpgsqlConnection connection, long sweepId, CancellationToken ct)
    {
        var variants = (await connection.QueryAsync<string>(new CommandDefinition("""
            SELECT DISTINCT c.variant FROM sweep_configurations sc JOIN configurations c ON c.key = sc.configuration_key WHERE sc.sweep_id = @SweepId
            """, new { SweepId = sweepId }, cancellationToken: ct))).ToList();
        return variants.Count == 1 ? variants[0] : "";
    }

    // The store as a value rather than a subquery: a parameter reaches inside the views' grouping and
    // unions (a qual holding a subquery is not pushed down), so only the store's runs are scored.
    private static Task<string?> StoreOfAsync(NpgsqlConnection connection, long sweepId, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT store_fingerprint FROM sweeps WHERE id = @SweepId", new { SweepId = sweepId }, cancellationToken: ct));
}
