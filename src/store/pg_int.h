/* Internals shared by the PostgreSQL backend's files: the store struct, its statements
 * (prepared once per connection on first use, run with bound parameters) and the helpers
 * that bind values as text and read results.  Not for use outside src/store/. */
#ifndef WP_STORE_PG_INT_H
#define WP_STORE_PG_INT_H

#include <libpq-fe.h>

#include "store/backend.h"

/* Every statement the backend runs, in the order of the SQL table in pg.c. */
enum wp_pq_stmt {
    PQ_LOCK,
    PQ_FIND_PRIOR, PQ_HAS_CONTENT, PQ_DROP_RUN_IDS, PQ_DROP_MEAS, PQ_DROP_RUN, PQ_DROP_SOURCE, PQ_SOURCE_NEW, PQ_SOURCE_FINISH, PQ_VERSION_NEW,
    PQ_TOOL_GET, PQ_TOOL_NEW, PQ_HW_GET, PQ_HW_NEW, PQ_LOC_GET, PQ_LOC_NEW,
    PQ_RUN_BY_UID, PQ_RUN_NEW, PQ_MEAS_NEW, PQ_EXTRA_NEW, PQ_REJECT_NEW,
    PQ_RULES_DEL, PQ_RULE_NEW, PQ_RULE_ATTR_NEW, PQ_RULES_ALL, PQ_RULE_ATTRS,
    PQ_RULES_DEL_SOURCE,
    PQ_KEYS_ALL, PQ_KEYS_SOURCE,
    PQ_MODEL_PUT, PQ_MODEL_GET, PQ_MODEL_PARAMS, PQ_MODEL_TRAINING, PQ_TASK_PUT, PQ_TASK_GET,
    PQ_DATASET_PUT, PQ_DATASET_GET, PQ_EXP_GET, PQ_EXP_NEW, PQ_EXP_ATTR_PUT,
    PQ_EACH_RUN, PQ_EACH_RUN_BY_ID, PQ_RUN_VALUES, PQ_RUN_VALUES_PHASED, PQ_RUN_ENERGY, PQ_RUN_ENERGY_PHASED, PQ_EXPERIMENTS,
    PQ_EXPERIMENT_ATTR, PQ_HARDWARE, PQ_EACH_REJECTED, PQ_EACH_SOURCE, PQ_COUNTS,
    PQ_MODEL_SOURCES, PQ_TOKENS_DEL, PQ_TOKENS_OWNER, PQ_TOKENS_NEW, PQ_TOKENS_ALL,
    PQ_IMPORT_SOURCE, PQ_BATCH_RUNS, PQ_NEXT_IDS, PQ_SOURCE_NAME, PQ_RUN_LABEL_MANY,
    PQ__COUNT
};

/* Last dimension row seen (as in the SQLite backend): one lookup per file, not per row. */
struct wp_pq_cache {
    long long id;
    char *key; /* NULL when empty */
};

/* The ids of the last few names (or experiments) seen: a manifest's runs take turns
 * between a handful of models, and none of these rows is ever deleted but by a rollback
 * (which forgets them all). */
#define WP_PQ_MEMO 32
struct wp_pq_memo {
    struct wp_pq_cache e[WP_PQ_MEMO];
    unsigned next; /* the entry replaced next */
};
bool wp_pq_memo_get(const struct wp_pq_memo *m, const char *key, long long *id);
void wp_pq_memo_put(struct wp_pq_memo *m, const char *key, long long id); /* copies key */
void wp_pq_memo_forget(struct wp_pq_memo *m);

struct wp_pq_batch; /* measurements and labels held back to be sent at once (pg_copy.c) */

struct wp_pg {
    struct wp_store base; /* first: see store/backend.h */
    PGconn *conn;
    char display[512];    /* the URI with its password masked, for messages */
    char *uri;            /* the URI as given: its credentials are masked out of messages */
    bool prepared[PQ__COUNT];
    bool in_tx;
    enum wp_err err;      /* what the last failed statement was (WP_ERR_DB, _CONFLICT) */
    struct wp_pq_cache tool, hw, loc;
    struct wp_pq_memo names[4];  /* model, task, dataset, experiment */
    struct wp_pq_cache side;     /* the side effects of the last label (pg_write.c) */
    struct wp_pq_batch *batch;   /* NULL until the first measurement is queued */
    bool flushing;               /* sending the batch: its own statements do not flush */
    unsigned cursors;            /* cursors declared, for their names */
};

static inline struct wp_pg *wp_pg_of(struct wp_store *b)
{
    return (struct wp_pg *)b;
}

/* The parameters of one statement, all sent as text (NULL pointer = SQL NULL). */
#define WP_PQ_MAX_ARGS 32
struct wp_pq_args {
    int n;
    const char *v[WP_PQ_MAX_ARGS];
    char buf[WP_PQ_MAX_ARGS][32];
};
void wp_pq_text(struct wp_pq_args *a, const char *v);         /* NULL binds NULL */
void wp_pq_text_or_null(struct wp_pq_args *a, const char *v); /* NULL and "" bind NULL */
void wp_pq_real(struct wp_pq_args *a, double v);              /* NAN binds NULL */
void wp_pq_int(struct wp_pq_args *a, long long v);
void wp_pq_int_or_null(struct wp_pq_args *a, long long v);    /* 0 binds NULL */

/* Runs statement `which` with `a` (NULL: none), preparing it on first use.  Returns the
 * result (freed with PQclear), or NULL with d filled ("database: WHAT: ...") and s->err
 * set. */
PGresult *wp_pq_run(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                    const char *what, struct wp_diag *d);
/* Runs statement `which` with `a` through a cursor, FETCHing a batch of rows at a time,
 * and calls fn for each row until it returns non-zero; fn may run other statements.
 * Inside the caller's transaction, or in a read-only one of its own. */
enum wp_err wp_pq_each(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                       const char *what, int (*fn)(void *ctx, const PGresult *r, int row),
                       void *ctx, struct wp_diag *d);
/* Runs statement `which` with `a` and calls fn for each row, as the server sends them
 * (binary, one result a row), until it returns non-zero (the rest is cancelled, or read and
 * dropped inside the caller's transaction, which a cancel would abort).  fn must not run
 * statements: the connection is busy until the last row.  One snapshot. */
enum wp_err wp_pq_stream(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                         const char *what, int (*fn)(void *ctx, const PGresult *r, int row),
                         void *ctx, struct wp_diag *d);
/* Runs a statement, expecting no rows back; frees the result. */
enum wp_err wp_pq_do(struct wp_pg *s, enum wp_pq_stmt which, const struct wp_pq_args *a,
                     const char *what, struct wp_diag *d);
/* Fills d with the server's message for `res` (or the connection's) and returns WP_ERR_DB;
 * a unique violation of a file's content is WP_ERR_CONFLICT with a message saying so. */
enum wp_err wp_pq_fail(struct wp_pg *s, const PGresult *res, const char *what,
                       struct wp_diag *d);

/* Column readers of text or binary results (a cursor's and a stream's rows are binary):
 * NULL reads NAN / "" / 0. */
double wp_pq_col_real(const PGresult *r, int row, int col);
const char *wp_pq_col_text(const PGresult *r, int row, int col);
long long wp_pq_col_int(const PGresult *r, int row, int col);
/* NULL reads NULL. */
const char *wp_pq_col_text_or_null(const PGresult *r, int row, int col);

void wp_pq_forget(struct wp_pq_cache *c);

/* Whether every dimension row (tool, hardware, location) measurement m needs is the one
 * the last lookup found: then sets ids[] as wp_pg_add_measurement would, without a
 * statement. */
bool wp_pg_dims_cached(struct wp_pg *s, const struct wp_measurement *m, long long ids[3]);
/* Looks up (never adds) the dimension rows m needs, remembering what it finds; *found when
 * all are there (ids[] then set).  Reading them changes nothing: a duplicate row may. */
enum wp_err wp_pg_dims_find(struct wp_pg *s, const struct wp_measurement *m, long long ids[3],
                            bool *found, struct wp_diag *d);

/* The batch (pg_copy.c).  wp_pq_run sends what is held before any other statement, so
 * every statement sees the database as if each measurement had been stored at once. */
bool wp_pg_batch_pending(const struct wp_pg *s);
enum wp_err wp_pg_batch_send(struct wp_pg *s, struct wp_diag *d);
void wp_pg_batch_drop(struct wp_pg *s);  /* on rollback */
void wp_pg_batch_free(struct wp_pg *s);  /* on close */
/* Holds "set run `run_id`'s experiment to `exp`" to be sent with others of the same exp. */
enum wp_err wp_pg_batch_label(struct wp_pg *s, long long run_id, long long exp,
                              struct wp_diag *d);

/* The backend's entries of the ops table (store/backend.h), defined in pg*.c. */
void wp_pg_close(struct wp_store *b);
enum wp_err wp_pg_begin(struct wp_store *b, struct wp_diag *d);
enum wp_err wp_pg_commit(struct wp_store *b, struct wp_diag *d);
void wp_pg_rollback(struct wp_store *b);
enum wp_err wp_pg_find_prior(struct wp_store *b, const char *path, struct wp_prior_file *out, struct wp_diag *d);
enum wp_err wp_pg_has_content(struct wp_store *b, const char *sha256, bool *found, struct wp_diag *d);
enum wp_err wp_pg_source_drop(struct wp_store *b, const char *path, long long *measurements,
                              struct wp_diag *d);
enum wp_err wp_pg_source_new(struct wp_store *b, const char *path, const char *name, const char *format, long long *source_id, struct wp_diag *d);
enum wp_err wp_pg_source_finish(struct wp_store *b, long long source_id, const struct wp_source_done *done, struct wp_diag *d);
enum wp_err wp_pg_add_measurement(struct wp_store *b, long long source_id, const struct wp_measurement *m, const char *group_key, struct wp_add_result *res, struct wp_diag *d);
enum wp_err wp_pg_queue_measurement(struct wp_store *b, long long source_id, const struct wp_measurement *m, const char *group_key, void (*done)(void *ctx, const struct wp_queued *q, const struct wp_add_result *res), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_flush(struct wp_store *b, struct wp_diag *d);
enum wp_err wp_pg_add_rejected(struct wp_store *b, long long source_id, long line, long col, const char *reason, const char *text, struct wp_diag *d);
enum wp_err wp_pg_rules_put(struct wp_store *b, const char *manifest, const struct wp_label_rule *rules, size_t n, struct wp_diag *d);
enum wp_err wp_pg_rules_drop_source(struct wp_store *b, long long source_id, struct wp_diag *d);
enum wp_err wp_pg_rules_each(struct wp_store *b, int (*fn)(void *ctx, long long rule_id, const struct wp_label_rule *r), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_run_keys_each(struct wp_store *b, long long source_id, int (*fn)(void *ctx, const struct wp_run_keys *k), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_label_run(struct wp_store *b, long long run_id, const struct wp_labels *l, struct wp_diag *d);
enum wp_err wp_pg_tokens_put(struct wp_store *b, const char *source_path, const struct wp_token_count *v, size_t n, struct wp_diag *d);
enum wp_err wp_pg_each_token_count(struct wp_store *b, int (*fn)(void *ctx, const struct wp_token_count *c, bool has_experiment), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_run(struct wp_store *b, const struct wp_run_filter *f, int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_run_value(struct wp_store *b, const char *phase, bool energy_only, int (*fn)(void *ctx, const struct wp_run_value_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_experiment(struct wp_store *b, int (*fn)(void *ctx, const struct wp_experiment_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_text(struct wp_store *b, const char *sql, const char *what, int (*fn)(void *ctx, const char *value), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_experiment_attr(struct wp_store *b, const char *key, int (*fn)(void *ctx, long long experiment_id, const char *value), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_hardware(struct wp_store *b, int (*fn)(void *ctx, const struct wp_hardware_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_rejected(struct wp_store *b, int (*fn)(void *ctx, const struct wp_rejected_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_source(struct wp_store *b, int (*fn)(void *ctx, const struct wp_source_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_each_model_source(struct wp_store *b, const struct wp_run_filter *f, int (*fn)(void *ctx, const char *model, const struct wp_source_row *r), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_counts(struct wp_store *b, struct wp_store_counts *out, struct wp_diag *d);
enum wp_err wp_pg_import_source(struct wp_store *b, const struct wp_export_source *src, long long *id, struct wp_diag *d);
enum wp_err wp_pg_import_version(struct wp_store *b, long long source_id, const struct wp_file_version *v, struct wp_diag *d);

#endif
