/* PostgreSQL backend, reads: runs with their labels and
 * totals, experiments, hardware, rejected lines, source files and counts,
 * each handed to a callback in the same order as the SQLite backend (sqlite_read.c).  Runs,
 * their values and their keys come through a cursor, a batch at a time; other reads fetch their whole
 * result before the first callback.  Either way a callback may run statements (labelling
 * writes) on the same connection. */
#include "store/pg_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/units.h"

/* A source_file row read from its columns, starting at column `c`. */
static struct wp_source_row source_row(const PGresult *r, int i, int c)
{
    return (struct wp_source_row){
        .id = wp_pq_col_int(r, i, c),
        .path = wp_pq_col_text(r, i, c + 1),
        .name = wp_pq_col_text(r, i, c + 2),
        .format = wp_pq_col_text(r, i, c + 3),
        .sha256 = wp_pq_col_text(r, i, c + 4),
        .ingested_at = wp_pq_col_text(r, i, c + 5),
        .size_bytes = wp_pq_col_int(r, i, c + 6),
        .rows_ingested = wp_pq_col_int(r, i, c + 7),
        .rows_rejected = wp_pq_col_int(r, i, c + 8),
    };
}

/* A callback of the caller's, as wp_pq_each hands rows to it. */
struct each_ctx {
    int (*run)(void *ctx, const struct wp_run_row *r);
    int (*value)(void *ctx, const struct wp_run_value_row *r);
    void *ctx;
    bool stopped;
};

static int on_run(void *ctx, const PGresult *r, int i)
{
    struct each_ctx *c = ctx;
    struct wp_run_row w = {
        .run_id = wp_pq_col_int(r, i, 0),
        .experiment_id = wp_pq_col_int(r, i, 1),
        .run_uid = wp_pq_col_text(r, i, 2),
        .model = wp_pq_col_text(r, i, 3),
        .task = wp_pq_col_text(r, i, 4),
        .dataset = wp_pq_col_text(r, i, 5),
        .inferences = wp_pq_col_int(r, i, 6),
        .batch_size = wp_pq_col_int(r, i, 7),
        .parameters = wp_pq_col_int(r, i, 8),
        .phases = wp_pq_col_text(r, i, 9),
        .source_file = wp_pq_col_text(r, i, 10),
        .line = (long)wp_pq_col_int(r, i, 11),
        .started_at = wp_pq_col_text(r, i, 12),
        .duration_s = wp_pq_col_real(r, i, 13),
        .energy_j = wp_pq_col_real(r, i, 14),
        .cpu_energy_j = wp_pq_col_real(r, i, 15),
        .gpu_energy_j = wp_pq_col_real(r, i, 16),
        .ram_energy_j = wp_pq_col_real(r, i, 17),
        .emissions_g = wp_pq_col_real(r, i, 18),
        .pue = wp_pq_col_real(r, i, 19),
        .gpu_model = wp_pq_col_text(r, i, 20),
        .cpu_model = wp_pq_col_text(r, i, 21),
        .country_iso_code = wp_pq_col_text(r, i, 22),
        .region = wp_pq_col_text(r, i, 23),
        .tool = wp_pq_col_text(r, i, 24),
        .tool_version = wp_pq_col_text(r, i, 25),
        .purpose = wp_pq_col_text(r, i, 26),
        .training_energy_j = wp_pq_col_real(r, i, 27),
        .token_samples = wp_pq_col_int(r, i, 28),
        .input_tokens = wp_pq_col_int(r, i, 29),
        .output_tokens = wp_pq_col_int(r, i, 30),
        .cpu_count = wp_pq_col_real(r, i, 31),
        .gpu_count = wp_pq_col_real(r, i, 32),
        .ram_total_bytes = wp_pq_col_real(r, i, 33),
        .os = wp_pq_col_text(r, i, 34),
        .python_version = wp_pq_col_text(r, i, 35),
        .cpu_basis = wp_pq_col_text(r, i, 36),
        .gpu_basis = wp_pq_col_text(r, i, 37),
        .ram_basis = wp_pq_col_text(r, i, 38),
    };
    w.carbon_intensity_g_per_kwh = NAN;
    if (!isnan(w.emissions_g) && !isnan(w.energy_j) && w.energy_j > 0)
        w.carbon_intensity_g_per_kwh = w.emissions_g / (w.energy_j / WP_J_PER_KWH);
    return c->run(c->ctx, &w);
}

/* Per-run reads go through a cursor, a batch of rows at a time: memory stays flat. */
enum wp_err wp_pg_each_run(struct wp_store *b, const struct wp_run_filter *f,
                           int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                           struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct wp_pq_args a = {0};
    wp_pq_text(&a, f->phase);
    wp_pq_text(&a, f->task);
    wp_pq_text(&a, f->model);
    wp_pq_text(&a, f->dataset);
    wp_pq_int(&a, f->labeled_only);
    struct each_ctx c = {.run = fn, .ctx = ctx};
    return wp_pq_each(s, f->by_run_id ? PQ_EACH_RUN_BY_ID : PQ_EACH_RUN, &a, "read runs",
                      on_run, &c, d);
}

static int on_value(void *ctx, const PGresult *r, int i)
{
    struct each_ctx *c = ctx;
    struct wp_run_value_row v = {
        .run_id = wp_pq_col_int(r, i, 0),
        .experiment_id = wp_pq_col_int(r, i, 1),
        .hardware_id = wp_pq_col_int(r, i, 2),
        .energy_j = wp_pq_col_real(r, i, 3),
        .cpu_energy_j = wp_pq_col_real(r, i, 4),
        .gpu_energy_j = wp_pq_col_real(r, i, 5),
        .ram_energy_j = wp_pq_col_real(r, i, 6),
        .emissions_g = wp_pq_col_real(r, i, 7),
        .started_at = wp_pq_col_text(r, i, 8),
        .modelled = (unsigned)wp_pq_col_int(r, i, 9),
    };
    return (c->stopped = c->value(c->ctx, &v) != 0);
}

static int on_energy(void *ctx, const PGresult *r, int i)
{
    struct each_ctx *c = ctx;
    struct wp_run_value_row v = {
        .run_id = wp_pq_col_int(r, i, 0),
        .experiment_id = wp_pq_col_int(r, i, 1),
        .energy_j = wp_pq_col_real(r, i, 2),
        .cpu_energy_j = NAN,
        .gpu_energy_j = NAN,
        .ram_energy_j = NAN,
        .emissions_g = wp_pq_col_real(r, i, 3),
        .started_at = "",
    };
    return (c->stopped = c->value(c->ctx, &v) != 0);
}

/* Streamed, not through a cursor: no callback of these reads runs a statement, and the
 * rows of millions of runs are decoded while the server sends the next. */
enum wp_err wp_pg_each_run_value(struct wp_store *b, const char *phase, bool energy_only,
                                 int (*fn)(void *ctx, const struct wp_run_value_row *r),
                                 void *ctx, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct each_ctx c = {.value = fn, .ctx = ctx};
    struct wp_pq_args a = {0};
    wp_pq_text(&a, phase);
    int (*row)(void *, const PGresult *, int) = energy_only ? on_energy : on_value;
    enum wp_err e = wp_pq_stream(s, energy_only ? PQ_RUN_ENERGY : PQ_RUN_VALUES, &a,
                                 "read run values", row, &c, d);
    if (!e && !c.stopped && !phase)
        e = wp_pq_stream(s, energy_only ? PQ_RUN_ENERGY_PHASED : PQ_RUN_VALUES_PHASED, NULL,
                         "read run values", row, &c, d);
    return e;
}

enum wp_err wp_pg_each_experiment(struct wp_store *b,
                                  int (*fn)(void *ctx, const struct wp_experiment_row *r),
                                  void *ctx, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    PGresult *r = wp_pq_run(s, PQ_EXPERIMENTS, NULL, "read experiments", d);
    if (!r)
        return s->err;
    for (int i = 0; i < PQntuples(r); i++) {
        struct wp_experiment_row x = {
            .id = wp_pq_col_int(r, i, 0),
            .model = wp_pq_col_text(r, i, 1),
            .task = wp_pq_col_text(r, i, 2),
            .dataset = wp_pq_col_text(r, i, 3),
            .purpose = wp_pq_col_text(r, i, 4),
            .inferences = wp_pq_col_int(r, i, 5),
            .batch_size = wp_pq_col_int(r, i, 6),
            .parameters = wp_pq_col_int(r, i, 7),
            .training_energy_j = wp_pq_col_real(r, i, 8),
            .token_samples = wp_pq_col_int(r, i, 9),
            .input_tokens = wp_pq_col_int(r, i, 10),
            .output_tokens = wp_pq_col_int(r, i, 11),
        };
        if (fn(ctx, &x))
            break;
    }
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_each_text(struct wp_store *b, const char *sql, const char *what,
                            int (*fn)(void *ctx, const char *value), void *ctx,
                            struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    if (wp_pg_batch_pending(s) && wp_pg_batch_send(s, d))
        return s->err;
    PGresult *r = PQexecParams(s->conn, sql, 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        enum wp_err e = wp_pq_fail(s, r, what, d);
        PQclear(r);
        return e;
    }
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, wp_pq_col_text(r, i, 0)))
            break;
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_each_experiment_attr(struct wp_store *b, const char *key,
                                       int (*fn)(void *ctx, long long experiment_id,
                                                 const char *value),
                                       void *ctx, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct wp_pq_args a = {0};
    wp_pq_text(&a, key);
    PGresult *r = wp_pq_run(s, PQ_EXPERIMENT_ATTR, &a, "read experiment attributes", d);
    if (!r)
        return s->err;
    for (int i = 0; i < PQntuples(r); i++)
        if (fn(ctx, wp_pq_col_int(r, i, 0), wp_pq_col_text(r, i, 1)))
            break;
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_each_hardware(struct wp_store *b,
                                int (*fn)(void *ctx, const struct wp_hardware_row *r),
                                void *ctx, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    PGresult *r = wp_pq_run(s, PQ_HARDWARE, NULL, "read hardware", d);
    if (!r)
        return s->err;
    for (int i = 0; i < PQntuples(r); i++) {
        struct wp_hardware_row h = {
            .id = wp_pq_col_int(r, i, 0),
            .gpu_model = wp_pq_col_text(r, i, 1),
            .cpu_model = wp_pq_col_text(r, i, 2),
        };
        if (fn(ctx, &h))
            break;
    }
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_each_rejected(struct wp_store *b,
                                int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                void *ctx, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    PGresult *r = wp_pq_run(s, PQ_EACH_REJECTED, NULL, "read rejected", d);
    if (!r)
        return s->err;
    for (int i = 0; i < PQntuples(r); i++) {
        struct wp_rejected_row x = {
            .file = wp_pq_col_text(r, i, 0),
            .line = (long)wp_pq_col_int(r, i, 1),
            .col = (long)wp_pq_col_int(r, i, 2),
            .reason = wp_pq_col_text(r, i, 3),
            .text = wp_pq_col_text(r, i, 4),
        };
        if (fn(ctx, &x))
            break;
    }
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_each_source(struct wp_store *b,
                              int (*fn)(void *ctx, const struct wp_source_row *r), void *ctx,
                              struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    PGresult *r = wp_pq_run(s, PQ_EACH_SOURCE, NULL, "read sources", d);
    if (!r)
        return s->err;
    for (int i = 0; i < PQntuples(r); i++) {
        struct wp_source_row x = source_row(r, i, 0);
        if (fn(ctx, &x))
            break;
    }
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_each_model_source(struct wp_store *b, const struct wp_run_filter *f,
                                    int (*fn)(void *ctx, const char *model,
                                              const struct wp_source_row *r),
                                    void *ctx, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    struct wp_pq_args a = {0};
    wp_pq_text(&a, f->phase);
    wp_pq_text(&a, f->task);
    wp_pq_text(&a, f->model);
    wp_pq_text(&a, f->dataset);
    wp_pq_text(&a, f->where_key);
    wp_pq_text(&a, f->where_value);
    PGresult *r = wp_pq_run(s, PQ_MODEL_SOURCES, &a, "read the sources of models", d);
    if (!r)
        return s->err;
    for (int i = 0; i < PQntuples(r); i++) {
        struct wp_source_row x = source_row(r, i, 1);
        if (fn(ctx, wp_pq_col_text(r, i, 0), &x))
            break;
    }
    PQclear(r);
    return WP_OK;
}

enum wp_err wp_pg_counts(struct wp_store *b, struct wp_store_counts *out, struct wp_diag *d)
{
    struct wp_pg *s = wp_pg_of(b);
    PGresult *r = wp_pq_run(s, PQ_COUNTS, NULL, "count", d);
    if (!r)
        return s->err;
    out->sources = wp_pq_col_int(r, 0, 0);
    out->runs = wp_pq_col_int(r, 0, 1);
    out->measurements = wp_pq_col_int(r, 0, 2);
    out->unlabeled_runs = wp_pq_col_int(r, 0, 3);
    out->rejected = wp_pq_col_int(r, 0, 4);
    PQclear(r);
    return WP_OK;
}
