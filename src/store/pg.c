/* PostgreSQL backend, core: connecting (libpq; the URI and libpq's environment), the
 * migrations, transactions, the writer lock and the table of every SQL statement the
 * backend runs (prepared once per connection, run with bound parameters).  The statements
 * are the SQLite backend's (sqlite.c) in PostgreSQL's dialect: $N parameters, IS NOT
 * DISTINCT FROM, string_agg, explicit ids.  Writes are in pg_write.c, reads in pg_read.c. */
#include "store/pg_int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/migrations.h"

/* Every transaction that writes takes this transaction-level advisory lock first: writers
 * take turns, as they do on SQLite (BEGIN IMMEDIATE), which makes the checks an ingest
 * makes (content seen before? file grown?) and the ids it assigns (MAX(id) + 1, gapless
 * like SQLite's rowids) safe.  Readers never wait for it. */
#define WRITER_LOCK "2004318068" /* 0x77617474, "watt" */

/* The next id of a table, assigned under the writer lock. */
#define NEXT_ID(t) "(SELECT COALESCE(MAX(id), 0) + 1 FROM " t ")"

static const char *const sql[PQ__COUNT] = {
    [PQ_LOCK] = "SELECT pg_advisory_xact_lock(" WRITER_LOCK ")",
    [PQ_FIND_PRIOR] =
        "SELECT id, size_bytes, consumed_bytes, sha256, prefix_sha256 FROM source_file"
        " WHERE path = $1 ORDER BY id DESC LIMIT 1",
    [PQ_HAS_CONTENT] = "SELECT 1 FROM file_version WHERE sha256 = $1",
    [PQ_DROP_RUN_IDS] =
        "SELECT DISTINCT m.run_id FROM measurement m JOIN source_file f"
        " ON f.id = m.source_file_id WHERE f.path = $1 ORDER BY m.run_id",
    [PQ_DROP_MEAS] =
        "DELETE FROM measurement WHERE source_file_id IN"
        " (SELECT id FROM source_file WHERE path = $1)",
    [PQ_DROP_RUN] =
        "DELETE FROM run WHERE id = $1 AND NOT EXISTS"
        " (SELECT 1 FROM measurement WHERE run_id = $1)",
    [PQ_DROP_SOURCE] = "DELETE FROM source_file WHERE path = $1",
    [PQ_SOURCE_NEW] =
        "INSERT INTO source_file (id, path, name, format, sha256, size_bytes, consumed_bytes,"
        " prefix_sha256, ingested_at) VALUES (" NEXT_ID("source_file") ", $1, $2, $3, '', 0,"
        " 0, '', $4) RETURNING id",
    [PQ_SOURCE_FINISH] =
        "UPDATE source_file SET sha256 = $2, size_bytes = $3, consumed_bytes = $4,"
        " prefix_sha256 = $5, rows_ingested = rows_ingested + $6,"
        " rows_rejected = rows_rejected + $7 WHERE id = $1",
    [PQ_VERSION_NEW] =
        "INSERT INTO file_version (id, source_file_id, sha256, size_bytes, rows_added,"
        " ingested_at) VALUES (" NEXT_ID("file_version") ", $1, $2, $3, $4, $5)",
    [PQ_TOOL_GET] = "SELECT id FROM tool WHERE name = $1 AND version = $2",
    [PQ_TOOL_NEW] =
        "INSERT INTO tool (id, name, version) VALUES (" NEXT_ID("tool") ", $1, $2) RETURNING id",
    [PQ_HW_GET] =
        "SELECT id FROM hardware WHERE cpu_model = $1 AND cpu_count IS NOT DISTINCT FROM"
        " $2::bigint AND gpu_model = $3 AND gpu_count IS NOT DISTINCT FROM $4::bigint"
        " AND ram_total_bytes IS NOT DISTINCT FROM $5::float8 AND os = $6"
        " AND python_version = $7",
    [PQ_HW_NEW] =
        "INSERT INTO hardware (id, cpu_model, cpu_count, gpu_model, gpu_count, ram_total_bytes,"
        " os, python_version) VALUES (" NEXT_ID("hardware") ", $1, $2, $3, $4, $5, $6, $7)"
        " RETURNING id",
    [PQ_LOC_GET] =
        "SELECT id FROM location WHERE country_name = $1 AND country_iso_code = $2"
        " AND region = $3 AND cloud_provider = $4 AND cloud_region = $5 AND on_cloud = $6",
    [PQ_LOC_NEW] =
        "INSERT INTO location (id, country_name, country_iso_code, region, cloud_provider,"
        " cloud_region, on_cloud) VALUES (" NEXT_ID("location") ", $1, $2, $3, $4, $5, $6)"
        " RETURNING id",
    [PQ_RUN_BY_UID] =
        "SELECT r.id, m.id, m.energy_j, m.duration_s, m.started_at, m.emissions_g, sf.name,"
        " m.line FROM run r"
        " LEFT JOIN measurement m ON m.run_id = r.id AND m.phase = $2"
        " LEFT JOIN source_file sf ON sf.id = m.source_file_id"
        " WHERE r.uid = $1 ORDER BY r.id",
    [PQ_RUN_NEW] = "INSERT INTO run (id, uid) VALUES (" NEXT_ID("run") ", $1) RETURNING id",
    [PQ_MEAS_NEW] =
        "INSERT INTO measurement (id, run_id, phase, source_file_id, line, run_label,"
        " project_name, experiment_label, started_at, duration_s, energy_j, cpu_energy_j,"
        " gpu_energy_j, ram_energy_j, emissions_g, emissions_rate_g_per_s, cpu_power_w,"
        " gpu_power_w, ram_power_w, carbon_intensity_g_per_kwh, pue, water_l,"
        " tracking_mode, longitude, latitude, tool_id, hardware_id, location_id, cpu_basis,"
        " gpu_basis, ram_basis)"
        " VALUES (" NEXT_ID("measurement") ", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
        " $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27,"
        " $28, $29, $30)"
        " RETURNING id",
    [PQ_EXTRA_NEW] =
        "INSERT INTO measurement_extra (measurement_id, key, value) VALUES ($1, $2, $3)"
        " ON CONFLICT (measurement_id, key) DO NOTHING",
    [PQ_REJECT_NEW] =
        "INSERT INTO rejected_line (id, source_file_id, line, col, reason, text)"
        " VALUES (" NEXT_ID("rejected_line") ", $1, $2, $3, $4, $5)",
    [PQ_RULES_DEL] = "DELETE FROM label_rule WHERE manifest = $1",
    [PQ_RULES_DEL_SOURCE] = "DELETE FROM label_rule WHERE manifest IS NULL AND origin = 'command line' AND match_source_id = $1::bigint AND match_experiment IS NULL",
    [PQ_RULE_NEW] =
        "INSERT INTO label_rule (id, origin, manifest, match_project, match_experiment,"
        " match_run, match_file, match_source_id, model, task, dataset, inferences,"
        " batch_size, parameters, training_energy_j)"
        " VALUES (" NEXT_ID("label_rule") ", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
        " $12, $13, $14) RETURNING id",
    [PQ_RULE_ATTR_NEW] =
        "INSERT INTO label_rule_attr (rule_id, key, value) VALUES ($1, $2, $3)"
        " ON CONFLICT (rule_id, key) DO UPDATE SET value = excluded.value",
    [PQ_RULES_ALL] =
        "SELECT id, origin, match_project, match_experiment, match_run, match_file,"
        " match_source_id, model, task, dataset, inferences, batch_size, parameters,"
        " training_energy_j FROM label_rule ORDER BY id",
    [PQ_RULE_ATTRS] =
        "SELECT key, value FROM label_rule_attr WHERE rule_id = $1 ORDER BY key",
    [PQ_KEYS_ALL] =
        "SELECT m.run_id, m.project_name, m.experiment_label, m.run_label, sf.name,"
        " m.source_file_id FROM measurement m JOIN source_file sf ON sf.id = m.source_file_id"
        " ORDER BY m.run_id, m.id",
    [PQ_KEYS_SOURCE] =
        "SELECT m.run_id, m.project_name, m.experiment_label, m.run_label, sf.name,"
        " m.source_file_id FROM measurement m JOIN source_file sf ON sf.id = m.source_file_id"
        " WHERE m.run_id IN (SELECT run_id FROM measurement WHERE source_file_id = $1)"
        " ORDER BY m.run_id, m.id",
    [PQ_MODEL_PUT] =
        "INSERT INTO model (id, name) SELECT COALESCE(MAX(id), 0) + 1, $1 FROM model"
        " ON CONFLICT (name) DO NOTHING",
    [PQ_MODEL_GET] = "SELECT id FROM model WHERE name = $1",
    [PQ_MODEL_PARAMS] = "UPDATE model SET parameters = $2 WHERE id = $1",
    [PQ_MODEL_TRAINING] = "UPDATE model SET training_energy_j = $2 WHERE id = $1",
    [PQ_TASK_PUT] =
        "INSERT INTO task (id, name) SELECT COALESCE(MAX(id), 0) + 1, $1 FROM task"
        " ON CONFLICT (name) DO NOTHING",
    [PQ_TASK_GET] = "SELECT id FROM task WHERE name = $1",
    [PQ_DATASET_PUT] =
        "INSERT INTO dataset (id, name) SELECT COALESCE(MAX(id), 0) + 1, $1 FROM dataset"
        " ON CONFLICT (name) DO NOTHING",
    [PQ_DATASET_GET] = "SELECT id FROM dataset WHERE name = $1",
    [PQ_EXP_GET] =
        "SELECT id FROM experiment WHERE model_id IS NOT DISTINCT FROM $1::bigint"
        " AND task_id IS NOT DISTINCT FROM $2::bigint"
        " AND dataset_id IS NOT DISTINCT FROM $3::bigint"
        " AND inferences IS NOT DISTINCT FROM $4::bigint"
        " AND batch_size IS NOT DISTINCT FROM $5::bigint ORDER BY id LIMIT 1",
    [PQ_EXP_NEW] =
        "INSERT INTO experiment (id, model_id, task_id, dataset_id, inferences, batch_size)"
        " VALUES (" NEXT_ID("experiment") ", $1, $2, $3, $4, $5) RETURNING id",
    [PQ_EXP_ATTR_PUT] =
        "INSERT INTO experiment_attr (experiment_id, key, value) VALUES ($1, $2, $3)"
        " ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value",
    /* As in sqlite.c.  SQLite aggregates a run's phases in the order of its (run_id, phase)
     * index, so the phases are joined and summed in byte order of their names here too:
     * the same text, and the same floating-point sums to the last bit. */
#define AGG_SQL                                                                               \
        "WITH agg AS ("                                                                       \
        "  SELECT m.run_id, CASE WHEN m.phase = '' THEN 'run' ELSE m.phase END AS phases,"    \
        "   m.source_file_id, m.line, m.started_at, m.duration_s, m.energy_j,"                \
        "   m.cpu_energy_j AS cpu_j, m.gpu_energy_j AS gpu_j, m.ram_energy_j AS ram_j,"       \
        "   m.emissions_g, m.pue, m.hardware_id, m.location_id, m.tool_id,"                   \
        "   m.cpu_basis, m.gpu_basis, m.ram_basis"                                            \
        "  FROM measurement m WHERE m.phase = COALESCE($1::text, '')"                         \
        "  UNION ALL"                                                                         \
        "  SELECT run_id, string_agg(phase, '+' ORDER BY phase), MIN(source_file_id),"        \
        "   MIN(line), MIN(started_at), SUM(duration_s ORDER BY phase),"                      \
        "   CASE WHEN COUNT(energy_j) = COUNT(*) THEN SUM(energy_j ORDER BY phase) END,"      \
        "   CASE WHEN COUNT(cpu_energy_j) = COUNT(*) THEN SUM(cpu_energy_j ORDER BY phase) END," \
        "   CASE WHEN COUNT(gpu_energy_j) = COUNT(*) THEN SUM(gpu_energy_j ORDER BY phase) END," \
        "   CASE WHEN COUNT(ram_energy_j) = COUNT(*) THEN SUM(ram_energy_j ORDER BY phase) END," \
        "   CASE WHEN COUNT(emissions_g) = COUNT(*) THEN SUM(emissions_g ORDER BY phase) END," \
        "   MAX(pue), MIN(hardware_id), MIN(location_id), MIN(tool_id),"                      \
        "   MAX(cpu_basis), MAX(gpu_basis), MAX(ram_basis)"                                   \
        "  FROM measurement m WHERE $1::text IS NULL AND m.phase <> ''"                       \
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
        " WHERE ($2::text IS NULL OR t.name = $2) AND ($3::text IS NULL OR mo.name = $3)"     \
        "  AND ($4::text IS NULL OR d.name = $4)"                                             \
        "  AND ($5::int = 0 OR (e.model_id IS NOT NULL AND e.task_id IS NOT NULL"             \
        "                  AND e.dataset_id IS NOT NULL))"                                    \
        " ORDER BY " order
    [PQ_EACH_RUN] = EACH_RUN_SQL(
        "COALESCE(t.name, '') COLLATE \"C\", COALESCE(mo.name, '') COLLATE \"C\","
        " COALESCE(d.name, '') COLLATE \"C\", r.id"),
    [PQ_EACH_RUN_BY_ID] = EACH_RUN_SQL("r.id"),
    /* the lean reads of statistics: whole-run (or the chosen phase's) rows, then the sums
     * of runs that only have phases; all of them, or (ENERGY) the summary's four columns.
     * By run id, as SQLite's scan hands them over: over millions of runs the server merges
     * the two tables' indexes (faster than hashing one of them), and the summary's stream
     * needs each task's runs in this order */
#define RUN_ROWS_SQL                                                                          \
        " FROM measurement m JOIN run r ON r.id = m.run_id"                                   \
        " WHERE m.phase = COALESCE($1::text, '') ORDER BY m.run_id"
#define PHASED_RUNS_SQL                                                                       \
        " FROM measurement m JOIN run r ON r.id = m.run_id WHERE m.phase <> ''"               \
        " AND NOT EXISTS (SELECT 1 FROM measurement w WHERE w.run_id = m.run_id"              \
        "                 AND w.phase = '')"                                                  \
        " GROUP BY r.id, r.experiment_id ORDER BY r.id"
    [PQ_RUN_VALUES] =
        "SELECT r.id, COALESCE(r.experiment_id, 0), COALESCE(m.hardware_id, 0), m.energy_j,"
        " m.cpu_energy_j, m.gpu_energy_j, m.ram_energy_j, m.emissions_g,"
        " COALESCE(m.started_at, ''), " WP_SQL_MODELLED_MASK RUN_ROWS_SQL,
    [PQ_RUN_ENERGY] =
        "SELECT m.run_id, COALESCE(r.experiment_id, 0), m.energy_j, m.emissions_g" RUN_ROWS_SQL,
    [PQ_RUN_ENERGY_PHASED] =
        "SELECT r.id, COALESCE(r.experiment_id, 0),"
        " CASE WHEN COUNT(m.energy_j) = COUNT(*) THEN SUM(m.energy_j ORDER BY m.phase) END,"
        " CASE WHEN COUNT(m.emissions_g) = COUNT(*) THEN SUM(m.emissions_g ORDER BY m.phase)"
        " END" PHASED_RUNS_SQL,
    [PQ_RUN_VALUES_PHASED] =
        "SELECT r.id, COALESCE(r.experiment_id, 0), COALESCE(MIN(m.hardware_id), 0),"
        " CASE WHEN COUNT(m.energy_j) = COUNT(*) THEN SUM(m.energy_j ORDER BY m.phase) END,"
        " CASE WHEN COUNT(m.cpu_energy_j) = COUNT(*) THEN SUM(m.cpu_energy_j ORDER BY m.phase)"
        " END,"
        " CASE WHEN COUNT(m.gpu_energy_j) = COUNT(*) THEN SUM(m.gpu_energy_j ORDER BY m.phase)"
        " END,"
        " CASE WHEN COUNT(m.ram_energy_j) = COUNT(*) THEN SUM(m.ram_energy_j ORDER BY m.phase)"
        " END,"
        " CASE WHEN COUNT(m.emissions_g) = COUNT(*) THEN SUM(m.emissions_g ORDER BY m.phase)"
        " END,"
        " COALESCE(MIN(m.started_at), ''), " WP_SQL_MODELLED_MASK_AGG PHASED_RUNS_SQL,
    [PQ_EXPERIMENTS] =
        "SELECT e.id, COALESCE(mo.name, ''), COALESCE(t.name, ''), COALESCE(d.name, ''),"
        " COALESCE(ea.value, ''), COALESCE(e.inferences, 0), COALESCE(e.batch_size, 0),"
        " COALESCE(mo.parameters, 0), mo.training_energy_j, COALESCE(tc.samples, 0),"
        " COALESCE(tc.input_tokens, 0), COALESCE(tc.output_tokens, 0)"
        " FROM experiment e LEFT JOIN model mo ON mo.id = e.model_id"
        " LEFT JOIN task t ON t.id = e.task_id LEFT JOIN dataset d ON d.id = e.dataset_id"
        " LEFT JOIN experiment_attr ea ON ea.experiment_id = e.id AND ea.key = 'purpose'"
        " LEFT JOIN token_count tc ON tc.model = mo.name AND tc.dataset = d.name"
        " ORDER BY e.id",
    [PQ_EXPERIMENT_ATTR] =
        "SELECT experiment_id, value FROM experiment_attr WHERE key = $1"
        " ORDER BY experiment_id",
    [PQ_HARDWARE] = "SELECT id, gpu_model, cpu_model FROM hardware ORDER BY id",
    [PQ_EACH_REJECTED] =
        "SELECT sf.path, rl.line, COALESCE(rl.col, 0), rl.reason, rl.text"
        " FROM rejected_line rl JOIN source_file sf ON sf.id = rl.source_file_id"
        " ORDER BY rl.source_file_id, rl.line, rl.id",
    [PQ_EACH_SOURCE] =
        "SELECT id, path, name, format, sha256, ingested_at, size_bytes, rows_ingested,"
        " rows_rejected FROM source_file ORDER BY path COLLATE \"C\", id",
    [PQ_MODEL_SOURCES] =
        "SELECT DISTINCT mo.name, sf.id, sf.path, sf.name, sf.format, sf.sha256,"
        " sf.ingested_at, sf.size_bytes, sf.rows_ingested, sf.rows_rejected"
        " FROM experiment e JOIN model mo ON mo.id = e.model_id"
        " JOIN task t ON t.id = e.task_id JOIN dataset d ON d.id = e.dataset_id"
        " JOIN run r ON r.experiment_id = e.id"
        " JOIN measurement m ON m.run_id = r.id"
        " JOIN source_file sf ON sf.id = m.source_file_id"
        " WHERE ($2::text IS NULL OR t.name = $2) AND ($3::text IS NULL OR mo.name = $3)"
        "  AND ($4::text IS NULL OR d.name = $4)"
        "  AND (($1::text IS NOT NULL AND m.phase = $1)"
        "   OR ($1::text IS NULL AND (m.phase = '' OR NOT EXISTS (SELECT 1 FROM measurement w"
        "                       WHERE w.run_id = m.run_id AND w.phase = ''))))"
        "  AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM experiment_attr ea"
        "       WHERE ea.experiment_id = e.id AND ea.key = $5 AND ea.value = $6::text))"
        /* byte order: the columns are COLLATE "C" (DISTINCT allows no other ORDER BY) */
        " ORDER BY mo.name, sf.path, sf.id",
    [PQ_TOKENS_DEL] = "DELETE FROM token_count WHERE source_path = $1",
    [PQ_TOKENS_OWNER] =
        "SELECT source_path, logged_model, logged_dataset FROM token_count"
        " WHERE model = $1 AND dataset = $2",
    [PQ_TOKENS_NEW] =
        "INSERT INTO token_count (model, dataset, samples, input_tokens, output_tokens,"
        " logged_model, logged_dataset, source_path, source_sha256)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    [PQ_TOKENS_ALL] =
        "SELECT tc.model, tc.dataset, tc.samples, tc.input_tokens, tc.output_tokens,"
        " tc.logged_model, tc.logged_dataset, tc.source_path, tc.source_sha256,"
        " CASE WHEN EXISTS (SELECT 1 FROM experiment e JOIN model mo ON mo.id = e.model_id"
        "         JOIN dataset d ON d.id = e.dataset_id"
        "         WHERE mo.name = tc.model AND d.name = tc.dataset) THEN 1 ELSE 0 END"
        " FROM token_count tc ORDER BY tc.model COLLATE \"C\", tc.dataset COLLATE \"C\"",
    [PQ_IMPORT_SOURCE] =
        "INSERT INTO source_file (id, path, name, format, sha256, size_bytes, consumed_bytes,"
        " prefix_sha256, rows_ingested, rows_rejected, ingested_at)"
        " VALUES (" NEXT_ID("source_file") ", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        " RETURNING id",
    /* the batch (pg_copy.c): every run of these keys with each of its measurements, as
     * PQ_RUN_BY_UID finds them one key and phase at a time */
    [PQ_BATCH_RUNS] =
        "SELECT r.uid, r.id, m.id, m.phase, m.energy_j, m.duration_s, m.started_at,"
        " m.emissions_g, sf.name, m.line FROM run r"
        " LEFT JOIN measurement m ON m.run_id = r.id"
        " LEFT JOIN source_file sf ON sf.id = m.source_file_id"
        " WHERE r.uid = ANY ($1::text[]) ORDER BY r.id, m.phase",
    [PQ_NEXT_IDS] =
        "SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM run),"
        " (SELECT COALESCE(MAX(id), 0) + 1 FROM measurement)",
    [PQ_SOURCE_NAME] = "SELECT name FROM source_file WHERE id = $1",
    [PQ_RUN_LABEL_MANY] =
        "UPDATE run SET experiment_id = NULLIF(v.exp, 0) FROM"
        " unnest($1::bigint[], $2::bigint[]) AS v (id, exp) WHERE run.id = v.id",
    [PQ_COUNTS] =
        "SELECT (SELECT COUNT(*) FROM source_file), (SELECT COUNT(*) FROM run),"
        " (SELECT COUNT(*) FROM measurement),"
        " (SELECT COUNT(*) FROM run r LEFT JOIN experiment e ON e.id = r.experiment_id"
        "   WHERE e.model_id IS NULL OR e.task_id IS NULL OR e.dataset_id IS NULL),"
        " (SELECT COUNT(*) FROM rejected_line)",
};

/* ---- binding and reading ------------------------------------------------------------- */

void wp_pq_text(struct wp_pq_args *a, const char *v)
{
    a->v[a->n++] = v;
}

void wp_pq_text_or_null(struct wp_pq_args *a, const char *v)
{
    wp_pq_text(a, v && *v ? v : NULL);
}

void wp_pq_real(struct wp_pq_args *a, double v)
{
    if (isnan(v)) {
        a->v[a->n++] = NULL;
        return;
    }
    /* round-trips every double; -0 is stored as 0, as SQLite stores it (an integral REAL
     * is kept as an integer there), so that both backends print the same */
    snprintf(a->buf[a->n], sizeof a->buf[0], "%.17g", v == 0 ? 0.0 : v);
    a->v[a->n] = a->buf[a->n];
    a->n++;
}

void wp_pq_int(struct wp_pq_args *a, long long v)
{
    snprintf(a->buf[a->n], sizeof a->buf[0], "%lld", v);
    a->v[a->n] = a->buf[a->n];
    a->n++;
}

void wp_pq_int_or_null(struct wp_pq_args *a, long long v)
{
    if (v)
        wp_pq_int(a, v);
    else
        a->v[a->n++] = NULL;
}

/* Column types as the server's catalogue numbers them (pg_type.oid, fixed since 7.x):
 * the ones a cursor's binary rows hold. */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25,
       OID_FLOAT4 = 700, OID_FLOAT8 = 701, OID_VARCHAR = 1043 };

/* A big-endian integer of len bytes (binary format: network order). */
static uint64_t be(const char *p, int len)
{
    uint64_t v = 0;
    for (int i = 0; i < len; i++)
        v = v << 8 | (unsigned char)p[i];
    return v;
}

/* Whether every column of a binary result r has a type the column readers decode (bool,
 * int2/4/8, float4/8, text, varchar); WP_ERR_DB naming the first that has not. */
static enum wp_err binary_readable(const PGresult *r, const char *what, struct wp_diag *d)
{
    for (int c = 0; c < PQnfields(r); c++) {
        Oid t = PQftype(r, c);
        if (t != OID_BOOL && t != OID_INT8 && t != OID_INT2 && t != OID_INT4 && t != OID_TEXT &&
            t != OID_FLOAT4 && t != OID_FLOAT8 && t != OID_VARCHAR)
            return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "%s: column %d has type %u, not read "
                               "in binary", what, c + 1, (unsigned)t);
    }
    return WP_OK;
}

/* The bytes of a binary value of the size its type has, or NULL (a server that sends
 * another size is not trusted with the bytes). */
static const char *sized(const PGresult *r, int row, int col, int size)
{
    return PQgetlength(r, row, col) == size ? PQgetvalue(r, row, col) : NULL;
}

double wp_pq_col_real(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return NAN;
    const char *v = PQgetvalue(r, row, col);
    if (!PQfformat(r, col)) /* extra_float_digits = 3 (set at connect): the exact double */
        return strtod(v, NULL);
    switch (PQftype(r, col)) {
    case OID_FLOAT8: {
        if (!(v = sized(r, row, col, 8)))
            return NAN;
        uint64_t u = be(v, 8);
        double d;
        memcpy(&d, &u, sizeof d);
        return d;
    }
    case OID_FLOAT4: {
        if (!(v = sized(r, row, col, 4)))
            return NAN;
        uint32_t u = (uint32_t)be(v, 4);
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    case OID_BOOL: case OID_INT2: case OID_INT4: case OID_INT8:
        return (double)wp_pq_col_int(r, row, col);
    default: /* text: its bytes */
        return strtod(v, NULL);
    }
}

const char *wp_pq_col_text(const PGresult *r, int row, int col)
{
    return PQgetvalue(r, row, col); /* "" for NULL; binary text is the bytes, NUL-ended */
}

const char *wp_pq_col_text_or_null(const PGresult *r, int row, int col)
{
    return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

long long wp_pq_col_int(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col))
        return 0;
    const char *v = PQgetvalue(r, row, col);
    if (!PQfformat(r, col))
        return strtoll(v, NULL, 10);
    const char *b;
    switch (PQftype(r, col)) { /* two's complement, big-endian */
    case OID_BOOL: return (b = sized(r, row, col, 1)) ? (unsigned char)b[0] : 0;
    case OID_INT2: return (b = sized(r, row, col, 2)) ? (int16_t)be(b, 2) : 0;
    case OID_INT4: return (b = sized(r, row, col, 4)) ? (int32_t)be(b, 4) : 0;
    case OID_INT8: return (b = sized(r, row, col, 8)) ? (int64_t)be(b, 8) : 0;
    case OID_FLOAT4: case OID_FLOAT8: {
        double x = wp_pq_col_real(r, row, col);
        return fabs(x) < 9.2e18 ? (long long)x : 0; /* NaN and out of range: 0 */
    }
    default: return strtoll(v, NULL, 10); /* text: its bytes */
    }
}

void wp_pq_forget(struct wp_pq_cache *c)
{
    free(c->key);
    c->key = NULL;
    c->id = 0;
}

bool wp_pq_memo_get(const struct wp_pq_memo *m, const char *key, long long *id)
{
    for (int i = 0; i < WP_PQ_MEMO; i++) {
        if (m->e[i].key && strcmp(m->e[i].key, key) == 0) {
            *id = m->e[i].id;
            return true;
        }
    }
    return false;
}

void wp_pq_memo_put(struct wp_pq_memo *m, const char *key, long long id)
{
    char *k = strdup(key);
    if (!k)
        return; /* out of memory: simply not remembered */
    struct wp_pq_cache *c = &m->e[m->next++ % WP_PQ_MEMO];
    free(c->key);
    c->key = k;
    c->id = id;
}

void wp_pq_memo_forget(struct wp_pq_memo *m)
{
    for (int i = 0; i < WP_PQ_MEMO; i++)
        wp_pq_forget(&m->e[i]);
    m->next = 0;
}

/* libpq's or the server's message without its trailing newline, every credential of the
 * connection string masked out of it (libpq quotes a bad "port" or parameter value). */
static void message(const struct wp_pg *s, const char *m, char *out, size_t size)
{
    wp_store_mask_secrets(s->uri ? s->uri : "", m && *m ? m : "no message", out, size);
    size_t n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
}

enum wp_err wp_pq_fail(struct wp_pg *s, const PGresult *res, const char *what,
                       struct wp_diag *d)
{
    char m[200];
    s->err = WP_ERR_DB;
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
    if (state && strcmp(state, "23505") == 0 && constraint &&
        strcmp(constraint, "file_version_sha256_key") == 0)
        return s->err = wp_diag_set(d, WP_ERR_CONFLICT, NULL, 0, 0,
                           "database %s: this content was stored by another writer at the "
                           "same time: that copy is kept, this one is not", s->display);
    message(s, res ? PQresultErrorMessage(res) : PQerrorMessage(s->conn), m, sizeof m);
    if (PQstatus(s->conn) == CONNECTION_BAD)
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database %s: %s: connection lost: %s",
                           s->display, what, m);
    return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "database: %s: %s", what, m);
}

/* Prepares statement `which` on first use, under name (16 bytes); false with d filled. */
static bool prepare(struct wp_pg *s, enum wp_pq_stmt which, char *name, const char *what,
                    struct wp_diag *d)
{
    snprintf(name, 16, "wp%d", (int)which);
    if (s->prepared[which])
        return true;
    PGresult *p = PQprepare(s->conn, name, sql[which], 0, NULL);
    if (PQresultStatus(p) != PGRES_COMMAND_OK) {
        wp_pq_fail(s, p, what, d);
        PQclear(p);
        return false;
    }
    PQclear(p);
    s->prepared[which] = true;
    return true;
}

PGresult *wp_pq_run(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                    const char *what, struct wp_diag *d)
{
    if (!s->flushing && wp_pg_batch_pending(s) && wp_pg_batch_send(s, d))
        return NULL;
    char name[16];
    if (!prepare(s, which, name, what, d))
        return NULL;
    PGresult *r = PQexecPrepared(s->conn, name, a ? a->n : 0, a ? a->v : NULL, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        wp_pq_fail(s, r, what, d);
        PQclear(r);
        return NULL;
    }
    return r;
}

enum wp_err wp_pq_do(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                     const char *what, struct wp_diag *d)
{
    PGresult *r = wp_pq_run(s, which, a, what, d);
    if (!r)
        return s->err;
    PQclear(r);
    return WP_OK;
}

/* Rows per FETCH of a cursor: memory stays flat however many runs the server holds. */
#define FETCH_ROWS 10000

static enum wp_err exec(struct wp_pg *s, const char *text, const char *what, struct wp_diag *d);

enum wp_err wp_pq_each(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                       const char *what, int (*fn)(void *ctx, const PGresult *r, int row),
                       void *ctx, struct wp_diag *d)
{
    enum wp_err e;
    if ((e = wp_pg_batch_send(s, d)))
        return e;
    /* a cursor lives in a transaction: a read of its own outside one (one snapshot, as
     * the single query it replaces saw) */
    bool own = PQtransactionStatus(s->conn) == PQTRANS_IDLE;
    if (own && (e = exec(s, "BEGIN", "begin read", d)))
        return e;
    char name[32], fetch[64], close[48];
    snprintf(name, sizeof name, "wp_cursor%u", s->cursors++); /* a callback may read too */
    snprintf(fetch, sizeof fetch, "FETCH %d FROM %s", FETCH_ROWS, name);
    snprintf(close, sizeof close, "CLOSE %s", name);
    size_t len = strlen(sql[which]) + 64;
    char *text = malloc(len);
    if (!text) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    snprintf(text, len, "DECLARE %s NO SCROLL CURSOR FOR %s", name, sql[which]);
    PGresult *r = PQexecParams(s->conn, text, a ? a->n : 0, NULL, a ? a->v : NULL, NULL, NULL, 0);
    free(text);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        e = wp_pq_fail(s, r, what, d);
        PQclear(r);
        goto out;
    }
    PQclear(r);
    bool stop = false;
    while (!e && !stop) {
        if ((e = wp_pg_batch_send(s, d))) /* what a callback held back goes first */
            break;
        /* rows in binary: no number printed by the server and parsed here */
        r = PQexecParams(s->conn, fetch, 0, NULL, NULL, NULL, NULL, 1);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            e = wp_pq_fail(s, r, what, d);
            PQclear(r);
            break;
        }
        if ((e = binary_readable(r, what, d))) { /* a column no reader here decodes */
            PQclear(r);
            break;
        }
        int n = PQntuples(r);
        for (int i = 0; i < n && !stop; i++)
            stop = fn(ctx, r, i) != 0;
        PQclear(r);
        stop = stop || n < FETCH_ROWS;
    }
    if (!e)
        e = exec(s, close, what, d);
out:
    if (own)
        exec(s, e ? "ROLLBACK" : "COMMIT", "end read", e ? NULL : d);
    return e;
}

/* Ends a streamed query whose rows are no longer wanted, leaving the connection free: asks
 * the server to cancel it, unless inside the caller's transaction (a cancelled statement
 * would abort it), then reads what is still coming (the cancel's error among it). */
static void stream_drain(struct wp_pg *s, bool cancel)
{
    PGcancel *c = cancel ? PQgetCancel(s->conn) : NULL;
    char err[256];
    if (c) {
        PQcancel(c, err, sizeof err);
        PQfreeCancel(c);
    }
    PGresult *r;
    while ((r = PQgetResult(s->conn)))
        PQclear(r);
}

enum wp_err wp_pq_stream(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                         const char *what, int (*fn)(void *ctx, const PGresult *r, int row),
                         void *ctx, struct wp_diag *d)
{
    enum wp_err e;
    if ((e = wp_pg_batch_send(s, d)))
        return e;
    char name[16];
    if (!prepare(s, which, name, what, d))
        return s->err;
    bool own = PQtransactionStatus(s->conn) == PQTRANS_IDLE;
    /* binary rows, one result per row as the server sends them: this side decodes a row
     * while the server produces the next (a cursor's FETCH waits for each batch) */
    if (!PQsendQueryPrepared(s->conn, name, a ? a->n : 0, a ? a->v : NULL, NULL, NULL, 1))
        return wp_pq_fail(s, NULL, what, d);
    if (!PQsetSingleRowMode(s->conn)) {
        e = wp_pq_fail(s, NULL, what, d);
        stream_drain(s, own);
        return e;
    }
    bool checked = false, stop = false;
    PGresult *r;
    while (!e && !stop && (r = PQgetResult(s->conn))) {
        ExecStatusType st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            if (!checked) /* the columns are the same in every row: the first says */
                checked = !(e = binary_readable(r, what, d));
            if (!e)
                stop = fn(ctx, r, 0) != 0;
        } else if (st != PGRES_TUPLES_OK) {
            e = wp_pq_fail(s, r, what, d);
        }
        PQclear(r);
    }
    if (e || stop)
        stream_drain(s, own);
    return e;
}

/* Runs SQL text without parameters (migrations, transaction control). */
static enum wp_err exec(struct wp_pg *s, const char *text, const char *what, struct wp_diag *d)
{
    PGresult *r = PQexec(s->conn, text);
    ExecStatusType st = PQresultStatus(r);
    enum wp_err e = WP_OK;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
        e = wp_pq_fail(s, r, what, d);
    PQclear(r);
    return e;
}

/* ---- migrations ---------------------------------------------------------------------- */

/* The schema version, -1 on error; 0 when the database has no schema_migrations yet. */
static int read_version(struct wp_pg *s, struct wp_diag *d)
{
    PGresult *r = PQexec(s->conn,
                         "SELECT CASE WHEN to_regclass('schema_migrations') IS NULL THEN -1"
                         " ELSE 0 END");
    int v = -1;
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        wp_pq_fail(s, r, "read schema version", d);
        PQclear(r);
        return -1;
    }
    bool exists = strcmp(PQgetvalue(r, 0, 0), "0") == 0;
    PQclear(r);
    if (!exists)
        return 0;
    r = PQexec(s->conn, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (PQresultStatus(r) == PGRES_TUPLES_OK)
        v = atoi(PQgetvalue(r, 0, 0));
    else
        wp_pq_fail(s, r, "read schema version", d);
    PQclear(r);
    return v;
}

static enum wp_err record_migration(struct wp_pg *s, const struct wp_migration *m,
                                    struct wp_diag *d)
{
    char now[32], version[16];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(version, sizeof version, "%d", m->version);
    const char *v[] = {version, m->name, now};
    PGresult *r = PQexecParams(s->conn,
                               "INSERT INTO schema_migrations (version, name, applied_at)"
                               " VALUES ($1, $2, $3)",
                               3, NULL, v, NULL, NULL, 0);
    enum wp_err e = PQresultStatus(r) == PGRES_COMMAND_OK
                        ? WP_OK
                        : wp_pq_fail(s, r, "record migration", d);
    PQclear(r);
    return e;
}

/* Applies the pending migrations (each one's PostgreSQL text where schema/pg/ has one) in
 * one transaction under the writer lock, so that two hosts opening a new database at once
 * do not both migrate it.  A database that is up to date needs no privilege but SELECT on
 * schema_migrations: readers and ingesting roles open it too. */
static enum wp_err migrate(struct wp_pg *s, struct wp_diag *d)
{
    int v = read_version(s, d);
    if (v < 0)
        return WP_ERR_DB;
    s->base.version = s->base.version_at_open = v;
    if (v > wp_store_latest_version())
        return wp_diag_set(d, WP_ERR_DB, NULL, 0, 0,
                           "database schema version %d is newer than this wattprint "
                           "understands (%d): upgrade wattprint",
                           v, wp_store_latest_version());
    if (v == wp_store_latest_version())
        return WP_OK;
    enum wp_err e;
    if ((e = exec(s, "BEGIN", "begin migration", d)) ||
        (e = exec(s, sql[PQ_LOCK], "take the writer lock", d)) ||
        (e = exec(s,
                  "CREATE TABLE IF NOT EXISTS schema_migrations ("
                  " version BIGINT PRIMARY KEY, name TEXT COLLATE \"C\" NOT NULL,"
                  " applied_at TEXT COLLATE \"C\" NOT NULL)",
                  "create schema_migrations", d)))
        goto fail;
    if ((v = read_version(s, d)) < 0) { /* another host may have migrated meanwhile */
        e = WP_ERR_DB;
        goto fail;
    }
    for (size_t i = 0; i < wp_n_migrations; i++) {
        const struct wp_migration *m = &wp_migrations[i];
        if (m->version <= v)
            continue;
        char what[96];
        snprintf(what, sizeof what, "migration %03d_%s", m->version, m->name);
        if ((e = exec(s, m->pg_sql ? m->pg_sql : m->sql, what, d)) ||
            (e = record_migration(s, m, d)))
            goto fail;
        v = m->version;
    }
    if ((e = exec(s, "COMMIT", "commit migrations", d)))
        goto fail;
    s->base.version = v;
    return WP_OK;
fail:
    exec(s, "ROLLBACK", "roll back", NULL);
    return e;
}

/* ---- opening, transactions ------------------------------------------------------------ */

/* libpq prints notices (such as "relation already exists, skipping") on stderr by
 * default; library code does not print. */
static void no_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static const struct wp_store_ops pg_ops;

enum wp_err wp_pg_open(const char *uri, struct wp_store **out, struct wp_diag *d)
{
    *out = NULL;
    struct wp_pg *s = calloc(1, sizeof *s);
    if (!s)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    s->base.ops = &pg_ops;
    wp_store_display_name(uri, s->display, sizeof s->display);
    if (!(s->uri = strdup(uri))) {
        free(s);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    /* the URI as given: what it leaves out, libpq takes from PGHOST, PGUSER, PGPASSFILE,
     * service files... */
    s->conn = PQconnectdb(uri);
    enum wp_err e = WP_OK;
    if (!s->conn) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto fail;
    }
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char m[200];
        message(s, PQerrorMessage(s->conn), m, sizeof m);
        e = wp_diag_set(d, WP_ERR_DB, NULL, 0, 0, "cannot open database %s: %s", s->display,
                        m);
        goto fail;
    }
    PQsetNoticeProcessor(s->conn, no_notice, NULL);
    if (PQsetClientEncoding(s->conn, "UTF8") != 0) {
        e = wp_pq_fail(s, NULL, "set client encoding", d);
        goto fail;
    }
    /* doubles as text that reads back to the same bits; no locale in any output */
    if ((e = exec(s, "SET extra_float_digits = 3; SET client_min_messages = warning;"
                     " SET DateStyle = ISO",
                  "set session options", d)))
        goto fail;
    if ((e = migrate(s, d))) {
        if (d && !strstr(d->msg, s->display)) {
            char tmp[sizeof d->msg];
            snprintf(tmp, sizeof tmp, "%s", d->msg);
            wp_diag_set(d, e, NULL, 0, 0, "database %s: %s", s->display, tmp);
        }
        goto fail;
    }
    *out = &s->base;
    return WP_OK;
fail:
    wp_pg_close(&s->base);
    return e;
}

static void forget_all(struct wp_pg *s)
{
    wp_pq_forget(&s->tool);
    wp_pq_forget(&s->hw);
    wp_pq_forget(&s->loc);
    for (int i = 0; i < 4; i++)
        wp_pq_memo_forget(&s->names[i]);
    wp_pq_forget(&s->side);
}

void wp_pg_close(struct wp_store *b)
{
    struct wp_pg *s = wp_pg_of(b);
    forget_all(s);
    wp_pg_batch_free(s);
    PQfinish(s->conn);
    free(s->uri);
    free(s);
}

enum wp_err wp_pg_begin(struct wp_store *b, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    enum wp_err e = exec(s, "BEGIN", "begin transaction", d);
    if (e)
        return e;
    s->in_tx = true;
    if ((e = wp_pq_do(s, PQ_LOCK, NULL, "take the writer lock", d)))
        wp_pg_rollback(b);
    return e;
}

enum wp_err wp_pg_commit(struct wp_store *b, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    enum wp_err sent = wp_pg_batch_send(s, d);
    if (sent)
        return sent; /* the caller rolls back */
    PGresult *r = PQexec(s->conn, "COMMIT");
    enum wp_err e = WP_OK;
    /* a COMMIT of a failed transaction reports success but rolls back */
    if (PQresultStatus(r) != PGRES_COMMAND_OK || strcmp(PQcmdStatus(r), "COMMIT") != 0)
        e = wp_pq_fail(s, r, "commit", d);
    PQclear(r);
    s->in_tx = false;
    if (e)
        forget_all(s);
    return e;
}

void wp_pg_rollback(struct wp_store *b)
{
    struct wp_pg *s = wp_pg_of(b);
    if (s->in_tx || PQtransactionStatus(s->conn) != PQTRANS_IDLE)
        exec(s, "ROLLBACK", "roll back", NULL);
    s->in_tx = false;
    wp_pg_batch_drop(s);
    /* cached dimension ids may name rows that the rollback removed */
    forget_all(s);
}

static const struct wp_store_ops pg_ops = {
    .name = "postgresql",
    .close = wp_pg_close,
    .begin = wp_pg_begin,
    .commit = wp_pg_commit,
    .rollback = wp_pg_rollback,
    .find_prior = wp_pg_find_prior,
    .has_content = wp_pg_has_content,
    .source_drop = wp_pg_source_drop,
    .source_new = wp_pg_source_new,
    .source_finish = wp_pg_source_finish,
    .add_measurement = wp_pg_add_measurement,
    .queue_measurement = wp_pg_queue_measurement,
    .flush = wp_pg_flush,
    .add_rejected = wp_pg_add_rejected,
    .rules_put = wp_pg_rules_put,
    .rules_drop_source = wp_pg_rules_drop_source,
    .rules_each = wp_pg_rules_each,
    .run_keys_each = wp_pg_run_keys_each,
    .label_run = wp_pg_label_run,
    .tokens_put = wp_pg_tokens_put,
    .each_token_count = wp_pg_each_token_count,
    .each_run = wp_pg_each_run,
    .each_run_value = wp_pg_each_run_value,
    .each_experiment = wp_pg_each_experiment,
    .each_experiment_attr = wp_pg_each_experiment_attr,
    .each_text = wp_pg_each_text,
    .each_hardware = wp_pg_each_hardware,
    .each_rejected = wp_pg_each_rejected,
    .each_source = wp_pg_each_source,
    .each_model_source = wp_pg_each_model_source,
    .counts = wp_pg_counts,
    .import_source = wp_pg_import_source,
    .import_version = wp_pg_import_version,
};
