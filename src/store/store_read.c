/* The store's reads, once for both backends, over the narrow interface of backend.h: the
 * statements of store_sql.h and one mapping of each row to its struct (runs, run values,
 * experiments, attributes, hardware, rejected lines, source files, counts, label lists,
 * the measured/modelled summary's rows, the runs' extra columns). */
#include "store/backend.h"

#include <math.h>

#include "store/store_sql.h"
#include "util/units.h"

/* A source_file row read from its columns, starting at column `c` (SOURCE_COLS). */
static struct wp_source_row source_row(const struct wp_row *r, int c)
{
    return (struct wp_source_row){
        .id = wp_row_int(r, c),
        .path = wp_row_text(r, c + 1),
        .name = wp_row_text(r, c + 2),
        .format = wp_row_text(r, c + 3),
        .sha256 = wp_row_text(r, c + 4),
        .ingested_at = wp_row_text(r, c + 5),
        .size_bytes = wp_row_int(r, c + 6),
        .rows_ingested = wp_row_int(r, c + 7),
        .rows_rejected = wp_row_int(r, c + 8),
    };
}

/* The caller's callback and whether it stopped the read. */
struct each {
    union {
        int (*run)(void *ctx, const struct wp_run_row *r);
        int (*value)(void *ctx, const struct wp_run_value_row *r);
        int (*experiment)(void *ctx, const struct wp_experiment_row *r);
        int (*attr)(void *ctx, long long experiment_id, const char *value);
        int (*hardware)(void *ctx, const struct wp_hardware_row *r);
        int (*rejected)(void *ctx, const struct wp_rejected_row *r);
        int (*source)(void *ctx, const struct wp_source_row *r);
        int (*model_source)(void *ctx, const char *model, const struct wp_source_row *r);
        int (*text)(void *ctx, const char *value);
    } fn;
    void *ctx;
    bool stopped;
};

static int on_run(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    struct wp_run_row w = {
        .run_id = wp_row_int(r, 0),
        .experiment_id = wp_row_int(r, 1),
        .run_uid = wp_row_text(r, 2),
        .model = wp_row_text(r, 3),
        .task = wp_row_text(r, 4),
        .dataset = wp_row_text(r, 5),
        .inferences = wp_row_int(r, 6),
        .batch_size = wp_row_int(r, 7),
        .parameters = wp_row_int(r, 8),
        .phases = wp_row_text(r, 9),
        .source_file = wp_row_text(r, 10),
        .line = (long)wp_row_int(r, 11),
        .started_at = wp_row_text(r, 12),
        .duration_s = wp_row_real(r, 13),
        .energy_j = wp_row_real(r, 14),
        .cpu_energy_j = wp_row_real(r, 15),
        .gpu_energy_j = wp_row_real(r, 16),
        .ram_energy_j = wp_row_real(r, 17),
        .emissions_g = wp_row_real(r, 18),
        .pue = wp_row_real(r, 19),
        .gpu_model = wp_row_text(r, 20),
        .cpu_model = wp_row_text(r, 21),
        .country_iso_code = wp_row_text(r, 22),
        .region = wp_row_text(r, 23),
        .tool = wp_row_text(r, 24),
        .tool_version = wp_row_text(r, 25),
        .purpose = wp_row_text(r, 26),
        .training_energy_j = wp_row_real(r, 27),
        .token_samples = wp_row_int(r, 28),
        .input_tokens = wp_row_int(r, 29),
        .output_tokens = wp_row_int(r, 30),
        .cpu_count = wp_row_real(r, 31),
        .gpu_count = wp_row_real(r, 32),
        .ram_total_bytes = wp_row_real(r, 33),
        .os = wp_row_text(r, 34),
        .python_version = wp_row_text(r, 35),
        .cpu_basis = wp_row_text(r, 36),
        .gpu_basis = wp_row_text(r, 37),
        .ram_basis = wp_row_text(r, 38),
    };
    w.carbon_intensity_g_per_kwh = NAN;
    if (!isnan(w.emissions_g) && !isnan(w.energy_j) && w.energy_j > 0)
        w.carbon_intensity_g_per_kwh = w.emissions_g / (w.energy_j / WP_J_PER_KWH);
    return c->fn.run(c->ctx, &w);
}

enum wp_err wp_store_r_each_run(struct wp_store *s, const struct wp_run_filter *f,
                                int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                                struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, f->phase);
    wp_arg_text(&a, f->task);
    wp_arg_text(&a, f->model);
    wp_arg_text(&a, f->dataset);
    wp_arg_int(&a, f->labeled_only);
    struct each c = {.fn.run = fn, .ctx = ctx};
    return s->ops->exec(s, f->by_run_id ? Q_EACH_RUN_BY_ID : Q_EACH_RUN, &a, on_run, &c, NULL,
                        d);
}

static int on_value(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    struct wp_run_value_row v = {
        .run_id = wp_row_int(r, 0),
        .experiment_id = wp_row_int(r, 1),
        .hardware_id = wp_row_int(r, 2),
        .energy_j = wp_row_real(r, 3),
        .cpu_energy_j = wp_row_real(r, 4),
        .gpu_energy_j = wp_row_real(r, 5),
        .ram_energy_j = wp_row_real(r, 6),
        .emissions_g = wp_row_real(r, 7),
        .started_at = wp_row_text(r, 8),
        .modelled = (unsigned)wp_row_int(r, 9),
        .pue = wp_row_real(r, 10),
    };
    return (c->stopped = c->fn.value(c->ctx, &v) != 0);
}

static int on_energy(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    struct wp_run_value_row v = {
        .run_id = wp_row_int(r, 0),
        .experiment_id = wp_row_int(r, 1),
        .energy_j = wp_row_real(r, 2),
        .cpu_energy_j = NAN,
        .gpu_energy_j = NAN,
        .ram_energy_j = NAN,
        .emissions_g = wp_row_real(r, 3),
        .started_at = "",
        .pue = NAN,
    };
    return (c->stopped = c->fn.value(c->ctx, &v) != 0);
}

enum wp_err wp_store_r_each_run_value(struct wp_store *s, const char *phase, bool energy_only,
                                      int (*fn)(void *ctx, const struct wp_run_value_row *r),
                                      void *ctx, struct wp_diag *d)
{
    struct each c = {.fn.value = fn, .ctx = ctx};
    struct wp_args a = {0};
    wp_arg_text(&a, phase);
    wp_row_fn row = energy_only ? on_energy : on_value;
    enum wp_err e = s->ops->exec(s, energy_only ? Q_RUN_ENERGY : Q_RUN_VALUES, &a, row, &c,
                                 NULL, d);
    if (!e && !c.stopped && !phase)
        e = s->ops->exec(s, energy_only ? Q_RUN_ENERGY_PHASED : Q_RUN_VALUES_PHASED, NULL, row,
                         &c, NULL, d);
    return e;
}

static int on_experiment(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    struct wp_experiment_row x = {
        .id = wp_row_int(r, 0),
        .model = wp_row_text(r, 1),
        .task = wp_row_text(r, 2),
        .dataset = wp_row_text(r, 3),
        .purpose = wp_row_text(r, 4),
        .inferences = wp_row_int(r, 5),
        .batch_size = wp_row_int(r, 6),
        .parameters = wp_row_int(r, 7),
        .training_energy_j = wp_row_real(r, 8),
        .token_samples = wp_row_int(r, 9),
        .input_tokens = wp_row_int(r, 10),
        .output_tokens = wp_row_int(r, 11),
    };
    return c->fn.experiment(c->ctx, &x);
}

enum wp_err wp_store_r_each_experiment(struct wp_store *s,
                                       int (*fn)(void *ctx, const struct wp_experiment_row *r),
                                       void *ctx, struct wp_diag *d)
{
    struct each c = {.fn.experiment = fn, .ctx = ctx};
    return s->ops->exec(s, Q_EXPERIMENTS, NULL, on_experiment, &c, NULL, d);
}

static int on_attr(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    return c->fn.attr(c->ctx, wp_row_int(r, 0), wp_row_text(r, 1));
}

enum wp_err wp_store_r_each_experiment_attr(struct wp_store *s, const char *key,
                                            int (*fn)(void *ctx, long long experiment_id,
                                                      const char *value),
                                            void *ctx, struct wp_diag *d)
{
    struct each c = {.fn.attr = fn, .ctx = ctx};
    struct wp_args a = {0};
    wp_arg_text(&a, key);
    return s->ops->exec(s, Q_EXPERIMENT_ATTR, &a, on_attr, &c, NULL, d);
}

static int on_hardware(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    struct wp_hardware_row h = {
        .id = wp_row_int(r, 0),
        .gpu_model = wp_row_text(r, 1),
        .cpu_model = wp_row_text(r, 2),
    };
    return c->fn.hardware(c->ctx, &h);
}

enum wp_err wp_store_r_each_hardware(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_hardware_row *r),
                                     void *ctx, struct wp_diag *d)
{
    struct each c = {.fn.hardware = fn, .ctx = ctx};
    return s->ops->exec(s, Q_HARDWARE, NULL, on_hardware, &c, NULL, d);
}

static int on_rejected(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    struct wp_rejected_row x = {
        .file = wp_row_text(r, 0),
        .line = (long)wp_row_int(r, 1),
        .col = (long)wp_row_int(r, 2),
        .reason = wp_row_text(r, 3),
        .text = wp_row_text(r, 4),
    };
    return c->fn.rejected(c->ctx, &x);
}

enum wp_err wp_store_r_each_rejected(struct wp_store *s,
                                     int (*fn)(void *ctx, const struct wp_rejected_row *r),
                                     void *ctx, struct wp_diag *d)
{
    struct each c = {.fn.rejected = fn, .ctx = ctx};
    return s->ops->exec(s, Q_EACH_REJECTED, NULL, on_rejected, &c, NULL, d);
}

static int on_source(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    struct wp_source_row x = source_row(r, 0);
    return c->fn.source(c->ctx, &x);
}

enum wp_err wp_store_r_each_source(struct wp_store *s,
                                   int (*fn)(void *ctx, const struct wp_source_row *r),
                                   void *ctx, struct wp_diag *d)
{
    struct each c = {.fn.source = fn, .ctx = ctx};
    return s->ops->exec(s, Q_EACH_SOURCE, NULL, on_source, &c, NULL, d);
}

static int on_model_source(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    struct wp_source_row x = source_row(r, 1);
    return c->fn.model_source(c->ctx, wp_row_text(r, 0), &x);
}

enum wp_err wp_store_r_each_model_source(struct wp_store *s, const struct wp_run_filter *f,
                                         int (*fn)(void *ctx, const char *model,
                                                   const struct wp_source_row *r),
                                         void *ctx, struct wp_diag *d)
{
    struct wp_args a = {0};
    wp_arg_text(&a, f->phase);
    wp_arg_text(&a, f->task);
    wp_arg_text(&a, f->model);
    wp_arg_text(&a, f->dataset);
    wp_arg_text(&a, f->where_key);
    wp_arg_text(&a, f->where_value);
    struct each c = {.fn.model_source = fn, .ctx = ctx};
    return s->ops->exec(s, Q_MODEL_SOURCES, &a, on_model_source, &c, NULL, d);
}

static int on_counts(void *ctx, const struct wp_row *r)
{
    struct wp_store_counts *out = ctx;
    out->sources = wp_row_int(r, 0);
    out->runs = wp_row_int(r, 1);
    out->measurements = wp_row_int(r, 2);
    out->unlabeled_runs = wp_row_int(r, 3);
    out->rejected = wp_row_int(r, 4);
    return 1;
}

enum wp_err wp_store_r_counts(struct wp_store *s, struct wp_store_counts *out,
                              struct wp_diag *d)
{
    *out = (struct wp_store_counts){0};
    return s->ops->exec(s, Q_COUNTS, NULL, on_counts, out, NULL, d);
}

static int on_text(void *ctx, const struct wp_row *r)
{
    struct each *c = ctx;
    return c->fn.text(c->ctx, wp_row_text(r, 0));
}

enum wp_err wp_store_r_each_text(struct wp_store *s, int q,
                                 int (*fn)(void *ctx, const char *value), void *ctx,
                                 struct wp_diag *d)
{
    struct each c = {.fn.text = fn, .ctx = ctx};
    return s->ops->exec(s, q, NULL, on_text, &c, NULL, d);
}
