/* Repetitions needed (plan.h): the variance components of a nested design by moments and
 * the counts that would bring the model-level t interval within a share of the mean.  The
 * half-width of a design of M units, E experiments per unit and R runs per experiment is
 * t(M-1) sqrt((var_unit + var_exp / E + var_run / (E R)) / M). */
#include "analysis/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "analysis/runs.h"

static double exp_mean(const struct wp_design *d, size_t e)
{
    double s = 0.0;
    for (size_t j = d->exp_start[e]; j < d->exp_start[e + 1]; j++)
        s += d->x[j];
    return s / (double)(d->exp_start[e + 1] - d->exp_start[e]);
}

/* var_run: pooled within-experiment variance; *inv_n: mean of 1/runs over experiments. */
static void runs_component(const struct wp_design *d, struct wp_plan *p, double *inv_n)
{
    double ss = 0.0, df = 0.0, inv = 0.0;
    for (size_t e = 0; e < d->n_exp; e++) {
        size_t a = d->exp_start[e], n = d->exp_start[e + 1] - a;
        double m = exp_mean(d, e);
        for (size_t j = a; j < a + n; j++)
            ss += (d->x[j] - m) * (d->x[j] - m);
        df += (double)(n - 1);
        inv += 1.0 / (double)n;
    }
    *inv_n = inv / (double)d->n_exp;
    p->has_var_run = df > 0;
    p->var_run = df > 0 ? ss / df : 0.0;
}

/* var_exp: pooled variance of experiment means within units, less the runs' share. */
static void exps_component(const struct wp_design *d, struct wp_plan *p, double inv_n,
                           double *unit_means)
{
    double ss = 0.0, df = 0.0;
    for (size_t u = 0; u < d->n_units; u++) {
        size_t a = d->unit_start[u], ne = d->unit_start[u + 1] - a;
        double m = 0.0;
        for (size_t e = a; e < a + ne; e++)
            m += exp_mean(d, e);
        m /= (double)ne;
        unit_means[u] = m;
        for (size_t e = a; e < a + ne; e++)
            ss += (exp_mean(d, e) - m) * (exp_mean(d, e) - m);
        df += (double)(ne - 1);
    }
    p->has_var_exp = df > 0;
    double v = df > 0 ? ss / df - p->var_run * inv_n : 0.0;
    p->var_exp = v > 0 ? v : 0.0;
}

/* The t interval's half-width (a share of the mean) for m units, e experiments, r runs. */
static double half(const struct wp_plan *p, double level, double m, double e, double r)
{
    if (m < 2)
        return INFINITY;
    double t = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, m - 1.0);
    double v = (p->var_unit + p->var_exp / e + p->var_run / (e * r)) / m;
    return t * sqrt(v) / fabs(p->mean);
}

/* The smallest k in [1, WP_PLAN_MAX] with f(k) <= target, by bisection (the half-width
 * falls as any count grows); 0 when even WP_PLAN_MAX does not reach it. */
static size_t smallest(const struct wp_plan *p, double level, int which)
{
    double m = (double)p->n_units, e = p->exps_per_unit, r = p->runs_per_exp;
    size_t lo = which == 2 ? 2 : 1, hi = WP_PLAN_MAX;
#define AT(k) half(p, level, which == 2 ? (double)(k) : m, which == 1 ? (double)(k) : e, \
                   which == 0 ? (double)(k) : r)
    if (!(AT(hi) <= p->target))
        return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (AT(mid) <= p->target)
            hi = mid;
        else
            lo = mid + 1;
    }
#undef AT
    return lo;
}

enum wp_err wp_stats_plan(const struct wp_design *d, double level, double target,
                          struct wp_plan *p)
{
    if (!d || !p || !(target > 0.0) || !(level > 0.0 && level < 1.0))
        return WP_ERR_USAGE;
    memset(p, 0, sizeof *p);
    p->target = target;
    p->half_now = NAN;
    if (!d->n_units)
        return WP_ERR_EMPTY;
    double *um = malloc(d->n_units * sizeof *um), inv_n;
    if (!um)
        return WP_ERR_NOMEM;
    p->n_units = d->n_units;
    p->exps_per_unit = (double)d->n_exp / (double)d->n_units;
    p->runs_per_exp = (double)d->n / (double)d->n_exp;
    runs_component(d, p, &inv_n);
    exps_component(d, p, inv_n, um);
    double mean = 0.0, vm = 0.0, share = 0.0;
    for (size_t u = 0; u < d->n_units; u++)
        mean += um[u];
    mean /= (double)d->n_units;
    for (size_t u = 0; u < d->n_units; u++) {
        vm += (um[u] - mean) * (um[u] - mean);
        double ne = (double)(d->unit_start[u + 1] - d->unit_start[u]);
        share += (p->var_exp + p->var_run * inv_n) / ne;
    }
    p->mean = mean;
    if (d->n_units >= 2) {
        vm /= (double)(d->n_units - 1); /* sample variance of unit means, n-1 */
        double v = vm - share / (double)d->n_units;
        p->var_unit = v > 0 ? v : 0.0;
        double t = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, (double)d->n_units - 1.0);
        p->half_now = t * sqrt(vm / (double)d->n_units) / fabs(mean);
        p->is_reached = p->half_now <= target;
    }
    free(um);
    if (!(mean != 0.0))
        return WP_OK;
    p->runs_needed = p->has_var_run ? smallest(p, level, 0) : 0;
    p->exps_needed = p->has_var_exp ? smallest(p, level, 1) : 0;
    p->units_needed = smallest(p, level, 2);
    return WP_OK;
}

/* ---- per group ------------------------------------------------------------------------ */

static long long key_of(const struct wp_run_value *r, enum wp_unit u)
{
    return u == WP_UNIT_MODEL ? r->model : u == WP_UNIT_EXPERIMENT ? r->experiment : r->run_id;
}

static enum wp_err group_plan(const struct wp_group *g, enum wp_unit u, bool over_exps,
                              double level, double target, struct wp_plan *p)
{
    size_t n = g->n ? g->n : 1;
    double *x = malloc(n * sizeof *x);
    long long *unit = malloc(n * sizeof *unit), *exp = malloc(n * sizeof *exp);
    struct wp_design d = {0};
    enum wp_err e = x && unit && exp ? WP_OK : WP_ERR_NOMEM;
    for (size_t i = 0; !e && i < g->n; i++) {
        x[i] = g->runs[i].kwh_per_1k;
        unit[i] = key_of(&g->runs[i], u);
        /* a run as its own unit is its own experiment too */
        exp[i] = u == WP_UNIT_RUN && !over_exps ? g->runs[i].run_id : g->runs[i].experiment;
    }
    if (!e)
        e = wp_stats_design_new(x, unit, exp, g->n, &d);
    if (!e)
        e = wp_stats_plan(&d, level, target, p);
    wp_stats_design_free(&d);
    free(x);
    free(unit);
    free(exp);
    return e;
}

static char *dup_or_null(const char *s, bool *nomem)
{
    char *c = s ? strdup(s) : NULL;
    *nomem |= s && !c;
    return c;
}

enum wp_err wp_plans_run(struct wp_store *s, const struct wp_analysis_opts *o, double target,
                         struct wp_plans *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->unit = wp_analysis_unit(o);
    struct wp_groups g;
    enum wp_err e = wp_groups_collect(s, &o->filter, o->by, &g, d);
    if (e)
        return e;
    out->v = calloc(g.n ? g.n : 1, sizeof *out->v);
    if (!out->v)
        e = WP_ERR_NOMEM;
    for (size_t i = 0; !e && i < g.n; i++) {
        struct wp_plan_row *r = &out->v[out->n];
        bool nomem = false;
        r->task = dup_or_null(g.v[i].task, &nomem);
        r->model = dup_or_null(g.v[i].model, &nomem);
        r->dataset = dup_or_null(g.v[i].dataset, &nomem);
        r->hardware = dup_or_null(g.v[i].hardware, &nomem);
        out->n++;
        e = nomem ? WP_ERR_NOMEM
                  : group_plan(&g.v[i], out->unit, o->over_experiments, o->level, target,
                               &r->plan);
        if (e == WP_ERR_EMPTY)
            e = WP_OK; /* a group with no finite value: its plan says nothing (n_units 0) */
    }
    wp_groups_free(&g);
    if (e) {
        wp_diag_set(d, e, NULL, 0, 0, "plan: %s", wp_strerror(e));
        wp_plans_free(out);
    }
    return e;
}

void wp_plans_free(struct wp_plans *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].task);
        free(p->v[i].model);
        free(p->v[i].dataset);
        free(p->v[i].hardware);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}
