/* The SQL both backends run, written once (store_sql.c): standard SQL with ?N parameters.
 * The PostgreSQL backend rewrites three things when it prepares a statement (pg.c,
 * q_text): ?N -> $N, group_concat( -> string_agg(, and a comment "/" "*pg: X*" "/" -> X
 * (WP_SQL_PG: an ORDER BY that only PostgreSQL needs to hand rows over in the order SQLite's
 * plan gives them, or to sum a run's phases in SQLite's index order).  A parameter whose
 * type the server cannot infer is written CAST(?N AS TYPE).  Ids are
 * assigned as MAX(id) + 1 under the writer's lock (BEGIN IMMEDIATE on SQLite, an advisory
 * lock on PostgreSQL): gapless, the same on both.  Not for use outside src/store/. */
#ifndef WP_STORE_SQL_H
#define WP_STORE_SQL_H

#include <stdbool.h>

enum wp_q {
    Q_FIND_PRIOR, Q_HAS_CONTENT, Q_FIND_ROWS, Q_FILE_SEEN, Q_HEAD_SEEN, Q_GROWN_FROM, Q_DROP_RUN_IDS, Q_DROP_MEAS,
    Q_DROP_RUN, Q_DROP_SOURCE,
    Q_SOURCE_NEW, Q_SOURCE_FINISH, Q_VERSION_NEW,
    Q_TOOL_GET, Q_TOOL_NEW, Q_HW_GET, Q_HW_NEW, Q_LOC_GET, Q_LOC_NEW,
    Q_RUN_BY_UID, Q_RUN_NEW, Q_MEAS_NEW, Q_EXTRA_NEW, Q_REJECT_NEW,
    Q_RULES_DEL, Q_RULES_DEL_SOURCE, Q_RULE_NEW, Q_RULE_ATTR_NEW, Q_RULES_ALL,
    Q_RULES_OF, Q_RULE_RESTORE,
    Q_KEYS_ALL, Q_KEYS_SOURCE, Q_KEYS_RANGE,
    Q_MODEL_PUT, Q_MODEL_GET, Q_MODEL_PARAMS, Q_MODEL_TRAINING, Q_TASK_PUT, Q_TASK_GET,
    Q_DATASET_PUT, Q_DATASET_GET, Q_EXP_GET, Q_EXP_NEW, Q_EXP_ATTR_PUT, Q_RUN_LABEL,
    Q_MODEL_DROP_UNUSED, Q_TASK_DROP_UNUSED, Q_DATASET_DROP_UNUSED, Q_EXP_DROP_UNUSED,
    Q_RUN_ANY, Q_RUN_MAX, Q_LABELS_DROPPABLE, Q_VALUES_READABLE,
    Q_TOKENS_DEL, Q_TOKENS_OWNER, Q_TOKENS_NEW, Q_TOKENS_ALL,
    Q_IMPORT_SOURCE,
    Q_EACH_RUN, Q_EACH_RUN_BY_ID, Q_RUN_VALUES, Q_RUN_VALUES_PHASED, Q_RUN_ENERGY,
    Q_RUN_ENERGY_PHASED, Q_EXPERIMENTS, Q_EXPERIMENT_ATTR, Q_HARDWARE, Q_EACH_REJECTED,
    Q_EACH_SOURCE, Q_MODEL_SOURCES, Q_COUNTS,
    Q_LABELS_TASK, Q_LABELS_MODEL, Q_LABELS_DATASET, Q_LABELS_PHASE, Q_LABELS_ATTR_KEY,
    Q_BASIS, Q_RUN_EXTRA, Q_RUN_WINDOW, Q_COUNT_IDLE, Q_IDLE_EXPERIMENTS,
    Q_RUN_HAS_UID,
    Q__COUNT
};

struct wp_sql {
    const char *text; /* ?N parameters */
    const char *what; /* for messages: "database: WHAT: ..." */
    bool many;        /* rows may be millions: read a batch at a time where it matters */
    bool stream;      /* rows may be millions and their callback runs no statement */
};
extern const struct wp_sql wp_sql[Q__COUNT];

/* The next id of a table, assigned under the writer's lock.  The SQLite backend reads the
 * marked subquery as NULL: SQLite then assigns MAX(rowid) + 1 itself, without a subquery. */
#define WP_SQL_NEXT_ID_MARK "/*next id*/"
#define WP_SQL_NEXT_ID(t) WP_SQL_NEXT_ID_MARK "(SELECT COALESCE(MAX(id), 0) + 1 FROM " t ")"
/* Text that only the PostgreSQL backend runs (a comment to SQLite). */
#define WP_SQL_PG(x) " /*pg: " x "*/"

#endif
