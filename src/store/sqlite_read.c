/* SQLite backend, reads: runs with their labels and totals, rejected lines, source files
 * and counts, each streamed to a callback in a stable order. */
#include "store/sqlite_int.h"

#include <math.h>
#include <stdbool.h>

/* The end of every read: the step loop's last code as a result, the statement reset. */
static enum wp_err finish(struct wp_sq *s, sqlite3_stmt *st, int rc, const char *what,
                          struct wp_diag *d)
{
    enum wp_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, what);
    sqlite3_reset(st);
    return e;
}

/* A source_file row read from its columns, starting at column `first`. */
static struct wp_source_row source_row(sqlite3_stmt *st, int first)
{
    return (struct wp_source_row){
        .id = sqlite3_column_int64(st, first),
        .path = wp_sq_col_text(st, first + 1),
        .name = wp_sq_col_text(st, first + 2),
        .format = wp_sq_col_text(st, first + 3),
        .sha256 = wp_sq_col_text(st, first + 4),
        .ingested_at = wp_sq_col_text(st, first + 5),
        .size_bytes = sqlite3_column_int64(st, first + 6),
        .rows_ingested = sqlite3_column_int64(st, first + 7),
        .rows_rejected = sqlite3_column_int64(st, first + 8),
    };
}

enum wp_err wp_sq_each_run(struct wp_store *b, const struct wp_run_filter *f,
                              int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                              struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, f->by_run_id ? ST_EACH_RUN_BY_ID : ST_EACH_RUN, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, f->phase);
    wp_sq_text(st, 2, f->task);
    wp_sq_text(st, 3, f->model);
    wp_sq_text(st, 4, f->dataset);
    sqlite3_bind_int(st, 5, f->labeled_only);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_run_row r = {
            .run_id = sqlite3_column_int64(st, 0),
            .experiment_id = sqlite3_column_int64(st, 1),
            .run_uid = wp_sq_col_text(st, 2),
            .model = wp_sq_col_text(st, 3),
            .task = wp_sq_col_text(st, 4),
            .dataset = wp_sq_col_text(st, 5),
            .inferences = sqlite3_column_int64(st, 6),
            .batch_size = sqlite3_column_int64(st, 7),
            .parameters = sqlite3_column_int64(st, 8),
            .phases = wp_sq_col_text(st, 9),
            .source_file = wp_sq_col_text(st, 10),
            .line = (long)sqlite3_column_int64(st, 11),
            .started_at = wp_sq_col_text(st, 12),
            .duration_s = wp_sq_col_real(st, 13),
            .energy_j = wp_sq_col_real(st, 14),
            .cpu_energy_j = wp_sq_col_real(st, 15),
            .gpu_energy_j = wp_sq_col_real(st, 16),
            .ram_energy_j = wp_sq_col_real(st, 17),
            .emissions_g = wp_sq_col_real(st, 18),
            .pue = wp_sq_col_real(st, 19),
            .gpu_model = wp_sq_col_text(st, 20),
            .cpu_model = wp_sq_col_text(st, 21),
            .country_iso_code = wp_sq_col_text(st, 22),
            .region = wp_sq_col_text(st, 23),
            .tool = wp_sq_col_text(st, 24),
            .tool_version = wp_sq_col_text(st, 25),
            .purpose = wp_sq_col_text(st, 26),
            .training_energy_j = wp_sq_col_real(st, 27),
            .token_samples = sqlite3_column_int64(st, 28),
            .input_tokens = sqlite3_column_int64(st, 29),
            .output_tokens = sqlite3_column_int64(st, 30),
            .cpu_count = wp_sq_col_real(st, 31),
            .gpu_count = wp_sq_col_real(st, 32),
            .ram_total_bytes = wp_sq_col_real(st, 33),
            .os = wp_sq_col_text(st, 34),
            .python_version = wp_sq_col_text(st, 35),
            .cpu_basis = wp_sq_col_text(st, 36),
            .gpu_basis = wp_sq_col_text(st, 37),
            .ram_basis = wp_sq_col_text(st, 38),
        };
        r.carbon_intensity_g_per_kwh = NAN;
        if (!isnan(r.emissions_g) && !isnan(r.energy_j) && r.energy_j > 0)
            r.carbon_intensity_g_per_kwh = r.emissions_g / (r.energy_j / 3.6e6);
        if (fn(ctx, &r))
            break;
    }
    return finish(s, st, rc, "read runs", d);
}

enum wp_err wp_sq_each_rejected(struct wp_store *b,
                                   int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                   void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_EACH_REJECTED, d);
    if (!st)
        return WP_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_rejected_row r = {
            .file = wp_sq_col_text(st, 0),
            .line = (long)sqlite3_column_int64(st, 1),
            .col = (long)sqlite3_column_int64(st, 2),
            .reason = wp_sq_col_text(st, 3),
            .text = wp_sq_col_text(st, 4),
        };
        if (fn(ctx, &r))
            break;
    }
    return finish(s, st, rc, "read rejected", d);
}

enum wp_err wp_sq_each_source(struct wp_store *b,
                                 int (*fn)(void *ctx, const struct wp_source_row *r),
                                 void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_EACH_SOURCE, d);
    if (!st)
        return WP_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_source_row r = source_row(st, 0);
        if (fn(ctx, &r))
            break;
    }
    return finish(s, st, rc, "read sources", d);
}

enum wp_err wp_sq_each_model_source(struct wp_store *b, const struct wp_run_filter *f,
                                       int (*fn)(void *ctx, const char *model,
                                                 const struct wp_source_row *r),
                                       void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_MODEL_SOURCES, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, f->phase);
    wp_sq_text(st, 2, f->task);
    wp_sq_text(st, 3, f->model);
    wp_sq_text(st, 4, f->dataset);
    wp_sq_text(st, 5, f->where_key);
    wp_sq_text(st, 6, f->where_value);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_source_row r = source_row(st, 1);
        if (fn(ctx, wp_sq_col_text(st, 0), &r))
            break;
    }
    return finish(s, st, rc, "read the sources of models", d);
}

enum wp_err wp_sq_counts(struct wp_store *b, struct wp_store_counts *out, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_COUNTS, d);
    if (!st)
        return WP_ERR_DB;
    if (sqlite3_step(st) != SQLITE_ROW)
        return wp_sq_fail(s, d, "count");
    out->sources = sqlite3_column_int64(st, 0);
    out->runs = sqlite3_column_int64(st, 1);
    out->measurements = sqlite3_column_int64(st, 2);
    out->unlabeled_runs = sqlite3_column_int64(st, 3);
    out->rejected = sqlite3_column_int64(st, 4);
    sqlite3_reset(st);
    return WP_OK;
}

static enum wp_err run_values(struct wp_sq *s, enum wp_stmt which, const char *phase,
                              int (*fn)(void *ctx, const struct wp_run_value_row *r),
                              void *ctx, bool *stop, struct wp_diag *d)
{
    sqlite3_stmt *st = wp_sq_stmt(s, which, d);
    if (!st)
        return WP_ERR_DB;
    if (which == ST_RUN_VALUES)
        wp_sq_text(st, 1, phase);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_run_value_row r = {
            .run_id = sqlite3_column_int64(st, 0),
            .experiment_id = sqlite3_column_int64(st, 1),
            .hardware_id = sqlite3_column_int64(st, 2),
            .energy_j = wp_sq_col_real(st, 3),
            .cpu_energy_j = wp_sq_col_real(st, 4),
            .gpu_energy_j = wp_sq_col_real(st, 5),
            .ram_energy_j = wp_sq_col_real(st, 6),
            .emissions_g = wp_sq_col_real(st, 7),
            .started_at = wp_sq_col_text(st, 8),
            .modelled = (unsigned)sqlite3_column_int(st, 9),
        };
        if ((*stop = fn(ctx, &r) != 0))
            break;
    }
    return finish(s, st, rc, "read run values", d);
}

enum wp_err wp_sq_each_run_value(struct wp_store *b, const char *phase, bool energy_only,
                                    int (*fn)(void *ctx, const struct wp_run_value_row *r),
                                    void *ctx, struct wp_diag *d)
{
    (void)energy_only; /* in the process: every column costs about the same as none */
    struct wp_sq *s = wp_sq_of(b);
    bool stop = false;
    enum wp_err e = run_values(s, ST_RUN_VALUES, phase, fn, ctx, &stop, d);
    if (!e && !stop && !phase)
        e = run_values(s, ST_RUN_VALUES_PHASED, NULL, fn, ctx, &stop, d);
    return e;
}

enum wp_err wp_sq_each_experiment(struct wp_store *b,
                                     int (*fn)(void *ctx, const struct wp_experiment_row *r),
                                     void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_EXPERIMENTS, d);
    if (!st)
        return WP_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_experiment_row r = {
            .id = sqlite3_column_int64(st, 0),
            .model = wp_sq_col_text(st, 1),
            .task = wp_sq_col_text(st, 2),
            .dataset = wp_sq_col_text(st, 3),
            .purpose = wp_sq_col_text(st, 4),
            .inferences = sqlite3_column_int64(st, 5),
            .batch_size = sqlite3_column_int64(st, 6),
            .parameters = sqlite3_column_int64(st, 7),
            .training_energy_j = wp_sq_col_real(st, 8),
            .token_samples = sqlite3_column_int64(st, 9),
            .input_tokens = sqlite3_column_int64(st, 10),
            .output_tokens = sqlite3_column_int64(st, 11),
        };
        if (fn(ctx, &r))
            break;
    }
    return finish(s, st, rc, "read experiments", d);
}

enum wp_err wp_sq_each_hardware(struct wp_store *b,
                                   int (*fn)(void *ctx, const struct wp_hardware_row *r),
                                   void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_HARDWARE, d);
    if (!st)
        return WP_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_hardware_row r = {
            .id = sqlite3_column_int64(st, 0),
            .gpu_model = wp_sq_col_text(st, 1),
            .cpu_model = wp_sq_col_text(st, 2),
        };
        if (fn(ctx, &r))
            break;
    }
    return finish(s, st, rc, "read hardware", d);
}

enum wp_err wp_sq_each_text(struct wp_store *b, const char *sql, const char *what,
                            int (*fn)(void *ctx, const char *value), void *ctx,
                            struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return wp_sq_fail(s, d, what);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, wp_sq_col_text(st, 0)))
            break;
    enum wp_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK : wp_sq_fail(s, d, what);
    sqlite3_finalize(st);
    return e;
}

enum wp_err wp_sq_each_experiment_attr(struct wp_store *b, const char *key,
                                          int (*fn)(void *ctx, long long experiment_id,
                                                    const char *value),
                                          void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_EXPERIMENT_ATTR, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, key);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(ctx, sqlite3_column_int64(st, 0), wp_sq_col_text(st, 1)))
            break;
    return finish(s, st, rc, "read experiment attributes", d);
}
