/* Grouping of per-run values for statistics (see runs.h). */
#include "stats/runs.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct collector {
    struct wp_groups *g;
    enum wp_group_by by;
    long long last_exp;
    enum wp_err err;
    struct wp_diag *d;
};

static bool same(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static struct wp_group *group_for(struct collector *c, const struct wp_run_row *r)
{
    const char *task = c->by == WP_BY_TASK || c->by == WP_BY_MODEL_TASK ? r->task : NULL;
    const char *model = c->by == WP_BY_MODEL || c->by == WP_BY_MODEL_TASK ? r->model : NULL;
    const char *dataset = c->by == WP_BY_DATASET ? r->dataset : NULL;
    struct wp_groups *g = c->g;
    /* runs arrive ordered by task, model, dataset: the group is usually the last one */
    for (size_t i = g->n; i-- > 0;) {
        struct wp_group *x = &g->v[i];
        if (same(x->task, task) && same(x->model, model) && same(x->dataset, dataset))
            return x;
        if (c->by == WP_BY_TASK || c->by == WP_BY_MODEL_TASK)
            break;
    }
    struct wp_group *v = realloc(g->v, (g->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    g->v = v;
    struct wp_group *x = &g->v[g->n++];
    memset(x, 0, sizeof *x);
    x->task = task ? strdup(task) : NULL;
    x->model = model ? strdup(model) : NULL;
    x->dataset = dataset ? strdup(dataset) : NULL;
    if ((task && !x->task) || (model && !x->model) || (dataset && !x->dataset))
        return NULL;
    return x;
}

static int push(struct wp_group *x, double kwh, double g, long long exp)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        double *a = realloc(x->kwh_per_1k, cap * sizeof *a);
        if (!a)
            return -1;
        x->kwh_per_1k = a;
        double *b = realloc(x->g_per_1k, cap * sizeof *b);
        if (!b)
            return -1;
        x->g_per_1k = b;
        long long *e = realloc(x->experiment, cap * sizeof *e);
        if (!e)
            return -1;
        x->experiment = e;
        x->cap = cap;
    }
    x->kwh_per_1k[x->n] = kwh;
    x->g_per_1k[x->n] = g;
    x->experiment[x->n++] = exp;
    return 0;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct collector *c = ctx;
    c->g->runs_seen++;
    if (!*r->task || !*r->model || !*r->dataset) {
        c->g->skipped_unlabeled++;
        return 0;
    }
    if (r->inferences <= 0) {
        c->g->skipped_no_inferences++;
        return 0;
    }
    if (isnan(r->energy_j)) {
        c->g->skipped_no_energy++;
        return 0;
    }
    double per = 1000.0 / (double)r->inferences;
    struct wp_group *x = group_for(c, r);
    if (!x || push(x, r->energy_j / 3.6e6 * per, r->emissions_g * per, r->experiment_id)) {
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
        memcpy(ids, x->experiment, x->n * sizeof *ids);
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
        free(x->kwh_per_1k);
        free(x->g_per_1k);
        free(x->experiment);
    }
    free(g->v);
    memset(g, 0, sizeof *g);
}
