/* The statements of the store's domain rules, once for both backends (store_sql.h), and
 * the parameter helpers of the narrow backend interface (backend.h). */
#include "store/store_sql.h"

#include <math.h>
#include <stddef.h>

#include "store/backend.h"

#define NEXT_ID WP_SQL_NEXT_ID
#define PG WP_SQL_PG

/* Per run: the whole-run measurement where there is one, else the sum of its phases (or,
 * with ?1, that phase only).  Energy sums are NULL when a part is unknown.  The first
 * branch is a plain scan: most runs have a whole-run row.  SQLite aggregates a run's phases
 * in the order of its (run_id, phase) index; PostgreSQL is told that order, so both join
 * the same text and sum the same floating-point values to the last bit. */
#define IN_PHASE_ORDER PG("ORDER BY phase")
#define PHASE_SUM(col) "CASE WHEN COUNT(" col ") = COUNT(*) THEN SUM(" col IN_PHASE_ORDER ") END"
#define AGG_SQL                                                                              \
    "WITH agg AS ("                                                                          \
    "  SELECT m.run_id, CASE WHEN m.phase = '' THEN 'run' ELSE m.phase END AS phases,"       \
    "   m.source_file_id, m.line, m.started_at, m.duration_s, m.energy_j,"                   \
    "   m.cpu_energy_j AS cpu_j, m.gpu_energy_j AS gpu_j, m.ram_energy_j AS ram_j,"          \
    "   m.emissions_g, m.pue, m.hardware_id, m.location_id, m.tool_id,"                      \
    "   m.cpu_basis, m.gpu_basis, m.ram_basis"                                               \
    "  FROM measurement m WHERE m.phase = COALESCE(CAST(?1 AS TEXT), '')"                    \
    "  UNION ALL"                                                                            \
    "  SELECT run_id, group_concat(phase, '+'" IN_PHASE_ORDER "), MIN(source_file_id),"     \
    "   MIN(line), MIN(started_at), SUM(duration_s" IN_PHASE_ORDER "),"                      \
    "   " PHASE_SUM("energy_j") ", " PHASE_SUM("cpu_energy_j") ","                           \
    "   " PHASE_SUM("gpu_energy_j") ", " PHASE_SUM("ram_energy_j") ","                       \
    "   " PHASE_SUM("emissions_g") ","                                                       \
    "   MAX(pue), MIN(hardware_id), MIN(location_id), MIN(tool_id),"                         \
    "   MAX(cpu_basis), MAX(gpu_basis), MAX(ram_basis)"                                      \
    "  FROM measurement m WHERE CAST(?1 AS TEXT) IS NULL AND m.phase <> ''"                  \
    "   AND NOT EXISTS (SELECT 1 FROM measurement w WHERE w.run_id = m.run_id"               \
    "                   AND w.phase = '')"                                                   \
    "  GROUP BY run_id)"
#define EACH_RUN_SQL(order)                                                                  \
    AGG_SQL                                                                                  \
    " SELECT r.id, COALESCE(r.experiment_id, 0), COALESCE(r.uid, ''),"                       \
    "  COALESCE(mo.name, ''), COALESCE(t.name, ''), COALESCE(d.name, ''),"                   \
    "  COALESCE(e.inferences, 0), COALESCE(e.batch_size, 0), COALESCE(mo.parameters, 0),"   \
    "  a.phases, sf.name, a.line, COALESCE(a.started_at, ''), a.duration_s, a.energy_j,"     \
    "  a.cpu_j, a.gpu_j, a.ram_j, a.emissions_g, a.pue,"                                     \
    "  COALESCE(hw.gpu_model, ''), COALESCE(hw.cpu_model, ''),"                              \
    "  COALESCE(loc.country_iso_code, ''), COALESCE(loc.region, ''),"                        \
    "  COALESCE(tl.name, ''), COALESCE(tl.version, ''), COALESCE(ea.value, ''),"             \
    "  mo.training_energy_j, COALESCE(tc.samples, 0), COALESCE(tc.input_tokens, 0),"         \
    "  COALESCE(tc.output_tokens, 0), hw.cpu_count, hw.gpu_count, hw.ram_total_bytes,"       \
    "  COALESCE(hw.os, ''), COALESCE(hw.python_version, ''),"                                \
    "  a.cpu_basis, a.gpu_basis, a.ram_basis"                                                \
    " FROM agg a JOIN run r ON r.id = a.run_id"                                              \
    " JOIN source_file sf ON sf.id = a.source_file_id"                                       \
    " LEFT JOIN experiment e ON e.id = r.experiment_id"                                      \
    " LEFT JOIN model mo ON mo.id = e.model_id"                                              \
    " LEFT JOIN task t ON t.id = e.task_id"                                                  \
    " LEFT JOIN dataset d ON d.id = e.dataset_id"                                            \
    " LEFT JOIN hardware hw ON hw.id = a.hardware_id"                                        \
    " LEFT JOIN location loc ON loc.id = a.location_id"                                      \
    " LEFT JOIN tool tl ON tl.id = a.tool_id"                                                \
    " LEFT JOIN experiment_attr ea ON ea.experiment_id = e.id AND ea.key = 'purpose'"        \
    " LEFT JOIN token_count tc ON tc.model = mo.name AND tc.dataset = d.name"                \
    " WHERE (CAST(?2 AS TEXT) IS NULL OR t.name = ?2)"                                       \
    "  AND (CAST(?3 AS TEXT) IS NULL OR mo.name = ?3)"                                       \
    "  AND (CAST(?4 AS TEXT) IS NULL OR d.name = ?4)"                                        \
    "  AND (CAST(?5 AS INTEGER) = 0 OR (e.model_id IS NOT NULL AND e.task_id IS NOT NULL"    \
    "                  AND e.dataset_id IS NOT NULL))"                                       \
    " ORDER BY " order

/* The lean reads of statistics: whole-run (or the chosen phase's) rows, then the sums of
 * runs that only have phases; all of them, or (ENERGY) the summary's four columns.  In
 * SQLite's scan order; the server is asked for run id order (over millions of runs it
 * merges the two tables' indexes, faster than hashing one of them). */
#define RUN_ROWS_SQL                                                                         \
    " FROM measurement m JOIN run r ON r.id = m.run_id"                                      \
    " WHERE m.phase = COALESCE(CAST(?1 AS TEXT), '')" PG("ORDER BY m.run_id")
#define PHASED_RUNS_SQL                                                                      \
    " FROM measurement m JOIN run r ON r.id = m.run_id WHERE m.phase <> ''"                  \
    " AND NOT EXISTS (SELECT 1 FROM measurement w WHERE w.run_id = m.run_id"                 \
    "                 AND w.phase = '')"                                                     \
    " GROUP BY r.id, r.experiment_id" PG("ORDER BY r.id")
#define IN_M_PHASE_ORDER PG("ORDER BY m.phase")
#define M_PHASE_SUM(col)                                                                     \
    "CASE WHEN COUNT(m." col ") = COUNT(*) THEN SUM(m." col IN_M_PHASE_ORDER ") END"

/* One source_file row: the columns wp_store_r's source_row reads. */
#define SOURCE_COLS(p)                                                                       \
    p "id, " p "path, " p "name, " p "format, " p "sha256, " p "ingested_at, "               \
    p "size_bytes, " p "rows_ingested, " p "rows_rejected"

/* One component's marks per run and phase: component|run|mark|count|lowest power|highest
 * power|most GPUs|phase (the phase last: it is free text). */
#define BASIS_SQL(comp, col)                                                                 \
    "SELECT '" comp "|' || CAST(m.run_id AS VARCHAR(24)) || '|' || m." col "_basis || '|' ||" \
    " CAST(COUNT(*) AS VARCHAR(24)) || '|' ||"                                                \
    " COALESCE(CAST(MIN(m." col "_power_w) AS VARCHAR(40)), '') || '|' ||"                    \
    " COALESCE(CAST(MAX(m." col "_power_w) AS VARCHAR(40)), '') || '|' ||"                    \
    " COALESCE(CAST(MAX(h.gpu_count) AS VARCHAR(24)), '') || '|' || m.phase"                  \
    " FROM measurement m LEFT JOIN hardware h ON h.id = m.hardware_id"                        \
    " WHERE m." col "_energy_j IS NOT NULL GROUP BY m.run_id, m.phase, m." col "_basis"

/* An experiment_attr value that marks idle windows: yes, true (any case) or 1, the rule of
 * ingest's wp_label_is_idle_value (label.h), here for every statement that reads it. */
#define IDLE_VALUE(v) "LOWER(" v ") IN ('yes', 'true', '1')"

/* A run's time window, one text column per measurement (store.c, run windows). */
#define WINDOW_NUM(x) "COALESCE(CAST(" x " AS TEXT), '-')"

/* Most entries give the text and what it does; their trailing flags (many, stream) are then
 * false.  clang's -Wextra warns on such entries (gcc does not), which -Werror makes an error
 * in `make CC=clang`: the warning is off for this table alone. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
const struct wp_sql wp_sql[Q__COUNT] = {
    [Q_FIND_PRIOR] = {"SELECT id, size_bytes, consumed_bytes, sha256, prefix_sha256"
                      " FROM source_file WHERE path = ?1 ORDER BY id DESC LIMIT 1",
                      "find source file"},
    [Q_HAS_CONTENT] = {"SELECT 1 FROM file_version WHERE sha256 = ?1", "find content"},
    [Q_FIND_ROWS] = {"SELECT f.path, v.ingested_at FROM file_version v JOIN source_file f"
                     " ON f.id = v.source_file_id WHERE v.rows_sha256 = ?1 ORDER BY v.id"
                     " LIMIT 1",
                     "find rows"},
    /* the checks of a file read to its end, in one statement: its content seen before
     * (0), a version with the same rows (1), with the same rows as hashed before schema 7
     * (2); a row for each that holds, the caller taking the lowest (an ORDER BY here made
     * SQLite sort the three, 9 % of the study's ingest); and apart, a version with the same
     * first two rows and another rows count (3), which Q_GROWN_FROM then names */
    [Q_FILE_SEEN] = {"SELECT * FROM (SELECT 0, NULL, NULL FROM file_version WHERE sha256 = ?1"
                     " LIMIT 1) AS c UNION ALL SELECT * FROM (SELECT 1, f.path, v.ingested_at"
                     " FROM file_version v JOIN source_file f ON f.id = v.source_file_id"
                     " WHERE v.rows_sha256 = ?2 ORDER BY v.id LIMIT 1) AS r UNION ALL"
                     " SELECT * FROM (SELECT 2, f.path, v.ingested_at FROM file_version v"
                     " JOIN source_file f ON f.id = v.source_file_id WHERE v.rows_sha256 = ?3"
                     " ORDER BY v.id LIMIT 1) AS l UNION ALL SELECT * FROM (SELECT 3, NULL,"
                     " NULL FROM file_version WHERE head_sum = ?4 AND rows_count <> ?5"
                     " LIMIT 1) AS g",
                     "find content or a copy"},
    /* whether a version has these first two rows (head_sum; schema 11): a file to look
     * at with Q_GROWN_FROM */
    [Q_HEAD_SEEN] = {"SELECT 1 FROM file_version WHERE head_sum = ?1 LIMIT 1",
                     "find a file's first rows"},
    /* the versions of other files with these first two rows, the longest first (the
     * newest first among as long): what a file may have grown from, or be an earlier copy
     * of */
    [Q_GROWN_FROM] = {"SELECT v.rows_count, v.complete_sha256, f.path, v.ingested_at"
                      " FROM file_version v JOIN source_file f ON f.id = v.source_file_id"
                      " WHERE v.head_sum = ?1 AND f.path <> ?2"
                      " ORDER BY v.rows_count DESC, v.id DESC LIMIT 256",
                      "find the files a file began as"},
    [Q_DROP_RUN_IDS] = {"SELECT DISTINCT m.run_id FROM measurement m JOIN source_file f"
                        " ON f.id = m.source_file_id WHERE f.path = ?1 ORDER BY m.run_id",
                        "find the runs of a file"},
    [Q_DROP_MEAS] = {"DELETE FROM measurement WHERE source_file_id IN"
                     " (SELECT id FROM source_file WHERE path = ?1)",
                     "remove measurements"},
    [Q_DROP_RUN] = {"DELETE FROM run WHERE id = ?1 AND NOT EXISTS"
                    " (SELECT 1 FROM measurement WHERE run_id = ?1)",
                    "remove a run"},
    /* versions, rejected lines and the file's label rules go with it (ON DELETE CASCADE) */
    [Q_DROP_SOURCE] = {"DELETE FROM source_file WHERE path = ?1", "remove a source file"},
    [Q_SOURCE_NEW] = {"INSERT INTO source_file (id, path, name, format, sha256, size_bytes,"
                      " consumed_bytes, prefix_sha256, ingested_at) VALUES ("
                      NEXT_ID("source_file") ", ?1, ?2, ?3, '', 0, 0, '', ?4) RETURNING id",
                      "add source file"},
    [Q_SOURCE_FINISH] = {"UPDATE source_file SET sha256 = ?2, size_bytes = ?3,"
                         " consumed_bytes = ?4, prefix_sha256 = ?5,"
                         " rows_ingested = rows_ingested + ?6,"
                         " rows_rejected = rows_rejected + ?7 WHERE id = ?1",
                         "update source file"},
    [Q_VERSION_NEW] = {"INSERT INTO file_version (id, source_file_id, sha256, size_bytes,"
                       " rows_added, ingested_at, rows_sha256, rows_count, head_sum,"
                       " complete_sha256) VALUES (" NEXT_ID("file_version")
                       ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                       "add file version"},
    [Q_TOOL_GET] = {"SELECT id FROM tool WHERE name = ?1 AND version = ?2",
                    "look up dimension row"},
    [Q_TOOL_NEW] = {"INSERT INTO tool (id, name, version) VALUES (" NEXT_ID("tool")
                    ", ?1, ?2) RETURNING id",
                    "add dimension row"},
    [Q_HW_GET] = {"SELECT id FROM hardware WHERE cpu_model = ?1"
                  " AND cpu_count IS NOT DISTINCT FROM CAST(?2 AS BIGINT) AND gpu_model = ?3"
                  " AND gpu_count IS NOT DISTINCT FROM CAST(?4 AS BIGINT)"
                  " AND ram_total_bytes IS NOT DISTINCT FROM CAST(?5 AS DOUBLE PRECISION)"
                  " AND os = ?6 AND python_version = ?7",
                  "look up dimension row"},
    [Q_HW_NEW] = {"INSERT INTO hardware (id, cpu_model, cpu_count, gpu_model, gpu_count,"
                  " ram_total_bytes, os, python_version) VALUES (" NEXT_ID("hardware")
                  ", ?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                  "add dimension row"},
    [Q_LOC_GET] = {"SELECT id FROM location WHERE country_name = ?1 AND country_iso_code = ?2"
                   " AND region = ?3 AND cloud_provider = ?4 AND cloud_region = ?5"
                   " AND on_cloud = ?6",
                   "look up dimension row"},
    [Q_LOC_NEW] = {"INSERT INTO location (id, country_name, country_iso_code, region,"
                   " cloud_provider, cloud_region, on_cloud) VALUES (" NEXT_ID("location")
                   ", ?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
                   "add dimension row"},
    [Q_RUN_BY_UID] = {"SELECT r.id, m.id, m.energy_j, m.duration_s, m.started_at,"
                      " m.emissions_g, sf.name, m.line FROM run r"
                      " LEFT JOIN measurement m ON m.run_id = r.id AND m.phase = ?2"
                      " LEFT JOIN source_file sf ON sf.id = m.source_file_id"
                      " WHERE r.uid = ?1 ORDER BY r.id",
                      "find run"},
    /* whether any run has the key: most keys of an ingest are new, and this probe of the
     * uid index costs a fraction of Q_RUN_BY_UID's joins (issue 30) */
    [Q_RUN_HAS_UID] = {"SELECT id FROM run WHERE uid = ?1 LIMIT 1", "find run"},
    [Q_RUN_NEW] = {"INSERT INTO run (id, uid, experiment_id) VALUES (" NEXT_ID("run")
                   ", ?1, ?2) RETURNING id",
                   "add run"},
    [Q_MEAS_NEW] = {"INSERT INTO measurement (id, run_id, phase, source_file_id, line,"
                    " run_label, project_name, experiment_label, started_at, duration_s,"
                    " energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j, emissions_g,"
                    " emissions_rate_g_per_s, cpu_power_w, gpu_power_w, ram_power_w,"
                    " carbon_intensity_g_per_kwh, pue, water_l, tracking_mode, longitude,"
                    " latitude, tool_id, hardware_id, location_id, cpu_basis, gpu_basis,"
                    " ram_basis) VALUES (" NEXT_ID("measurement") ", ?1, ?2, ?3, ?4, ?5,"
                    " ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,"
                    " ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30) RETURNING id",
                    "add measurement"},
    [Q_EXTRA_NEW] = {"INSERT INTO measurement_extra (measurement_id, key, value)"
                     " VALUES (?1, ?2, ?3) ON CONFLICT (measurement_id, key) DO NOTHING",
                     "add extra column"},
    [Q_REJECT_NEW] = {"INSERT INTO rejected_line (id, source_file_id, line, col, reason, text)"
                      " VALUES (" NEXT_ID("rejected_line") ", ?1, ?2, ?3, ?4, ?5)",
                      "add rejected line"},
    [Q_RULES_DEL] = {"DELETE FROM label_rule WHERE manifest = ?1", "replace manifest rules"},
    /* the labels the command line gave one file (relabelling on re-ingest replaces them) */
    [Q_RULES_DEL_SOURCE] = {"DELETE FROM label_rule WHERE manifest IS NULL"
                            " AND origin = 'command line'"
                            " AND match_source_id = CAST(?1 AS BIGINT)"
                            " AND match_experiment IS NULL",
                            "replace the command line's labels"},
    [Q_RULE_NEW] = {"INSERT INTO label_rule (id, origin, manifest, match_project,"
                    " match_experiment, match_run, match_file, match_source_id, model, task,"
                    " dataset, inferences, batch_size, parameters, training_energy_j)"
                    " VALUES (" NEXT_ID("label_rule") ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
                    " ?10, ?11, ?12, ?13, ?14) RETURNING id",
                    "add label rule"},
    [Q_RULE_ATTR_NEW] = {"INSERT INTO label_rule_attr (rule_id, key, value) VALUES (?1, ?2, ?3)"
                         " ON CONFLICT (rule_id, key) DO UPDATE SET value = excluded.value",
                         "add label rule attribute"},
/* The rules with their attributes, a row per attribute (key and value NULL for a rule
 * without any): one statement, where a statement per rule for its attributes cost a round
 * trip per rule on the server (105,268 of them over the study's files into a server that
 * held another manifest's rules, pg_stat_statements). */
#define RULE_COLS                                                                            \
    "SELECT r.id, r.origin, r.match_project, r.match_experiment, r.match_run, r.match_file,"  \
    " r.match_source_id, r.model, r.task, r.dataset, r.inferences, r.batch_size,"           \
    " r.parameters, r.training_energy_j, r.manifest, a.key, a.value FROM label_rule r"      \
    " LEFT JOIN label_rule_attr a ON a.rule_id = r.id"
    /* all but those of manifest ?1 (as stored; NULL: none left out) */
    [Q_RULES_ALL] = {RULE_COLS " WHERE CAST(?1 AS TEXT) IS NULL OR r.manifest IS NULL"
                     " OR r.manifest <> ?1 ORDER BY r.id, a.key",
                     "read label rules"},
    /* one manifest's rules as they are stored, to put back (Q_RULE_RESTORE) */
    [Q_RULES_OF] = {RULE_COLS " WHERE r.manifest = ?1 ORDER BY r.id, a.key", "read label rules"},
    /* a rule put back under its id (?15) where that is free, else the next */
    [Q_RULE_RESTORE] = {"INSERT INTO label_rule (id, origin, manifest, match_project,"
                        " match_experiment, match_run, match_file, match_source_id, model,"
                        " task, dataset, inferences, batch_size, parameters,"
                        " training_energy_j) VALUES (CASE WHEN EXISTS (SELECT 1 FROM"
                        " label_rule WHERE id = CAST(?15 AS BIGINT)) THEN (SELECT"
                        " COALESCE(MAX(id), 0) + 1 FROM label_rule) ELSE CAST(?15 AS BIGINT)"
                        " END, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
                        " RETURNING id",
                        "put back label rule"},
#define KEYS_SQL(where)                                                                      \
    "SELECT m.run_id, m.project_name, m.experiment_label, m.run_label, sf.name,"             \
    " m.source_file_id, r.experiment_id FROM measurement m"                                  \
    " JOIN source_file sf ON sf.id = m.source_file_id JOIN run r ON r.id = m.run_id"         \
    where " ORDER BY m.run_id, m.id"
    [Q_KEYS_ALL] = {KEYS_SQL(""), "read run keys", true},
    [Q_KEYS_SOURCE] = {KEYS_SQL(" WHERE m.run_id IN (SELECT run_id FROM measurement"
                                " WHERE source_file_id = ?1)"),
                       "read run keys", true},
    /* the runs of an id range: found by the run's primary key, their measurements by
     * (run_id, phase)'s index */
    [Q_KEYS_RANGE] = {"SELECT m.run_id, m.project_name, m.experiment_label, m.run_label,"
                      " sf.name, m.source_file_id, r.experiment_id FROM run r"
                      " JOIN measurement m ON m.run_id = r.id"
                      " JOIN source_file sf ON sf.id = m.source_file_id"
                      " WHERE r.id BETWEEN CAST(?1 AS BIGINT) AND CAST(?2 AS BIGINT)"
                      " ORDER BY m.run_id, m.id",
                      "read run keys", true},
    /* a name's id: WHERE true lets SQLite read ON CONFLICT after INSERT ... SELECT */
#define NAME_PUT(t)                                                                          \
    {"INSERT INTO " t " (id, name) SELECT COALESCE(MAX(id), 0) + 1, ?1 FROM " t              \
     " WHERE true ON CONFLICT (name) DO NOTHING", "add name"}
#define NAME_GET(t) {"SELECT id FROM " t " WHERE name = ?1", "find name"}
    [Q_MODEL_PUT] = NAME_PUT("model"),
    [Q_MODEL_GET] = NAME_GET("model"),
    [Q_MODEL_PARAMS] = {"UPDATE model SET parameters = ?2 WHERE id = ?1",
                        "set model parameters"},
    [Q_MODEL_TRAINING] = {"UPDATE model SET training_energy_j = ?2 WHERE id = ?1",
                          "set model training energy"},
    [Q_TASK_PUT] = NAME_PUT("task"),
    [Q_TASK_GET] = NAME_GET("task"),
    [Q_DATASET_PUT] = NAME_PUT("dataset"),
    [Q_DATASET_GET] = NAME_GET("dataset"),
    [Q_EXP_GET] = {"SELECT id FROM experiment"
                   " WHERE model_id IS NOT DISTINCT FROM CAST(?1 AS BIGINT)"
                   " AND task_id IS NOT DISTINCT FROM CAST(?2 AS BIGINT)"
                   " AND dataset_id IS NOT DISTINCT FROM CAST(?3 AS BIGINT)"
                   " AND inferences IS NOT DISTINCT FROM CAST(?4 AS BIGINT)"
                   " AND batch_size IS NOT DISTINCT FROM CAST(?5 AS BIGINT) ORDER BY id LIMIT 1",
                   "find experiment"},
    [Q_EXP_NEW] = {"INSERT INTO experiment (id, model_id, task_id, dataset_id, inferences,"
                   " batch_size) VALUES (" NEXT_ID("experiment") ", ?1, ?2, ?3, ?4, ?5)"
                   " RETURNING id",
                   "add experiment"},
    [Q_EXP_ATTR_PUT] = {"INSERT INTO experiment_attr (experiment_id, key, value)"
                        " VALUES (?1, ?2, ?3) ON CONFLICT (experiment_id, key)"
                        " DO UPDATE SET value = excluded.value",
                        "set experiment attribute"},
    [Q_RUN_LABEL] = {"UPDATE run SET experiment_id = ?2 WHERE id = ?1", "label run"},
    /* a name or experiment added for labels that were then taken back, if nothing names it */
#define DROP_UNUSED(t, col)                                                                  \
    {"DELETE FROM " t " WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM experiment"            \
     " WHERE " col " = ?1)", "remove unused label"}
    [Q_RUN_ANY] = {"SELECT 1 FROM run LIMIT 1", "look for runs"},
    [Q_RUN_MAX] = {"SELECT COALESCE(MAX(id), 0) FROM run", "find the last run"},
    /* a row when names and experiments may be removed: on the server, a role may lack the
     * right (schema/pg/roles.sql) */
    [Q_LABELS_DROPPABLE] = {"SELECT 1" PG("WHERE has_table_privilege('model', 'DELETE')"
                                          " AND has_table_privilege('task', 'DELETE')"
                                          " AND has_table_privilege('dataset', 'DELETE')"
                                          " AND has_table_privilege('experiment', 'DELETE')"),
                            "check the right to remove labels"},
    /* a row when every measured value may be read (the ingest role reads only the columns
     * an ingest compares) */
    [Q_VALUES_READABLE] = {"SELECT 1" PG("WHERE has_table_privilege('measurement', 'SELECT')"
                                         " AND has_table_privilege('measurement_extra',"
                                         " 'SELECT')"),
                           "check the right to read measured values"},
    [Q_MODEL_DROP_UNUSED] = DROP_UNUSED("model", "model_id"),
    [Q_TASK_DROP_UNUSED] = DROP_UNUSED("task", "task_id"),
    [Q_DATASET_DROP_UNUSED] = DROP_UNUSED("dataset", "dataset_id"),
    [Q_EXP_DROP_UNUSED] = {"DELETE FROM experiment WHERE id = ?1"
                           " AND NOT EXISTS (SELECT 1 FROM run WHERE experiment_id = ?1)"
                           " AND NOT EXISTS (SELECT 1 FROM experiment_attr"
                           " WHERE experiment_id = ?1)",
                           "remove unused label"},
    /* token counts: one file's rows replaced at a time; a (model, dataset) belongs to one
     * file, so two files cannot silently add up or overwrite each other */
    [Q_TOKENS_DEL] = {"DELETE FROM token_count WHERE source_path = ?1",
                      "replace token counts"},
    [Q_TOKENS_OWNER] = {"SELECT source_path, logged_model, logged_dataset FROM token_count"
                        " WHERE model = ?1 AND dataset = ?2",
                        "read token counts"},
    [Q_TOKENS_NEW] = {"INSERT INTO token_count (model, dataset, samples, input_tokens,"
                      " output_tokens, logged_model, logged_dataset, source_path,"
                      " source_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                      "store token counts"},
    [Q_TOKENS_ALL] = {"SELECT tc.model, tc.dataset, tc.samples, tc.input_tokens,"
                      " tc.output_tokens, tc.logged_model, tc.logged_dataset, tc.source_path,"
                      " tc.source_sha256, CASE WHEN EXISTS (SELECT 1 FROM experiment e"
                      " JOIN model mo ON mo.id = e.model_id JOIN dataset d"
                      " ON d.id = e.dataset_id WHERE mo.name = tc.model"
                      " AND d.name = tc.dataset) THEN 1 ELSE 0 END"
                      " FROM token_count tc"
                      " ORDER BY tc.model COLLATE \"C\", tc.dataset COLLATE \"C\"",
                      "read token counts"},
    [Q_IMPORT_SOURCE] = {"INSERT INTO source_file (id, path, name, format, sha256,"
                         " size_bytes, consumed_bytes, prefix_sha256, rows_ingested,"
                         " rows_rejected, ingested_at) VALUES (" NEXT_ID("source_file")
                         ", ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id",
                         "add source file"},
    [Q_EACH_RUN] = {EACH_RUN_SQL("COALESCE(t.name, '') COLLATE \"C\","
                                 " COALESCE(mo.name, '') COLLATE \"C\","
                                 " COALESCE(d.name, '') COLLATE \"C\", r.id"),
                    "read runs", true},
    [Q_EACH_RUN_BY_ID] = {EACH_RUN_SQL("r.id"), "read runs", true},
    [Q_RUN_VALUES] = {"SELECT r.id, COALESCE(r.experiment_id, 0), COALESCE(m.hardware_id, 0),"
                      " m.energy_j, m.cpu_energy_j, m.gpu_energy_j, m.ram_energy_j,"
                      " m.emissions_g, COALESCE(m.started_at, ''), " WP_SQL_MODELLED_MASK ","
                      " m.pue" RUN_ROWS_SQL,
                      "read run values", false, true},
    [Q_RUN_VALUES_PHASED] = {"SELECT r.id, COALESCE(r.experiment_id, 0),"
                             " COALESCE(MIN(m.hardware_id), 0), " M_PHASE_SUM("energy_j") ","
                             " " M_PHASE_SUM("cpu_energy_j") ", " M_PHASE_SUM("gpu_energy_j") ","
                             " " M_PHASE_SUM("ram_energy_j") ", " M_PHASE_SUM("emissions_g") ","
                             " COALESCE(MIN(m.started_at), ''), " WP_SQL_MODELLED_MASK_AGG
                             ", MAX(m.pue)" PHASED_RUNS_SQL,
                             "read run values", false, true},
    [Q_RUN_ENERGY] = {"SELECT m.run_id, COALESCE(r.experiment_id, 0), m.energy_j,"
                      " m.emissions_g" RUN_ROWS_SQL,
                      "read run values", false, true},
    [Q_RUN_ENERGY_PHASED] = {"SELECT r.id, COALESCE(r.experiment_id, 0), "
                             M_PHASE_SUM("energy_j") ", " M_PHASE_SUM("emissions_g")
                             PHASED_RUNS_SQL,
                             "read run values", false, true},
    [Q_EXPERIMENTS] = {"SELECT e.id, COALESCE(mo.name, ''), COALESCE(t.name, ''),"
                       " COALESCE(d.name, ''), COALESCE(ea.value, ''),"
                       " COALESCE(e.inferences, 0), COALESCE(e.batch_size, 0),"
                       " COALESCE(mo.parameters, 0), mo.training_energy_j,"
                       " COALESCE(tc.samples, 0), COALESCE(tc.input_tokens, 0),"
                       " COALESCE(tc.output_tokens, 0)"
                       " FROM experiment e LEFT JOIN model mo ON mo.id = e.model_id"
                       " LEFT JOIN task t ON t.id = e.task_id"
                       " LEFT JOIN dataset d ON d.id = e.dataset_id"
                       " LEFT JOIN experiment_attr ea ON ea.experiment_id = e.id"
                       " AND ea.key = 'purpose'"
                       " LEFT JOIN token_count tc ON tc.model = mo.name AND tc.dataset = d.name"
                       " ORDER BY e.id",
                       "read experiments"},
    [Q_EXPERIMENT_ATTR] = {"SELECT experiment_id, value FROM experiment_attr WHERE key = ?1"
                           " ORDER BY experiment_id",
                           "read experiment attributes"},
    [Q_HARDWARE] = {"SELECT id, gpu_model, cpu_model FROM hardware ORDER BY id",
                    "read hardware"},
    [Q_EACH_REJECTED] = {"SELECT sf.path, rl.line, COALESCE(rl.col, 0), rl.reason, rl.text"
                         " FROM rejected_line rl JOIN source_file sf"
                         " ON sf.id = rl.source_file_id"
                         " ORDER BY rl.source_file_id, rl.line, rl.id",
                         "read rejected"},
    [Q_EACH_SOURCE] = {"SELECT " SOURCE_COLS("") " FROM source_file"
                       " ORDER BY path COLLATE \"C\", id",
                       "read sources"},
    /* The files each model's figures came from: the measurements statistics read (the
     * chosen phase, else the whole-run row, else the phases of a run without one).
     * Byte order: the server's columns are COLLATE "C" (DISTINCT allows no other ORDER BY) */
    [Q_MODEL_SOURCES] = {"SELECT DISTINCT mo.name, " SOURCE_COLS("sf.")
                         " FROM experiment e JOIN model mo ON mo.id = e.model_id"
                         " JOIN task t ON t.id = e.task_id JOIN dataset d ON d.id = e.dataset_id"
                         " JOIN run r ON r.experiment_id = e.id"
                         " JOIN measurement m ON m.run_id = r.id"
                         " JOIN source_file sf ON sf.id = m.source_file_id"
                         " WHERE (CAST(?2 AS TEXT) IS NULL OR t.name = ?2)"
                         "  AND (CAST(?3 AS TEXT) IS NULL OR mo.name = ?3)"
                         "  AND (CAST(?4 AS TEXT) IS NULL OR d.name = ?4)"
                         "  AND ((CAST(?1 AS TEXT) IS NOT NULL AND m.phase = ?1)"
                         "   OR (CAST(?1 AS TEXT) IS NULL AND (m.phase = ''"
                         "    OR NOT EXISTS (SELECT 1 FROM measurement w"
                         "                   WHERE w.run_id = m.run_id AND w.phase = ''))))"
                         "  AND (CAST(?5 AS TEXT) IS NULL OR EXISTS (SELECT 1"
                         "       FROM experiment_attr ea WHERE ea.experiment_id = e.id"
                         "       AND ea.key = ?5 AND ea.value = CAST(?6 AS TEXT)))"
                         " ORDER BY mo.name, sf.path, sf.id",
                         "read the sources of models"},
    [Q_COUNTS] = {"SELECT (SELECT COUNT(*) FROM source_file), (SELECT COUNT(*) FROM run),"
                  " (SELECT COUNT(*) FROM measurement),"
                  " (SELECT COUNT(*) FROM run r LEFT JOIN experiment e"
                  "   ON e.id = r.experiment_id"
                  "   WHERE e.model_id IS NULL OR e.task_id IS NULL OR e.dataset_id IS NULL),"
                  " (SELECT COUNT(*) FROM rejected_line)",
                  "count"},
    [Q_LABELS_TASK] = {"SELECT DISTINCT t.name FROM experiment e JOIN task t"
                       " ON t.id = e.task_id ORDER BY t.name",
                       "read labels"},
    [Q_LABELS_MODEL] = {"SELECT DISTINCT m.name FROM experiment e JOIN model m"
                        " ON m.id = e.model_id ORDER BY m.name",
                        "read labels"},
    [Q_LABELS_DATASET] = {"SELECT DISTINCT d.name FROM experiment e JOIN dataset d"
                          " ON d.id = e.dataset_id ORDER BY d.name",
                          "read labels"},
    [Q_LABELS_PHASE] = {"SELECT DISTINCT phase FROM measurement WHERE phase <> ''"
                        " ORDER BY phase",
                        "read labels"},
    [Q_LABELS_ATTR_KEY] = {"SELECT DISTINCT key FROM experiment_attr ORDER BY key",
                           "read labels"},
    [Q_BASIS] = {BASIS_SQL("0", "cpu") " UNION ALL " BASIS_SQL("1", "gpu") " UNION ALL "
                 BASIS_SQL("2", "ram") " ORDER BY 1",
                 "read measured and modelled components"},
    /* One text column per row: "RUN PHASELEN KEYLEN PHASEKEYVALUE", lengths in characters
     * (LENGTH counts characters in both databases), so no separator can clash with what a
     * log wrote.  The GPU count comes from the hardware row as key "gpu_count". */
    [Q_RUN_EXTRA] = {"SELECT CAST(run_id AS TEXT) || ' ' || CAST(LENGTH(phase) AS TEXT) || ' ' ||"
                     " CAST(LENGTH(key) AS TEXT) || ' ' || phase || key || value FROM ("
                     "SELECT m.run_id AS run_id, m.phase AS phase, x.key AS key,"
                     " x.value AS value"
                     " FROM measurement m JOIN measurement_extra x ON x.measurement_id = m.id"
                     " UNION ALL "
                     "SELECT m.run_id, m.phase, 'gpu_count', CAST(h.gpu_count AS TEXT) "
                     "FROM measurement m JOIN hardware h ON h.id = m.hardware_id "
                     "WHERE h.gpu_count IS NOT NULL) AS t ORDER BY run_id, phase, key",
                     "read the runs' extra columns"},
    [Q_RUN_WINDOW] = {"SELECT CAST(m.run_id AS TEXT) || ' ' ||"
                      " CAST(COALESCE(m.hardware_id, 0) AS TEXT) || ' ' "
                      "|| CASE WHEN EXISTS (SELECT 1 FROM experiment_attr a WHERE a.experiment_id = "
                      "r.experiment_id AND a.key = 'idle' AND " IDLE_VALUE("a.value") ") "
                      "THEN '1' ELSE '0' END || ' ' || " WINDOW_NUM("m.duration_s") " || ' ' || "
                      WINDOW_NUM("m.energy_j") " || ' ' || " WINDOW_NUM("m.cpu_energy_j") " || ' ' || "
                      WINDOW_NUM("m.gpu_energy_j") " || ' ' || " WINDOW_NUM("m.ram_energy_j")
                      " || ' ' || CAST(LENGTH(m.phase) AS TEXT) || ' ' || m.phase"
                      " || COALESCE(m.started_at, '') "
                      "FROM measurement m JOIN run r ON r.id = m.run_id ORDER BY m.run_id, m.phase",
                      "read the runs' time windows"},
    [Q_COUNT_IDLE] = {"SELECT CAST(COUNT(*) AS TEXT) FROM experiment_attr "
                      "WHERE key = 'idle' AND " IDLE_VALUE("value"),
                      "count the idle windows"},
    [Q_IDLE_EXPERIMENTS] = {"SELECT CAST(experiment_id AS TEXT) FROM experiment_attr "
                            "WHERE key = 'idle' AND " IDLE_VALUE("value")
                            " ORDER BY experiment_id",
                            "read the idle windows' experiments"},
};
#pragma GCC diagnostic pop

static struct wp_val *next(struct wp_args *a)
{
    /* more than WP_MAX_ARGS is a programming error: the last one is overwritten */
    struct wp_val *v = &a->v[a->n < WP_MAX_ARGS ? a->n++ : WP_MAX_ARGS - 1];
    v->kind = WP_V_NULL;
    return v;
}

void wp_arg_text(struct wp_args *a, const char *v)
{
    struct wp_val *x = next(a);
    if (v) {
        x->kind = WP_V_TEXT;
        x->s = v;
    }
}

void wp_arg_text_or_null(struct wp_args *a, const char *v)
{
    wp_arg_text(a, v && *v ? v : NULL);
}

void wp_arg_real(struct wp_args *a, double v)
{
    struct wp_val *x = next(a);
    if (!isnan(v)) {
        x->kind = WP_V_REAL;
        x->r = v;
    }
}

void wp_arg_int(struct wp_args *a, long long v)
{
    struct wp_val *x = next(a);
    x->kind = WP_V_INT;
    x->i = v;
}

void wp_arg_int_or_null(struct wp_args *a, long long v)
{
    if (v)
        wp_arg_int(a, v);
    else
        next(a);
}

void wp_arg_count(struct wp_args *a, double v)
{
    if (isnan(v))
        next(a);
    else
        wp_arg_int(a, llround(v));
}
