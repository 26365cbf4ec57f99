/* The SQL both backends run, written once (store_sql.c): standard SQL with ?N parameters,
 * which the PostgreSQL backend rewrites to $N when it prepares a statement.  Ids are
 * assigned as MAX(id) + 1 under the writer's lock (BEGIN IMMEDIATE on SQLite, an advisory
 * lock on PostgreSQL): gapless, the same on both.  Not for use outside src/store/. */
#ifndef WP_STORE_SQL_H
#define WP_STORE_SQL_H

#include <stdbool.h>

enum wp_q {
    Q_FIND_PRIOR, Q_HAS_CONTENT, Q_DROP_RUN_IDS, Q_DROP_MEAS, Q_DROP_RUN, Q_DROP_SOURCE,
    Q_SOURCE_NEW, Q_SOURCE_FINISH, Q_VERSION_NEW,
    Q_TOOL_GET, Q_TOOL_NEW, Q_HW_GET, Q_HW_NEW, Q_LOC_GET, Q_LOC_NEW,
    Q_RUN_BY_UID, Q_RUN_NEW, Q_MEAS_NEW, Q_EXTRA_NEW, Q_REJECT_NEW,
    Q_RULES_DEL, Q_RULE_NEW, Q_RULE_ATTR_NEW, Q_RULES_ALL, Q_RULE_ATTRS,
    Q_KEYS_ALL, Q_KEYS_SOURCE,
    Q_MODEL_PUT, Q_MODEL_GET, Q_MODEL_PARAMS, Q_MODEL_TRAINING, Q_TASK_PUT, Q_TASK_GET,
    Q_DATASET_PUT, Q_DATASET_GET, Q_EXP_GET, Q_EXP_NEW, Q_EXP_ATTR_PUT, Q_RUN_LABEL,
    Q_TOKENS_DEL, Q_TOKENS_OWNER, Q_TOKENS_NEW, Q_TOKENS_ALL,
    Q_IMPORT_SOURCE,
    Q__COUNT
};

struct wp_sql {
    const char *text; /* ?N parameters */
    const char *what; /* for messages: "database: WHAT: ..." */
    bool many;        /* rows may be millions: read a batch at a time where it matters */
};
extern const struct wp_sql wp_sql[Q__COUNT];

/* The next id of a table, assigned under the writer's lock. */
#define WP_SQL_NEXT_ID(t) "(SELECT COALESCE(MAX(id), 0) + 1 FROM " t ")"

#endif
