/* Internals shared by the SQLite backend's files: the store struct, its cache of prepared
 * statements and small binding helpers.  Not for use outside src/store/. */
#ifndef WP_STORE_SQLITE_INT_H
#define WP_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/backend.h"

/* Every statement the backend uses, prepared on first use and reused. */
enum wp_stmt {
    ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
    ST_FIND_PRIOR, ST_HAS_CONTENT, ST_DROP_RUN_IDS, ST_DROP_MEAS, ST_DROP_RUN, ST_DROP_SOURCE, ST_SOURCE_NEW, ST_SOURCE_FINISH, ST_VERSION_NEW,
    ST_TOOL_GET, ST_TOOL_NEW, ST_HW_GET, ST_HW_NEW, ST_LOC_GET, ST_LOC_NEW,
    ST_RUN_BY_UID, ST_RUN_NEW, ST_MEAS_NEW, ST_EXTRA_NEW, ST_REJECT_NEW,
    ST_RULES_DEL, ST_RULE_NEW, ST_RULE_ATTR_NEW, ST_RULES_ALL, ST_RULE_ATTRS,
    ST_RULES_DEL_SOURCE,
    ST_KEYS_ALL, ST_KEYS_SOURCE,
    ST_MODEL_PUT, ST_MODEL_GET, ST_MODEL_PARAMS, ST_MODEL_TRAINING, ST_TASK_PUT, ST_TASK_GET,
    ST_DATASET_PUT, ST_DATASET_GET, ST_EXP_GET, ST_EXP_NEW, ST_EXP_ATTR_PUT, ST_RUN_LABEL,
    ST_EACH_RUN, ST_EACH_RUN_BY_ID, ST_RUN_VALUES, ST_RUN_VALUES_PHASED, ST_EXPERIMENTS, ST_EXPERIMENT_ATTR, ST_HARDWARE, ST_EACH_REJECTED, ST_EACH_SOURCE, ST_COUNTS,
    ST_MODEL_SOURCES, ST_TOKENS_DEL, ST_TOKENS_OWNER, ST_TOKENS_NEW, ST_TOKENS_ALL,
    ST_X_SOURCES, ST_X_VERSIONS, ST_X_MEAS, ST_X_EXTRAS, ST_X_REJECTED, ST_X_LABELS,
    ST_X_EXP_ATTRS, ST_X_RULES,
    ST__COUNT
};

/* Last dimension row seen, so that a file whose rows share hardware or location costs
 * one lookup, not one per row. */
struct dim_cache {
    long long id;
    char *key; /* the dimension's columns joined with '\x1f'; NULL when empty */
};

struct wp_sq {
    struct wp_store base; /* first: see store/backend.h */
    sqlite3 *db;
    int version;
    sqlite3_stmt *stmt[ST__COUNT];
    struct dim_cache tool, hw, loc;
    /* last model, task, dataset name and experiment key resolved by wp_store_label_run,
     * and the last side effects it wrote (model figures, experiment attributes) */
    struct dim_cache names[5];
    struct wp_sq_ckpt *ckpt; /* the checkpoint thread (sqlite_ckpt.c), NULL until needed */
    bool ckpt_failed;        /* it could not start: the writer checkpoints itself */
    int ckpt_next;           /* WAL pages at which the next checkpoint is asked for */
};

/* Checkpoints (sqlite_ckpt.c): init takes over from SQLite's autocheckpoint on s->db;
 * stop ends the thread, if one started, and closes its connection. */
struct wp_sq_ckpt;
void wp_sq_ckpt_init(struct wp_sq *s);
void wp_sq_ckpt_stop(struct wp_sq *s);

/* Returns the prepared statement `which`, reset and with cleared bindings; NULL and a
 * diagnostic on failure. */
sqlite3_stmt *wp_sq_stmt(struct wp_sq *s, enum wp_stmt which, struct wp_diag *d);

/* Fills d with the database's last error and returns WP_ERR_DB. */
enum wp_err wp_sq_fail(struct wp_sq *s, struct wp_diag *d, const char *what);

/* Binding helpers: empty strings / NAN / 0 (where stated) bind NULL. */
void wp_sq_text(sqlite3_stmt *st, int i, const char *v);     /* NULL binds NULL */
void wp_sq_text_or_null(sqlite3_stmt *st, int i, const char *v); /* NULL and "" bind NULL */
void wp_sq_real(sqlite3_stmt *st, int i, double v);          /* NAN binds NULL */
void wp_sq_int_or_null(sqlite3_stmt *st, int i, long long v); /* 0 binds NULL */
double wp_sq_col_real(sqlite3_stmt *st, int i);              /* NULL reads NAN */
const char *wp_sq_col_text(sqlite3_stmt *st, int i);        /* NULL reads "" */

/* The backend's entries of the ops table (store/backend.h), defined in sqlite*.c. */
void wp_sq_close(struct wp_store *b);
enum wp_err wp_sq_begin(struct wp_store *b, struct wp_diag *d);
enum wp_err wp_sq_commit(struct wp_store *b, struct wp_diag *d);
void wp_sq_rollback(struct wp_store *b);
enum wp_err wp_sq_find_prior(struct wp_store *b, const char *path, struct wp_prior_file *out, struct wp_diag *d);
enum wp_err wp_sq_has_content(struct wp_store *b, const char *sha256, bool *found, struct wp_diag *d);
enum wp_err wp_sq_source_drop(struct wp_store *b, const char *path, long long *measurements,
                              struct wp_diag *d);
enum wp_err wp_sq_source_new(struct wp_store *b, const char *path, const char *name, const char *format, long long *source_id, struct wp_diag *d);
enum wp_err wp_sq_source_finish(struct wp_store *b, long long source_id, const struct wp_source_done *done, struct wp_diag *d);
enum wp_err wp_sq_add_measurement(struct wp_store *b, long long source_id, const struct wp_measurement *m, const char *group_key, struct wp_add_result *res, struct wp_diag *d);
enum wp_err wp_sq_add_rejected(struct wp_store *b, long long source_id, long line, long col, const char *reason, const char *text, struct wp_diag *d);
enum wp_err wp_sq_rules_put(struct wp_store *b, const char *manifest, const struct wp_label_rule *rules, size_t n, struct wp_diag *d);
enum wp_err wp_sq_rules_drop_source(struct wp_store *b, long long source_id, struct wp_diag *d);
enum wp_err wp_sq_rules_each(struct wp_store *b, int (*fn)(void *ctx, long long rule_id, const struct wp_label_rule *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_run_keys_each(struct wp_store *b, long long source_id, int (*fn)(void *ctx, const struct wp_run_keys *k), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_label_run(struct wp_store *b, long long run_id, const struct wp_labels *l, struct wp_diag *d);
enum wp_err wp_sq_each_run(struct wp_store *b, const struct wp_run_filter *f, int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_each_rejected(struct wp_store *b, int (*fn)(void *ctx, const struct wp_rejected_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_each_source(struct wp_store *b, int (*fn)(void *ctx, const struct wp_source_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_each_model_source(struct wp_store *b, const struct wp_run_filter *f, int (*fn)(void *ctx, const char *model, const struct wp_source_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_counts(struct wp_store *b, struct wp_store_counts *out, struct wp_diag *d);
enum wp_err wp_sq_each_run_value(struct wp_store *b, const char *phase, bool energy_only, int (*fn)(void *ctx, const struct wp_run_value_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_each_experiment(struct wp_store *b, int (*fn)(void *ctx, const struct wp_experiment_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_each_hardware(struct wp_store *b, int (*fn)(void *ctx, const struct wp_hardware_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_each_text(struct wp_store *b, const char *sql, const char *what, int (*fn)(void *ctx, const char *value), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_each_experiment_attr(struct wp_store *b, const char *key, int (*fn)(void *ctx, long long experiment_id, const char *value), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_tokens_put(struct wp_store *b, const char *source_path, const struct wp_token_count *v, size_t n, struct wp_diag *d);
enum wp_err wp_sq_each_token_count(struct wp_store *b, int (*fn)(void *ctx, const struct wp_token_count *c, bool has_experiment), void *ctx, struct wp_diag *d);

enum wp_err wp_sq_export_sources(struct wp_store *b, int (*fn)(void *ctx, const struct wp_export_source *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_export_versions(struct wp_store *b, long long source_id, int (*fn)(void *ctx, const struct wp_file_version *v), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_export_measurements(struct wp_store *b, long long source_id, int (*fn)(void *ctx, long long run_id, const char *run_uid, const struct wp_measurement *m), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_export_rejected(struct wp_store *b, long long source_id, int (*fn)(void *ctx, const struct wp_rejected_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_export_run_labels(struct wp_store *b, long long run_id, int (*fn)(void *ctx, const struct wp_labels *l), void *ctx, struct wp_diag *d);
enum wp_err wp_sq_export_rules(struct wp_store *b, int (*fn)(void *ctx, const char *manifest, const struct wp_label_rule *rules, const char *const *paths, size_t n), void *ctx, struct wp_diag *d);

static inline struct wp_sq *wp_sq_of(struct wp_store *b)
{
    return (struct wp_sq *)b;
}

#endif
