/* Grouping of per-run values for statistics (see runs.h). */
#include "stats/runs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct collector {
    struct wp_groups *g;
    enum wp_group_by by;
    enum wp_err err;
    struct wp_diag *d;
};

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static char *dup_or_null(const char *s, bool *fail)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    *fail |= !c;
    return c;
}

static struct wp_group *group_for(struct collector *c, const struct wp_run_row *r)
{
    enum wp_group_by by = c->by;
    const char *task = by == WP_BY_TASK || by == WP_BY_MODEL_TASK ? r->task : NULL;
    const char *model = by == WP_BY_MODEL || by == WP_BY_MODEL_TASK ? r->model : NULL;
    const char *dataset = by == WP_BY_DATASET ? r->dataset : NULL;
    const char *hw = by == WP_BY_HARDWARE ? (*r->gpu_model ? r->gpu_model : r->cpu_model) : NULL;
    struct wp_groups *g = c->g;
    /* runs arrive ordered by task, model, dataset: usually the group is the last one */
    for (size_t i = g->n; i-- > 0;) {
        struct wp_group *x = &g->v[i];
        if (same(x->task, task) && same(x->model, model) && same(x->dataset, dataset) &&
            same(x->hardware, hw))
            return x;
    }
    struct wp_group *v = realloc(g->v, (g->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    g->v = v;
    struct wp_group *x = &g->v[g->n++];
    memset(x, 0, sizeof *x);
    bool fail = false;
    x->task = dup_or_null(task, &fail);
    x->model = dup_or_null(model, &fail);
    x->dataset = dup_or_null(dataset, &fail);
    x->hardware = dup_or_null(hw, &fail);
    x->purpose = dup_or_null(*r->purpose ? r->purpose : NULL, &fail);
    x->parameters = r->parameters;
    x->training_energy_j = r->training_energy_j;
    return fail ? NULL : x;
}

static int push(struct wp_group *x, const struct wp_run_value *v)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        struct wp_run_value *r = realloc(x->runs, cap * sizeof *r);
        if (!r)
            return -1;
        x->runs = r;
        x->cap = cap;
    }
    x->runs[x->n++] = *v;
    return 0;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct collector *c = ctx;
    struct wp_groups *g = c->g;
    g->runs_seen++;
    if (!*r->task || !*r->model || !*r->dataset) {
        g->skipped_unlabeled++;
        return 0;
    }
    if (r->inferences <= 0) {
        g->skipped_no_inferences++;
        return 0;
    }
    if (isnan(r->energy_j)) {
        g->skipped_no_energy++;
        return 0;
    }
    double per = 1000.0 / (double)r->inferences / 3.6e6; /* J per run -> kWh per 1,000 */
    struct wp_run_value v = {
        .kwh_per_1k = r->energy_j * per,
        .g_per_1k = r->emissions_g * 1000.0 / (double)r->inferences,
        .cpu_kwh_per_1k = r->cpu_energy_j * per,
        .gpu_kwh_per_1k = r->gpu_energy_j * per,
        .ram_kwh_per_1k = r->ram_energy_j * per,
        .experiment = r->experiment_id,
        .parameters = r->parameters,
        .purpose = strcmp(r->purpose, "task-specific") == 0   ? WP_PURPOSE_SPECIFIC
                   : strcmp(r->purpose, "multi-purpose") == 0 ? WP_PURPOSE_MULTI
                                                               : WP_PURPOSE_UNKNOWN,
    };
    if (strcmp(r->started_at, g->newest) > 0)
        snprintf(g->newest, sizeof g->newest, "%s", r->started_at);
    struct wp_group *x = group_for(c, r);
    if (!x || push(x, &v)) {
        c->err = wp_diag_set(c->d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        return 1;
    }
    return 0;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* Counts the distinct experiments of each group. */
static enum wp_err count_experiments(struct wp_groups *g, struct wp_diag *d)
{
    for (size_t i = 0; i < g->n; i++) {
        struct wp_group *x = &g->v[i];
        long long *ids = malloc((x->n ? x->n : 1) * sizeof *ids);
        if (!ids)
            return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        for (size_t k = 0; k < x->n; k++)
            ids[k] = x->runs[k].experiment;
        qsort(ids, x->n, sizeof *ids, cmp_ll);
        x->n_experiments = 0;
        for (size_t k = 0; k < x->n; k++)
            x->n_experiments += k == 0 || ids[k] != ids[k - 1];
        free(ids);
    }
    return WP_OK;
}

enum wp_err wp_groups_collect(struct wp_store *s, const struct wp_run_filter *f,
                              enum wp_group_by by, struct wp_groups *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct collector c = {.g = out, .by = by, .d = d};
    enum wp_err e = wp_store_each_run(s, f, on_run, &c, d);
    if (!e)
        e = c.err;
    if (!e)
        e = count_experiments(out, d);
    if (e)
        wp_groups_free(out);
    return e;
}

void wp_groups_free(struct wp_groups *g)
{
    for (size_t i = 0; i < g->n; i++) {
        struct wp_group *x = &g->v[i];
        free(x->task);
        free(x->model);
        free(x->dataset);
        free(x->hardware);
        free(x->purpose);
        free(x->runs);
    }
    free(g->v);
    memset(g, 0, sizeof *g);
}

double *wp_group_column(const struct wp_group *g, size_t field_offset)
{
    double *out = malloc((g->n ? g->n : 1) * sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < g->n; i++)
        memcpy(&out[i], (const char *)&g->runs[i] + field_offset, sizeof out[i]);
    return out;
}
