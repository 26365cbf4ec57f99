/* Internals shared by the SQLite backend's files: the store struct, its cache of prepared
 * statements and small binding helpers.  Not for use outside src/store/. */
#ifndef WP_STORE_SQLITE_INT_H
#define WP_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "store/backend.h"
#include "store/store_sql.h"

/* Every statement the backend uses, prepared on first use and reused. */
enum wp_stmt {
    ST_BEGIN, ST_COMMIT, ST_ROLLBACK,
    ST_X_SOURCES, ST_X_VERSIONS, ST_X_MEAS, ST_X_EXTRAS, ST_X_REJECTED, ST_X_LABELS,
    ST_X_EXP_ATTRS, ST_X_RULES, ST_X_RULE_ATTRS,
    ST__COUNT
};

struct wp_sq {
    struct wp_store base; /* first: see store/backend.h */
    sqlite3 *db;
    int version;
    sqlite3_stmt *stmt[ST__COUNT];
    sqlite3_stmt *q[Q__COUNT]; /* the domain rules' statements (store_sql.h) */
    bool q_with_id[Q__COUNT];  /* an INSERT whose RETURNING id SQLite does not run */
    struct wp_sq_ckpt *ckpt; /* the checkpoint thread (sqlite_ckpt.c), NULL until needed */
    bool ckpt_failed;        /* it could not start: the writer checkpoints itself */
    int ckpt_next;           /* WAL pages at which the next checkpoint is asked for */
    char *deferred_index;    /* the SQL of the index label_many dropped, until it is rebuilt */
    /* between label_many's start and end: base.runs_moved when the pass began, and at
     * how many moved runs the index above is dropped (0: not labelling many) */
    long long labels_moved_at_start, labels_drop_at;
    struct wp_sq_batch *batch; /* measurements held back (sqlite_batch.c), NULL until one is */
    struct wp_sq_vfs *vfs;     /* the writer's file layer (sqlite_vfs.c), NULL: SQLite's own */
};

/* The writer's file layer (sqlite_vfs.c): SQLite's default one, with the writes to the
 * write-ahead log gathered into one system call per commit.  new registers a layer for
 * one store under a name of its own (NULL when it cannot: open with SQLite's own); name
 * is what sqlite3_open_v2 takes; free unregisters it, after the store's connection is
 * closed. */
struct wp_sq_vfs;
struct wp_sq_vfs *wp_sq_vfs_new(void);
const char *wp_sq_vfs_name(const struct wp_sq_vfs *w);
void wp_sq_vfs_free(struct wp_sq_vfs *w);

/* Measurements held back and stored many rows per statement (sqlite_batch.c).  queue and
 * flush are the ops of store/backend.h; batch_flush stores what is held (before any other
 * statement runs: sq_exec, wp_sq_stmt and commit call it; nothing held: nothing done);
 * drop forgets it (rollback); free at close. */
struct wp_sq_batch;
enum wp_err wp_sq_queue(struct wp_store *b, long long source_id, const struct wp_measurement *m,
                        const char *group_key,
                        void (*done)(void *ctx, const struct wp_queued *q,
                                     const struct wp_add_result *res),
                        void *ctx, struct wp_diag *d);
enum wp_err wp_sq_flush(struct wp_store *b, struct wp_diag *d);
enum wp_err wp_sq_batch_flush(struct wp_sq *s, struct wp_diag *d);
void wp_sq_batch_drop(struct wp_sq *s);
void wp_sq_batch_free(struct wp_sq *s);

/* The SQL of single-row INSERT q of store_sql.h in SQLite's dialect (as sq_exec runs it)
 * with its VALUES tuple for `rows` rows, the parameters of row r numbered after those of
 * row r - 1; a heap string, NULL on out-of-memory. */
char *wp_sq_rows_text(int q, int rows);
/* Binds a's values to st's parameters first, first + 1, ... (texts without a copy). */
void wp_sq_bind(sqlite3_stmt *st, const struct wp_args *a, int first);

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
