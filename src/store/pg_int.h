/* Internals shared by the PostgreSQL backend's files: the store struct, its statements
 * (prepared once per connection on first use, run with bound parameters) and the helpers
 * that bind values as text and read results.  Not for use outside src/store/. */
#ifndef WP_STORE_PG_INT_H
#define WP_STORE_PG_INT_H

#include <libpq-fe.h>

#include "store/backend.h"
#include "store/store_sql.h"

/* Every statement the backend runs, in the order of the SQL table in pg.c. */
enum wp_pq_stmt {
    PQ_LOCK,
    PQ_BATCH_RUNS, PQ_BATCH_START, PQ_SOURCE_NAME, PQ_BATCH_SMALL, PQ_RUN_LABEL_MANY,
    PQ__COUNT
};

/* The columns of a measurement as the batch sends them (pg_copy.c), in their order. */
#define WP_PQ_MEAS_COLUMNS                                                                     \
    "id, run_id, phase, source_file_id, line, run_label, project_name, experiment_label,"    \
    " started_at, duration_s, energy_j, cpu_energy_j, gpu_energy_j, ram_energy_j,"          \
    " emissions_g, emissions_rate_g_per_s, cpu_power_w, gpu_power_w, ram_power_w,"         \
    " carbon_intensity_g_per_kwh, pue, water_l, tracking_mode, longitude, latitude,"       \
    " tool_id, hardware_id, location_id, cpu_basis, gpu_basis, ram_basis"

struct wp_pq_batch; /* measurements and labels held back to be sent at once (pg_copy.c) */

struct wp_pg {
    struct wp_store base; /* first: see store/backend.h */
    PGconn *conn;
    char display[512];    /* the URI with its password masked, for messages */
    char *uri;            /* the URI as given: its credentials are masked out of messages */
    bool prepared[PQ__COUNT];
    bool in_tx;
    enum wp_err err;      /* what the last failed statement was (WP_ERR_DB, _CONFLICT) */
    char *qtext[Q__COUNT];       /* the statements of store_sql.h with $N parameters */
    bool qprepared[Q__COUNT];
    struct wp_pq_batch *batch;   /* NULL until the first measurement is queued */
    bool flushing;               /* sending the batch: its own statements do not flush */
    const char *copy_pending;    /* the COPY sent last whose result is not read yet (what it
                                    does, for its message; NULL: none): see wp_pg_settle */
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

/* Sends statement `which` (prepared on first use) with n parameters in binary, its result
 * left to be read by the next command (wp_pg_settle), as a COPY's is; on failure d is
 * filled and nothing was sent. */
enum wp_err wp_pq_send_binary(struct wp_pg *s, enum wp_pq_stmt which, int n,
                              const char *const *values, const int *lengths,
                              const char *what, struct wp_diag *d);

/* The batch (pg_copy.c).  wp_pq_run sends what is held before any other statement, so
 * every statement sees the database as if each measurement had been stored at once. */
bool wp_pg_batch_pending(const struct wp_pg *s);
enum wp_err wp_pg_batch_send(struct wp_pg *s, struct wp_diag *d);
void wp_pg_batch_drop(struct wp_pg *s);  /* on rollback */
/* The batch's last COPY is left running on the server while this side reads on (the next
 * batch's rows are parsed while the server stores these): every other command first reads
 * its result here, and returns its failure (d may be NULL).  WP_OK when none is pending. */
enum wp_err wp_pg_settle(struct wp_pg *s, struct wp_diag *d);
void wp_pg_batch_free(struct wp_pg *s);  /* on close */

/* The backend's entries of the ops table (store/backend.h), defined in pg*.c. */
void wp_pg_close(struct wp_store *b);
enum wp_err wp_pg_exec(struct wp_store *b, int q, const struct wp_args *a, wp_row_fn fn,
                       void *ctx, long long *changes, struct wp_diag *d);
enum wp_err wp_pg_label_later(struct wp_store *b, long long run_id, long long exp,
                              struct wp_diag *d);
enum wp_err wp_pg_begin(struct wp_store *b, struct wp_diag *d);
enum wp_err wp_pg_commit(struct wp_store *b, struct wp_diag *d);
void wp_pg_rollback(struct wp_store *b);
enum wp_err wp_pg_queue_measurement(struct wp_store *b, long long source_id, const struct wp_measurement *m, const char *group_key, void (*done)(void *ctx, const struct wp_queued *q, const struct wp_add_result *res), void *ctx, struct wp_diag *d);
enum wp_err wp_pg_flush(struct wp_store *b, struct wp_diag *d);

#endif
