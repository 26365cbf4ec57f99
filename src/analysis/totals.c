/* Per-task totals from a stream of runs (see totals.h). */
#include "analysis/totals.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runs.h"
#include "util/array.h"

/* gsl_stats_mean's recurrence, mean += (x - mean) / (i + 1) in long double, one value at a
 * time: the same bits as gsl_stats_mean over the values in the order they came
 * (tests/stats/test_totals.c). */
struct running_mean {
    long double mean;
    size_t n;
};

static void add(struct running_mean *m, double x)
{
    if (!isfinite(x))
        return; /* as wp_stats_describe: missing values are skipped */
    m->mean += (x - m->mean) / (m->n + 1);
    m->n++;
}

struct acc {
    struct wp_task_total t;
    struct running_mean kwh, g;
    long long last_run;
    long long *exps; /* the experiments seen, sorted */
    size_t n_exps, cap_exps;
    long long last_exp;
};

struct stream {
    struct acc *v;
    size_t n, cap, last;
    struct wp_task_totals *out;
    enum wp_err err;
};

static struct acc *acc_for(struct stream *s, const char *task)
{
    if (s->last < s->n && strcmp(s->v[s->last].t.task, task) == 0)
        return &s->v[s->last];
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].t.task, task) == 0)
            return &s->v[s->last = i];
    if (WP_ARRAY_GROW(s->v, s->n + 1, s->cap))
        return NULL;
    struct acc *a = &s->v[s->n];
    memset(a, 0, sizeof *a);
    if (!(a->t.task = strdup(task)))
        return NULL;
    s->last = s->n++;
    return a;
}

/* Adds experiment id to the sorted set; false when out of memory. */
static bool see_experiment(struct acc *a, long long id)
{
    if (a->n_exps && a->last_exp == id)
        return true; /* runs of one experiment mostly come together */
    a->last_exp = id;
    size_t lo = wp_ids_lower_bound(a->exps, a->n_exps, id);
    if (lo < a->n_exps && a->exps[lo] == id)
        return true;
    if (WP_ARRAY_GROW(a->exps, a->n_exps + 1, a->cap_exps))
        return false;
    memmove(a->exps + lo + 1, a->exps + lo, (a->n_exps - lo) * sizeof *a->exps);
    a->exps[lo] = id;
    a->n_exps++;
    return true;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct stream *s = ctx;
    struct wp_task_totals *o = s->out;
    if (!wp_run_tally(r, &o->runs_seen, &o->skipped_unlabeled, &o->skipped_no_inferences,
                      &o->skipped_no_energy, &o->skipped_no_above_idle))
        return 0;
    struct acc *a = acc_for(s, r->task);
    if (!a || !see_experiment(a, r->experiment_id)) {
        s->err = WP_ERR_NOMEM;
        return 1;
    }
    if (a->t.n_runs && r->run_id <= a->last_run) {
        o->is_ordered = false; /* the running means would be in another order */
        return 1;
    }
    a->last_run = r->run_id;
    a->t.n_runs++;
    struct wp_run_value v;
    wp_run_value_of(r, &v);
    add(&a->kwh, v.kwh_per_1k);
    add(&a->g, v.g_per_1k);
    return 0;
}

static int by_task(const void *pa, const void *pb)
{
    return strcmp(((const struct wp_task_total *)pa)->task,
                  ((const struct wp_task_total *)pb)->task);
}

enum wp_err wp_task_totals(struct wp_store *st, const struct wp_run_filter *f,
                           struct wp_task_totals *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->is_ordered = true;
    struct stream s = {.out = out};
    struct wp_run_filter lf = *f;
    lf.labeled_only = true; /* as the analysis reads them */
    lf.energy_only = true;
    enum wp_err e = wp_runs_each(st, &lf, on_run, &s, d);
    if (!e && s.err)
        e = wp_diag_set(d, s.err, NULL, 0, 0, "out of memory");
    if (!e && out->is_ordered && s.n && !(out->v = malloc(s.n * sizeof *out->v)))
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < s.n; i++) {
        struct acc *a = &s.v[i];
        free(a->exps);
        if (e || !out->is_ordered) {
            free(a->t.task);
            continue;
        }
        a->t.n_experiments = a->n_exps;
        a->t.mean_kwh_per_1k = a->kwh.n ? (double)a->kwh.mean : NAN;
        a->t.mean_g_per_1k = a->g.n ? (double)a->g.mean : NAN;
        out->v[out->n++] = a->t;
    }
    free(s.v);
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, by_task);
    return e;
}

void wp_task_totals_free(struct wp_task_totals *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].task);
    free(t->v);
    memset(t, 0, sizeof *t);
}
