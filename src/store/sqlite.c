/* SQLite backend, core: opening, pragmas, migrations, transactions and the table of every
 * SQL statement the backend runs (all prepared once per store and reused with bound
 * parameters).  Ingest writes are in sqlite_ingest.c, labels in sqlite_label.c, reads in
 * sqlite_read.c. */
#include "store/sqlite_int.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "store/migrations.h"

static const char *const sql[ST__COUNT] = {
    [ST_BEGIN] = "BEGIN IMMEDIATE",
    [ST_COMMIT] = "COMMIT",
    [ST_ROLLBACK] = "ROLLBACK",
    [ST_FIND_PRIOR] =
        "SELECT id, size_bytes, consumed_bytes, sha256, prefix_sha256 FROM source_file"
        " WHERE path = ?1 ORDER BY id DESC LIMIT 1",
    [ST_HAS_CONTENT] = "SELECT 1 FROM file_version WHERE sha256 = ?1",
    [ST_DROP_RUN_IDS] =
        "SELECT DISTINCT m.run_id FROM measurement m JOIN source_file f"
        " ON f.id = m.source_file_id WHERE f.path = ?1 ORDER BY m.run_id",
    [ST_DROP_MEAS] =
        "DELETE FROM measurement WHERE source_file_id IN"
        " (SELECT id FROM source_file WHERE path = ?1)",
    [ST_DROP_RUN] =
        "DELETE FROM run WHERE id = ?1 AND NOT EXISTS"
        " (SELECT 1 FROM measurement WHERE run_id = ?1)",
    /* versions, rejected lines and the file's label rules go with it (ON DELETE CASCADE) */
    [ST_DROP_SOURCE] = "DELETE FROM source_file WHERE path = ?1",
    [ST_SOURCE_NEW] =
        "INSERT INTO source_file (path, name, format, sha256, size_bytes, consumed_bytes,"
        " prefix_sha256, ingested_at) VALUES (?1, ?2, ?3, '', 0, 0, '', ?4)",
    [ST_SOURCE_FINISH] =
        "UPDATE source_file SET sha256 = ?2, size_bytes = ?3, consumed_bytes = ?4,"
        " prefix_sha256 = ?5, rows_ingested = rows_ingested + ?6,"
        " rows_rejected = rows_rejected + ?7 WHERE id = ?1",
    [ST_VERSION_NEW] =
        "INSERT INTO file_version (source_file_id, sha256, size_bytes, rows_added, ingested_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_TOOL_GET] = "SELECT id FROM tool WHERE name = ?1 AND version = ?2",
    [ST_TOOL_NEW] = "INSERT INTO tool (name, version) VALUES (?1, ?2)",
    [ST_HW_GET] =
        "SELECT id FROM hardware WHERE cpu_model = ?1 AND cpu_count IS ?2 AND gpu_model = ?3"
        " AND gpu_count IS ?4 AND ram_total_bytes IS ?5 AND os = ?6 AND python_version = ?7",
    [ST_HW_NEW] =
        "INSERT INTO hardware (cpu_model, cpu_count, gpu_model, gpu_count, ram_total_bytes,"
        " os, python_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_LOC_GET] =
        "SELECT id FROM location WHERE country_name = ?1 AND country_iso_code = ?2"
        " AND region = ?3 AND cloud_provider = ?4 AND cloud_region = ?5 AND on_cloud = ?6",
    [ST_LOC_NEW] =
        "INSERT INTO location (country_name, country_iso_code, region, cloud_provider,"
        " cloud_region, on_cloud) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [ST_RUN_BY_UID] =
        "SELECT r.id, m.id, m.energy_j, m.duration_s, m.started_at, m.emissions_g, sf.name,"
        " m.line FROM run r"
        " LEFT JOIN measurement m ON m.run_id = r.id AND m.phase = ?2"
        " LEFT JOIN source_file sf ON sf.id = m.source_file_id"
        " WHERE r.uid = ?1 ORDER BY r.id",
    [ST_RUN_NEW] = "INSERT INTO run (uid) VALUES (?1)",
    [ST_MEAS_NEW] =
        "INSERT INTO measurement (run_id, phase, source_file_id, line, run_label,"
        " project_name, experiment_label, started_at, duration_s, energy_j, cpu_energy_j,"
        " gpu_energy_j, ram_energy_j, emissions_g, emissions_rate_g_per_s, cpu_power_w,"
        " gpu_power_w, ram_power_w, carbon_intensity_g_per_kwh, pue, water_l,"
        " tracking_mode, longitude, latitude, tool_id, hardware_id, location_id, cpu_basis,"
        " gpu_basis, ram_basis)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,"
        " ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30)",
    [ST_EXTRA_NEW] =
        "INSERT INTO measurement_extra (measurement_id, key, value) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (measurement_id, key) DO NOTHING",
    [ST_REJECT_NEW] =
        "INSERT INTO rejected_line (source_file_id, line, col, reason, text)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_RULES_DEL] = "DELETE FROM label_rule WHERE manifest = ?1",
    [ST_RULES_DEL_SOURCE] = "DELETE FROM label_rule WHERE manifest IS NULL AND origin = 'command line' AND match_source_id = ?1 AND match_experiment IS NULL",
    [ST_RULE_NEW] =
        "INSERT INTO label_rule (origin, manifest, match_project, match_experiment,"
        " match_run, match_file, match_source_id, model, task, dataset, inferences,"
        " batch_size, parameters, training_energy_j)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [ST_RULE_ATTR_NEW] =
        "INSERT INTO label_rule_attr (rule_id, key, value) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (rule_id, key) DO UPDATE SET value = excluded.value",
    [ST_RULES_ALL] =
        "SELECT id, origin, match_project, match_experiment, match_run, match_file,"
        " match_source_id, model, task, dataset, inferences, batch_size, parameters,"
        " training_energy_j FROM label_rule ORDER BY id",
    [ST_RULE_ATTRS] = "SELECT key, value FROM label_rule_attr WHERE rule_id = ?1 ORDER BY key",
    [ST_KEYS_ALL] =
        "SELECT m.run_id, m.project_name, m.experiment_label, m.run_label, sf.name,"
        " m.source_file_id FROM measurement m JOIN source_file sf ON sf.id = m.source_file_id"
        " ORDER BY m.run_id, m.id",
    [ST_KEYS_SOURCE] =
        "SELECT m.run_id, m.project_name, m.experiment_label, m.run_label, sf.name,"
        " m.source_file_id FROM measurement m JOIN source_file sf ON sf.id = m.source_file_id"
        " WHERE m.run_id IN (SELECT run_id FROM measurement WHERE source_file_id = ?1)"
        " ORDER BY m.run_id, m.id",
    [ST_MODEL_PUT] = "INSERT INTO model (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
    [ST_MODEL_GET] = "SELECT id FROM model WHERE name = ?1",
    [ST_MODEL_PARAMS] = "UPDATE model SET parameters = ?2 WHERE id = ?1",
    [ST_MODEL_TRAINING] = "UPDATE model SET training_energy_j = ?2 WHERE id = ?1",
    [ST_TASK_PUT] = "INSERT INTO task (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
    [ST_TASK_GET] = "SELECT id FROM task WHERE name = ?1",
    [ST_DATASET_PUT] = "INSERT INTO dataset (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
    [ST_DATASET_GET] = "SELECT id FROM dataset WHERE name = ?1",
    [ST_EXP_GET] =
        "SELECT id FROM experiment WHERE model_id IS ?1 AND task_id IS ?2 AND dataset_id IS ?3"
        " AND inferences IS ?4 AND batch_size IS ?5 ORDER BY id LIMIT 1",
    [ST_EXP_NEW] =
        "INSERT INTO experiment (model_id, task_id, dataset_id, inferences, batch_size)"
        " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_EXP_ATTR_PUT] =
        "INSERT INTO experiment_attr (experiment_id, key, value) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
    [ST_RUN_LABEL] = "UPDATE run SET experiment_id = ?2 WHERE id = ?1",
    /* Per run: the whole-run measurement where there is one, else the sum of its phases
     * (or, with ?1, that phase only).  Energy sums are NULL when a part is unknown.  The
     * first branch is a plain scan: most runs have a whole-run row. */
#define AGG_SQL                                                                               \
        "WITH agg AS ("                                                                       \
        "  SELECT m.run_id, CASE WHEN m.phase = '' THEN 'run' ELSE m.phase END AS phases,"    \
        "   m.source_file_id, m.line, m.started_at, m.duration_s, m.energy_j,"                \
        "   m.cpu_energy_j AS cpu_j, m.gpu_energy_j AS gpu_j, m.ram_energy_j AS ram_j,"       \
        "   m.emissions_g, m.pue, m.hardware_id, m.location_id, m.tool_id,"                   \
        "   m.cpu_basis, m.gpu_basis, m.ram_basis"                                            \
        "  FROM measurement m WHERE m.phase = COALESCE(?1, '')"                               \
        "  UNION ALL"                                                                         \
        "  SELECT run_id, group_concat(phase, '+'), MIN(source_file_id), MIN(line),"          \
        "   MIN(started_at), SUM(duration_s),"                                                \
        "   CASE WHEN COUNT(energy_j) = COUNT(*) THEN SUM(energy_j) END,"                     \
        "   CASE WHEN COUNT(cpu_energy_j) = COUNT(*) THEN SUM(cpu_energy_j) END,"             \
        "   CASE WHEN COUNT(gpu_energy_j) = COUNT(*) THEN SUM(gpu_energy_j) END,"             \
        "   CASE WHEN COUNT(ram_energy_j) = COUNT(*) THEN SUM(ram_energy_j) END,"             \
        "   CASE WHEN COUNT(emissions_g) = COUNT(*) THEN SUM(emissions_g) END,"               \
        "   MAX(pue), MIN(hardware_id), MIN(location_id), MIN(tool_id),"                      \
        "   MAX(cpu_basis), MAX(gpu_basis), MAX(ram_basis)"                                   \
        "  FROM measurement m WHERE ?1 IS NULL AND m.phase <> ''"                             \
        "   AND NOT EXISTS (SELECT 1 FROM measurement w WHERE w.run_id = m.run_id"            \
        "                   AND w.phase = '')"                                                \
        "  GROUP BY run_id)"
#define EACH_RUN_SQL(order)                                                                   \
        AGG_SQL                                                                               \
        " SELECT r.id, COALESCE(r.experiment_id, 0), COALESCE(r.uid, ''),"                    \
        "  COALESCE(mo.name, ''), COALESCE(t.name, ''), COALESCE(d.name, ''),"                \
        "  COALESCE(e.inferences, 0), COALESCE(e.batch_size, 0), COALESCE(mo.parameters, 0),"\
        "  a.phases, sf.name, a.line, COALESCE(a.started_at, ''), a.duration_s, a.energy_j,"  \
        "  a.cpu_j, a.gpu_j, a.ram_j, a.emissions_g, a.pue,"                                  \
        "  COALESCE(hw.gpu_model, ''), COALESCE(hw.cpu_model, ''),"                           \
        "  COALESCE(loc.country_iso_code, ''), COALESCE(loc.region, ''),"                     \
        "  COALESCE(tl.name, ''), COALESCE(tl.version, ''), COALESCE(ea.value, ''),"          \
        "  mo.training_energy_j, COALESCE(tc.samples, 0), COALESCE(tc.input_tokens, 0),"      \
        "  COALESCE(tc.output_tokens, 0), hw.cpu_count, hw.gpu_count, hw.ram_total_bytes,"     \
        "  COALESCE(hw.os, ''), COALESCE(hw.python_version, ''),"                             \
        "  a.cpu_basis, a.gpu_basis, a.ram_basis"                                             \
        " FROM agg a JOIN run r ON r.id = a.run_id"                                           \
        " JOIN source_file sf ON sf.id = a.source_file_id"                                    \
        " LEFT JOIN experiment e ON e.id = r.experiment_id"                                   \
        " LEFT JOIN model mo ON mo.id = e.model_id"                                           \
        " LEFT JOIN task t ON t.id = e.task_id"                                               \
        " LEFT JOIN dataset d ON d.id = e.dataset_id"                                         \
        " LEFT JOIN hardware hw ON hw.id = a.hardware_id"                                     \
        " LEFT JOIN location loc ON loc.id = a.location_id"                                   \
        " LEFT JOIN tool tl ON tl.id = a.tool_id"                                             \
        " LEFT JOIN experiment_attr ea ON ea.experiment_id = e.id AND ea.key = 'purpose'"     \
        " LEFT JOIN token_count tc ON tc.model = mo.name AND tc.dataset = d.name"             \
        " WHERE (?2 IS NULL OR t.name = ?2) AND (?3 IS NULL OR mo.name = ?3)"                 \
        "  AND (?4 IS NULL OR d.name = ?4)"                                                   \
        "  AND (?5 = 0 OR (e.model_id IS NOT NULL AND e.task_id IS NOT NULL"                  \
        "                  AND e.dataset_id IS NOT NULL))"                                    \
        " ORDER BY " order
    [ST_EACH_RUN] = EACH_RUN_SQL(
        "COALESCE(t.name, ''), COALESCE(mo.name, ''), COALESCE(d.name, ''), r.id"),
    [ST_EACH_RUN_BY_ID] = EACH_RUN_SQL("r.id"),
    /* the lean read of statistics, in two plain statements: whole-run (or the chosen
     * phase's) rows, then the sums of runs that only have phases */
    [ST_RUN_VALUES] =
        "SELECT r.id, COALESCE(r.experiment_id, 0), COALESCE(m.hardware_id, 0), m.energy_j,"
        " m.cpu_energy_j, m.gpu_energy_j, m.ram_energy_j, m.emissions_g,"
        " COALESCE(m.started_at, ''), " WP_SQL_MODELLED_MASK
        " FROM measurement m JOIN run r ON r.id = m.run_id WHERE m.phase = COALESCE(?1, '')",
    [ST_RUN_VALUES_PHASED] =
        "SELECT r.id, COALESCE(r.experiment_id, 0), COALESCE(MIN(m.hardware_id), 0),"
        " CASE WHEN COUNT(m.energy_j) = COUNT(*) THEN SUM(m.energy_j) END,"
        " CASE WHEN COUNT(m.cpu_energy_j) = COUNT(*) THEN SUM(m.cpu_energy_j) END,"
        " CASE WHEN COUNT(m.gpu_energy_j) = COUNT(*) THEN SUM(m.gpu_energy_j) END,"
        " CASE WHEN COUNT(m.ram_energy_j) = COUNT(*) THEN SUM(m.ram_energy_j) END,"
        " CASE WHEN COUNT(m.emissions_g) = COUNT(*) THEN SUM(m.emissions_g) END,"
        " COALESCE(MIN(m.started_at), ''), " WP_SQL_MODELLED_MASK_AGG
        " FROM measurement m JOIN run r ON r.id = m.run_id WHERE m.phase <> ''"
        " AND NOT EXISTS (SELECT 1 FROM measurement w WHERE w.run_id = m.run_id"
        "                 AND w.phase = '')"
        " GROUP BY r.id, r.experiment_id",
    [ST_EXPERIMENTS] =
        "SELECT e.id, COALESCE(mo.name, ''), COALESCE(t.name, ''), COALESCE(d.name, ''),"
        " COALESCE(ea.value, ''), COALESCE(e.inferences, 0), COALESCE(e.batch_size, 0),"
        " COALESCE(mo.parameters, 0), mo.training_energy_j, COALESCE(tc.samples, 0),"
        " COALESCE(tc.input_tokens, 0), COALESCE(tc.output_tokens, 0)"
        " FROM experiment e LEFT JOIN model mo ON mo.id = e.model_id"
        " LEFT JOIN task t ON t.id = e.task_id LEFT JOIN dataset d ON d.id = e.dataset_id"
        " LEFT JOIN experiment_attr ea ON ea.experiment_id = e.id AND ea.key = 'purpose'"
        " LEFT JOIN token_count tc ON tc.model = mo.name AND tc.dataset = d.name"
        " ORDER BY e.id",
    [ST_EXPERIMENT_ATTR] =
        "SELECT experiment_id, value FROM experiment_attr WHERE key = ?1 ORDER BY experiment_id",
    [ST_HARDWARE] = "SELECT id, gpu_model, cpu_model FROM hardware ORDER BY id",
    [ST_EACH_REJECTED] =
        "SELECT sf.path, rl.line, COALESCE(rl.col, 0), rl.reason, rl.text"
        " FROM rejected_line rl JOIN source_file sf ON sf.id = rl.source_file_id"
        " ORDER BY rl.source_file_id, rl.line, rl.id",
    [ST_EACH_SOURCE] =
        "SELECT id, path, name, format, sha256, ingested_at, size_bytes, rows_ingested,"
        " rows_rejected FROM source_file ORDER BY path, id",
    /* The files each model's figures came from: the measurements statistics read (the
     * chosen phase, else the whole-run row, else the phases of a run without one). */
    [ST_MODEL_SOURCES] =
        "SELECT DISTINCT mo.name, sf.id, sf.path, sf.name, sf.format, sf.sha256,"
        " sf.ingested_at, sf.size_bytes, sf.rows_ingested, sf.rows_rejected"
        " FROM experiment e JOIN model mo ON mo.id = e.model_id"
        " JOIN task t ON t.id = e.task_id JOIN dataset d ON d.id = e.dataset_id"
        " JOIN run r ON r.experiment_id = e.id"
        " JOIN measurement m ON m.run_id = r.id"
        " JOIN source_file sf ON sf.id = m.source_file_id"
        " WHERE (?2 IS NULL OR t.name = ?2) AND (?3 IS NULL OR mo.name = ?3)"
        "  AND (?4 IS NULL OR d.name = ?4)"
        "  AND ((?1 IS NOT NULL AND m.phase = ?1)"
        "   OR (?1 IS NULL AND (m.phase = '' OR NOT EXISTS (SELECT 1 FROM measurement w"
        "                       WHERE w.run_id = m.run_id AND w.phase = ''))))"
        "  AND (?5 IS NULL OR EXISTS (SELECT 1 FROM experiment_attr ea"
        "       WHERE ea.experiment_id = e.id AND ea.key = ?5 AND ea.value = ?6))"
        " ORDER BY mo.name, sf.path, sf.id",
    /* token counts: one file's rows replaced at a time; a (model, dataset) belongs to one
     * file, so two files cannot silently add up or overwrite each other */
    [ST_TOKENS_DEL] = "DELETE FROM token_count WHERE source_path = ?1",
    [ST_TOKENS_OWNER] =
        "SELECT source_path, logged_model, logged_dataset FROM token_count"
        " WHERE model = ?1 AND dataset = ?2",
    [ST_TOKENS_NEW] =
        "INSERT INTO token_count (model, dataset, samples, input_tokens, output_tokens,"
        " logged_model, logged_dataset, source_path, source_sha256)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [ST_TOKENS_ALL] =
        "SELECT tc.model, tc.dataset, tc.samples, tc.input_tokens, tc.output_tokens,"
        " tc.logged_model, tc.logged_dataset, tc.source_path, tc.source_sha256,"
        " EXISTS (SELECT 1 FROM experiment e JOIN model mo ON mo.id = e.model_id"
        "         JOIN dataset d ON d.id = e.dataset_id"
        "         WHERE mo.name = tc.model AND d.name = tc.dataset)"
        " FROM token_count tc ORDER BY tc.model, tc.dataset",
    /* copying out (wattprint push): everything a row holds, in the order it was stored */
    [ST_X_SOURCES] =
        "SELECT id, path, name, format, sha256, prefix_sha256, ingested_at, size_bytes,"
        " consumed_bytes, rows_ingested, rows_rejected FROM source_file ORDER BY id",
    [ST_X_VERSIONS] =
        "SELECT sha256, ingested_at, size_bytes, rows_added FROM file_version"
        " WHERE source_file_id = ?1 ORDER BY id",
    [ST_X_MEAS] =
        "SELECT m.id, m.run_id, r.uid, m.line, m.phase, m.run_label, m.project_name,"
        " m.experiment_label, m.started_at, m.duration_s, m.energy_j, m.cpu_energy_j,"
        " m.gpu_energy_j, m.ram_energy_j, m.emissions_g, m.emissions_rate_g_per_s,"
        " m.cpu_power_w, m.gpu_power_w, m.ram_power_w, m.pue, m.water_l, m.tracking_mode,"
        " m.longitude, m.latitude, t.name, t.version, h.cpu_model, h.gpu_model, h.os,"
        " h.python_version, h.cpu_count, h.gpu_count, h.ram_total_bytes, l.country_name,"
        " l.country_iso_code, l.region, l.cloud_provider, l.cloud_region, l.on_cloud,"
        " m.cpu_basis, m.gpu_basis, m.ram_basis"
        " FROM measurement m JOIN run r ON r.id = m.run_id"
        " LEFT JOIN tool t ON t.id = m.tool_id LEFT JOIN hardware h ON h.id = m.hardware_id"
        " LEFT JOIN location l ON l.id = m.location_id"
        " WHERE m.source_file_id = ?1 ORDER BY m.id",
    [ST_X_EXTRAS] =
        "SELECT key, value FROM measurement_extra WHERE measurement_id = ?1 ORDER BY key",
    [ST_X_REJECTED] =
        "SELECT sf.path, rl.line, COALESCE(rl.col, 0), rl.reason, rl.text"
        " FROM rejected_line rl JOIN source_file sf ON sf.id = rl.source_file_id"
        " WHERE rl.source_file_id = ?1 ORDER BY rl.id",
    [ST_X_LABELS] =
        "SELECT e.id, mo.name, t.name, d.name, e.inferences, e.batch_size, mo.parameters,"
        " mo.training_energy_j FROM run r JOIN experiment e ON e.id = r.experiment_id"
        " LEFT JOIN model mo ON mo.id = e.model_id LEFT JOIN task t ON t.id = e.task_id"
        " LEFT JOIN dataset d ON d.id = e.dataset_id WHERE r.id = ?1",
    [ST_X_EXP_ATTRS] =
        "SELECT key, value FROM experiment_attr WHERE experiment_id = ?1 ORDER BY key",
    [ST_X_RULES] =
        "SELECT lr.id, lr.origin, lr.manifest, lr.match_project, lr.match_experiment,"
        " lr.match_run, lr.match_file, sf.path, lr.model, lr.task, lr.dataset,"
        " lr.inferences, lr.batch_size, lr.parameters, lr.training_energy_j"
        " FROM label_rule lr LEFT JOIN source_file sf ON sf.id = lr.match_source_id"
        " ORDER BY lr.manifest IS NULL, lr.manifest, lr.id",
    [ST_COUNTS] =
        "SELECT (SELECT COUNT(*) FROM source_file), (SELECT COUNT(*) FROM run),"
        " (SELECT COUNT(*) FROM measurement),"
        " (SELECT COUNT(*) FROM run r LEFT JOIN experiment e ON e.id = r.experiment_id"
        "   WHERE e.model_id IS NULL OR e.task_id IS NULL OR e.dataset_id IS NULL),"
        " (SELECT COUNT(*) FROM rejected_line)",
};

enum wp_err wp_sq_fail(struct wp_sq *s, struct wp_diag *d, const char *what)
{
    return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: %s: %s", what,
                       s && s->db ? sqlite3_errmsg(s->db) : "cannot open");
}

sqlite3_stmt *wp_sq_stmt(struct wp_sq *s, enum wp_stmt which, struct wp_diag *d)
{
    sqlite3_stmt *st = s->stmt[which];
    if (!st) {
        if (sqlite3_prepare_v3(s->db, sql[which], -1, SQLITE_PREPARE_PERSISTENT, &st, NULL)
            != SQLITE_OK) {
            wp_sq_fail(s, d, "prepare");
            return NULL;
        }
        s->stmt[which] = st;
        return st;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return st;
}

void wp_sq_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void wp_sq_text_or_null(sqlite3_stmt *st, int i, const char *v)
{
    wp_sq_text(st, i, v && *v ? v : NULL);
}

void wp_sq_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, v);
}

void wp_sq_int_or_null(sqlite3_stmt *st, int i, long long v)
{
    if (v)
        sqlite3_bind_int64(st, i, v);
    else
        sqlite3_bind_null(st, i);
}

double wp_sq_col_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

const char *wp_sq_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

static enum wp_err exec(struct wp_sq *s, const char *text, struct wp_diag *d)
{
    char *err = NULL;
    if (sqlite3_exec(s->db, text, NULL, NULL, &err) != SQLITE_OK) {
        wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: %s", err ? err : "exec failed");
        sqlite3_free(err);
        return WP_ERR_DB;
    }
    return WP_OK;
}

static int read_version(struct wp_sq *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static enum wp_err record_migration(struct wp_sq *s, const struct wp_migration *m,
                                    struct wp_diag *d)
{
    sqlite3_stmt *st;
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO schema_migrations (version, name, applied_at)"
                           " VALUES (?1, ?2, ?3)",
                           -1, &st, NULL) != SQLITE_OK)
        return wp_sq_fail(s, d, "record migration");
    sqlite3_bind_int(st, 1, m->version);
    sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, now, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, "record migration");
}

/* Applies every compiled-in migration newer than the database, each in its own
 * transaction, so an old database upgrades in place. */
static enum wp_err migrate(struct wp_sq *s, struct wp_diag *d)
{
    enum wp_err e = exec(s,
                         "CREATE TABLE IF NOT EXISTS schema_migrations ("
                         " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                         " applied_at TEXT NOT NULL)",
                         d);
    if (e)
        return e;
    s->version = s->base.version_at_open = read_version(s);
    if (s->version < 0)
        return wp_sq_fail(s, d, "read schema version");
    if (s->version > wp_store_latest_version())
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0,
                           "database schema version %d is newer than this wattprint "
                           "understands (%d): upgrade wattprint",
                           s->version, wp_store_latest_version());
    for (size_t i = 0; i < wp_n_migrations; i++) {
        const struct wp_migration *m = &wp_migrations[i];
        if (m->version <= s->version)
            continue;
        if ((e = exec(s, "BEGIN IMMEDIATE", d)))
            return e;
        if ((e = exec(s, m->sql, d)) || (e = record_migration(s, m, d))) {
            wp_sq_rollback(&s->base);
            return e;
        }
        if ((e = exec(s, "COMMIT", d)))
            return e;
        s->version = m->version;
    }
    s->base.version = s->version;
    return WP_OK;
}

static const struct wp_store_ops sq_ops;

/* Opens path read-write (creating it in WP_STORE_CREATE), sets the pragmas and migrates.
 * *code: SQLite's primary result code of the failure, so that the caller can tell a
 * database it may only read from a broken one. */
static enum wp_err open_rw(struct wp_sq *s, const char *path, enum wp_store_mode mode,
                           int *code, struct wp_diag *d)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (mode == WP_STORE_CREATE)
        flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path, &s->db, flags, NULL);
    if (rc != SQLITE_OK) {
        *code = rc & 0xff;
        return wp_diag_set(d, WP_ERR_DB, path, 0, 0, "cannot open database: %s",
                           s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
    }
    sqlite3_extended_result_codes(s->db, 1);
    sqlite3_busy_timeout(s->db, 10000);
    /* WAL: readers never block the writer; NORMAL sync is crash-safe in WAL mode (a killed
     * process loses nothing committed).  Ingest commits once per file and each commit
     * writes every page it touched to the WAL (a dozen b-trees, half of them at random
     * keys: sha256, run uid), so the bytes written, and the fdatasync of each checkpoint,
     * set its pace: with 2 KiB pages (for a new file; an existing one keeps its size) the
     * study's 6,569 files write 209 MB instead of 378, and checkpoints run on a thread of
     * their own (sqlite_ckpt.c) rather than stalling the writer every 1,000 pages.  Reads
     * are as fast. */
    enum wp_err e = exec(s,
                         "PRAGMA page_size = 2048; PRAGMA journal_mode = WAL;"
                         " PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
                         " PRAGMA cache_size = -65536;",
                         d);
    if (!e)
        wp_sq_ckpt_init(s);
    if (!e)
        e = migrate(s, d);
    if (e)
        *code = sqlite3_errcode(s->db) & 0xff;
    return e;
}

/* The "file:" URI of path for sqlite3_open_v2 with SQLITE_OPEN_URI: '%', '?' and '#' are
 * escaped, and a path starting with "//" keeps out of the URI's authority.  Heap string. */
static char *path_uri(const char *path, const char *query)
{
    size_t n = strlen(path), len = sizeof "file:" - 1;
    for (size_t i = 0; i < n; i++) {
        bool escaped = strchr("%?#", path[i]) || (i == 1 && path[0] == '/' && path[1] == '/');
        len += escaped ? 3 : 1;
    }
    char *u = malloc(len + 1 + strlen(query) + 1), *w = u; /* then "?query" and its NUL */
    if (!u)
        return NULL;
    w += sprintf(w, "file:");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if (strchr("%?#", c) || (i == 1 && path[0] == '/' && c == '/'))
            w += sprintf(w, "%%%02X", c);
        else
            *w++ = (char)c;
    }
    sprintf(w, "?%s", query);
    return u;
}

/* Whether path's write-ahead log holds frames that a reader must see. */
static bool wal_has_frames(const char *path)
{
    size_t n = strlen(path);
    char *wal = malloc(n + 5);
    if (!wal)
        return true;
    memcpy(wal, path, n);
    memcpy(wal + n, "-wal", 5);
    struct stat st;
    bool has = stat(wal, &st) == 0 && st.st_size > 0;
    free(wal);
    return has;
}

/* Opens path read-only: for a user who may read the database but not write it or its
 * folder.  SQLite reads a WAL database through its -shm file, which such a user can
 * neither create nor write; when no WAL frames wait (no writer is between checkpoints),
 * the file alone is the database and is opened as immutable.  No migration can run, so
 * the schema must be this binary's. */
static enum wp_err open_ro(struct wp_sq *s, const char *path, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    for (int immutable = 0; immutable < 2; immutable++) {
        char *uri = path_uri(path, immutable ? "immutable=1" : "mode=ro");
        if (!uri)
            return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        int rc = sqlite3_open_v2(uri, &s->db,
                                 SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                                 NULL);
        free(uri);
        if (rc == SQLITE_OK) {
            sqlite3_extended_result_codes(s->db, 1);
            sqlite3_busy_timeout(s->db, 10000);
            s->version = read_version(s);
        }
        if (rc == SQLITE_OK && s->version >= 0)
            break;
        int code = s->db ? sqlite3_errcode(s->db) & 0xff : rc & 0xff;
        e = wp_diag_set(d, WP_ERR_DB, path, 0, 0, "cannot read database: %s",
                        s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        sqlite3_close(s->db);
        s->db = NULL;
        if (immutable || (code != SQLITE_CANTOPEN && code != SQLITE_READONLY))
            return e;
        if (wal_has_frames(path))
            return wp_diag_set(d, WP_ERR_DB, path, 0, 0,
                               "cannot read database: a writer's log (-wal) holds changes "
                               "that this user can read only with write access to the "
                               "database's folder");
    }
    if ((e = exec(s, "PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;", d)))
        return e;
    if (s->version > wp_store_latest_version())
        return wp_diag_set(d, WP_ERR_DB, path, 0, 0,
                           "database schema version %d is newer than this wattprint "
                           "understands (%d): upgrade wattprint",
                           s->version, wp_store_latest_version());
    if (s->version != wp_store_latest_version())
        return wp_diag_set(d, WP_ERR_DB, path, 0, 0,
                           "database schema version %d, this wattprint's is %d, and this "
                           "user may only read the database: run 'wattprint migrate' as "
                           "a user who can write it",
                           s->version, wp_store_latest_version());
    s->base.version = s->base.version_at_open = s->version;
    return WP_OK;
}

enum wp_err wp_sq_open(const char *path, enum wp_store_mode mode, struct wp_store **out,
                       struct wp_diag *d)
{
    *out = NULL;
    struct stat st;
    if (mode == WP_STORE_EXISTING && stat(path, &st) != 0)
        return wp_diag_set(d, WP_ERR_DB, path, 0, 0, "%s",
                           errno == ENOENT || errno == ENOTDIR
                               ? "no such database (ingest creates one)"
                               : strerror(errno));
    struct wp_sq *s = calloc(1, sizeof *s);
    if (!s)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    s->base.ops = &sq_ops;
    int code = SQLITE_OK;
    enum wp_err e = open_rw(s, path, mode, &code, d);
    if (e && mode == WP_STORE_EXISTING && (code == SQLITE_READONLY || code == SQLITE_CANTOPEN)) {
        /* a database this user may read but not write: read it as it is */
        wp_sq_ckpt_stop(s);
        s->ckpt = NULL;
        sqlite3_close(s->db);
        s->db = NULL;
        e = open_ro(s, path, d);
    }
    if (e) {
        if (d && !wp_diag_has_file(d) && e == WP_ERR_DB) {
            char tmp[sizeof d->msg];
            snprintf(tmp, sizeof tmp, "%s", d->msg);
            wp_diag_set(d, e, path, 0, 0, "%s", tmp);
        }
        wp_sq_close(&s->base);
        return e;
    }
    *out = &s->base;
    return WP_OK;
}

static void forget(struct dim_cache *c)
{
    free(c->key);
    c->key = NULL;
    c->id = 0;
}

void wp_sq_close(struct wp_store *b)
{
    struct wp_sq *s = wp_sq_of(b);
    wp_sq_ckpt_stop(s);
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    forget(&s->tool);
    forget(&s->hw);
    forget(&s->loc);
    for (int i = 0; i < 5; i++)
        forget(&s->names[i]);
    sqlite3_close(s->db);
    free(s);
}

static enum wp_err step_done(struct wp_sq *s, enum wp_stmt which, struct wp_diag *d,
                             const char *what)
{
    sqlite3_stmt *st = wp_sq_stmt(s, which, d);
    if (!st)
        return WP_ERR_DB;
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, what);
}

enum wp_err wp_sq_begin(struct wp_store *b, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    return step_done(s, ST_BEGIN, d, "begin transaction");
}

enum wp_err wp_sq_commit(struct wp_store *b, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    return step_done(s, ST_COMMIT, d, "commit");
}

void wp_sq_rollback(struct wp_store *b)
{
    struct wp_sq *s = wp_sq_of(b);
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    /* cached dimension ids may name rows that the rollback removed */
    forget(&s->tool);
    forget(&s->hw);
    forget(&s->loc);
    for (int i = 0; i < 5; i++)
        forget(&s->names[i]);
}

static const struct wp_store_ops sq_ops = {
    .name = "sqlite",
    .close = wp_sq_close,
    .begin = wp_sq_begin,
    .commit = wp_sq_commit,
    .rollback = wp_sq_rollback,
    .find_prior = wp_sq_find_prior,
    .has_content = wp_sq_has_content,
    .source_drop = wp_sq_source_drop,
    .source_new = wp_sq_source_new,
    .source_finish = wp_sq_source_finish,
    .add_measurement = wp_sq_add_measurement,
    .add_rejected = wp_sq_add_rejected,
    .rules_put = wp_sq_rules_put,
    .rules_drop_source = wp_sq_rules_drop_source,
    .rules_each = wp_sq_rules_each,
    .run_keys_each = wp_sq_run_keys_each,
    .label_run = wp_sq_label_run,
    .tokens_put = wp_sq_tokens_put,
    .each_token_count = wp_sq_each_token_count,
    .each_run = wp_sq_each_run,
    .each_run_value = wp_sq_each_run_value,
    .each_experiment = wp_sq_each_experiment,
    .each_experiment_attr = wp_sq_each_experiment_attr,
    .each_text = wp_sq_each_text,
    .each_hardware = wp_sq_each_hardware,
    .each_rejected = wp_sq_each_rejected,
    .each_source = wp_sq_each_source,
    .each_model_source = wp_sq_each_model_source,
    .counts = wp_sq_counts,
    .export_sources = wp_sq_export_sources,
    .export_versions = wp_sq_export_versions,
    .export_measurements = wp_sq_export_measurements,
    .export_rejected = wp_sq_export_rejected,
    .export_run_labels = wp_sq_export_run_labels,
    .export_rules = wp_sq_export_rules,
};
