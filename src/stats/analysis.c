/* The analysis (see analysis.h): groups from runs.c, statistics from the pure functions
 * of this module, assembled once for every output. */
#include "stats/analysis.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void wp_analysis_defaults(struct wp_analysis_opts *o)
{
    memset(o, 0, sizeof *o);
    o->by = WP_BY_TASK;
    o->level = WP_STATS_DEFAULT_LEVEL;
    o->boot = (struct wp_bootstrap)WP_BOOTSTRAP_DEFAULT;
    o->carbon_intensity_g_per_kwh = NAN;
    o->pue = NAN;
}

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

struct exp_value {
    long long experiment;
    double kwh, g;
    long long parameters;
};

static int by_experiment(const void *a, const void *b)
{
    long long x = ((const struct exp_value *)a)->experiment;
    long long y = ((const struct exp_value *)b)->experiment;
    return (x > y) - (x < y);
}

static bool sorted_by_experiment(const struct exp_value *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (v[i - 1].experiment > v[i].experiment)
            return false;
    return true;
}

/* The values statistics are over: each run's, or each experiment's mean of its runs
 * (every experiment weighted once).  *kwh and *g are new arrays of *n values. */
static enum wp_err values(const struct wp_group *x, bool over_experiments, double **kwh,
                          double **g, size_t *n)
{
    *kwh = wp_group_column(x, offsetof(struct wp_run_value, kwh_per_1k));
    *g = wp_group_column(x, offsetof(struct wp_run_value, g_per_1k));
    *n = x->n;
    if (!*kwh || !*g)
        return WP_ERR_NOMEM;
    if (!over_experiments)
        return WP_OK;
    struct exp_value *v = malloc((x->n ? x->n : 1) * sizeof *v);
    if (!v)
        return WP_ERR_NOMEM;
    for (size_t i = 0; i < x->n; i++)
        v[i] = (struct exp_value){x->runs[i].experiment, (*kwh)[i], (*g)[i], 0};
    if (!sorted_by_experiment(v, x->n))
        qsort(v, x->n, sizeof *v, by_experiment);
    size_t m = 0;
    for (size_t i = 0; i < x->n;) {
        size_t j = i, known_g = 0;
        double sk = 0, sg = 0;
        for (; j < x->n && v[j].experiment == v[i].experiment; j++) {
            sk += v[j].kwh;
            if (!isnan(v[j].g)) {
                sg += v[j].g;
                known_g++;
            }
        }
        (*kwh)[m] = sk / (double)(j - i);          /* mean of the experiment's runs */
        (*g)[m] = known_g ? sg / (double)known_g : NAN;
        m++;
        i = j;
    }
    free(v);
    *n = m;
    return WP_OK;
}

/* Energy shares of the group's summed components, over runs where all three are known. */
static void shares(const struct wp_group *x, struct wp_group_stats *st)
{
    double c = 0, gpu = 0, r = 0;
    for (size_t i = 0; i < x->n; i++) {
        const struct wp_run_value *v = &x->runs[i];
        if (isnan(v->cpu_kwh_per_1k) || isnan(v->gpu_kwh_per_1k) || isnan(v->ram_kwh_per_1k))
            continue;
        c += v->cpu_kwh_per_1k;
        gpu += v->gpu_kwh_per_1k;
        r += v->ram_kwh_per_1k;
    }
    double t = c + gpu + r;
    st->cpu_share = t > 0 ? c / t : NAN;
    st->gpu_share = t > 0 ? gpu / t : NAN;
    st->ram_share = t > 0 ? r / t : NAN;
}

/* One point per experiment (the mean of its runs, by experiment id), and the group's
 * mean GPU energy. */
static enum wp_err points(const struct wp_group *x, const char *model,
                          struct wp_group_stats *st, struct wp_diag *d)
{
    struct exp_value *v = malloc((x->n ? x->n : 1) * sizeof *v);
    st->points = calloc(x->n_experiments ? x->n_experiments : 1, sizeof *st->points);
    if (!v || !st->points) {
        free(v);
        return nomem(d);
    }
    double gpu = 0;
    size_t n_gpu = 0;
    for (size_t i = 0; i < x->n; i++) {
        const struct wp_run_value *r = &x->runs[i];
        v[i] = (struct exp_value){r->experiment, r->kwh_per_1k, r->g_per_1k, r->parameters};
        if (!isnan(r->gpu_kwh_per_1k)) {
            gpu += r->gpu_kwh_per_1k;
            n_gpu++;
        }
    }
    if (!sorted_by_experiment(v, x->n))
        qsort(v, x->n, sizeof *v, by_experiment);
    for (size_t i = 0; i < x->n;) {
        size_t j = i;
        double sk = 0, sg = 0;
        for (; j < x->n && v[j].experiment == v[i].experiment; j++) {
            sk += v[j].kwh;
            sg += v[j].g;
        }
        st->points[st->n_points++] = (struct wp_point){
            .kwh_per_1k = sk / (double)(j - i),
            .g_per_1k = sg / (double)(j - i),
            .parameters = v[i].parameters,
            .model = model,
        };
        i = j;
    }
    free(v);
    st->gpu_kwh_per_1k = n_gpu ? gpu / (double)n_gpu : NAN;
    return WP_OK;
}

struct tok_value {
    long long experiment;
    double kwh, tokens, output_tokens;
};

static int tok_by_experiment(const void *a, const void *b)
{
    long long x = ((const struct tok_value *)a)->experiment;
    long long y = ((const struct tok_value *)b)->experiment;
    return (x > y) - (x < y);
}

/* Energy per token of the group's experiments that have token counts: each experiment's
 * mean kWh per 1,000 inferences over its runs, then pooled by wp_stats_per_token. */
static enum wp_err per_token(const struct wp_group *x, struct wp_group_stats *st,
                             struct wp_diag *d)
{
    struct tok_value *v = malloc((x->n ? x->n : 1) * sizeof *v);
    double *kwh = malloc((x->n ? x->n : 1) * 3 * sizeof *kwh);
    if (!v || !kwh) {
        free(v);
        free(kwh);
        return nomem(d);
    }
    size_t m = 0;
    for (size_t i = 0; i < x->n; i++) {
        const struct wp_run_value *r = &x->runs[i];
        if (!isnan(r->tokens_per_inference))
            v[m++] = (struct tok_value){r->experiment, r->kwh_per_1k, r->tokens_per_inference,
                                        r->output_tokens_per_inference};
    }
    qsort(v, m, sizeof *v, tok_by_experiment);
    double *tok = kwh + x->n, *out = kwh + 2 * x->n;
    size_t k = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        double sum = 0;
        for (; j < m && v[j].experiment == v[i].experiment; j++)
            sum += v[j].kwh;
        kwh[k] = sum / (double)(j - i); /* the experiment's mean over its runs */
        tok[k] = v[i].tokens;           /* fixed per model and dataset */
        out[k++] = v[i].output_tokens;
        i = j;
    }
    enum wp_err e = wp_stats_per_token(kwh, tok, out, k, &st->tokens);
    free(v);
    free(kwh);
    return e == WP_OK || e == WP_ERR_EMPTY
               ? WP_OK
               : wp_diag_set(d, e, NULL, 0, 0, "per token: %s", wp_strerror(e));
}

static char *dup_or_null(const char *s, bool *fail)
{
    if (!s)
        return NULL;
    char *c = strdup(s);
    *fail |= !c;
    return c;
}

static enum wp_err group_stats(const struct wp_group *x, const struct wp_analysis_opts *o,
                               struct wp_group_stats *st, struct wp_diag *d)
{
    bool fail = false;
    st->task = dup_or_null(x->task, &fail);
    st->model = dup_or_null(x->model, &fail);
    st->dataset = dup_or_null(x->dataset, &fail);
    st->hardware = dup_or_null(x->hardware, &fail);
    st->purpose = dup_or_null(x->purpose, &fail);
    if (fail)
        return nomem(d);
    st->n_runs = x->n;
    st->n_experiments = x->n_experiments;
    st->parameters = x->parameters;
    st->training_energy_j = x->training_energy_j;
    double *kwh = NULL, *g = NULL;
    size_t n;
    enum wp_err e = values(x, o->over_experiments, &kwh, &g, &n);
    if (e) {
        free(kwh);
        free(g);
        return nomem(d);
    }
    st->n = n;
    /* WP_ERR_EMPTY from a statistic means "no values": the struct says so with NaN */
    e = wp_stats_describe(kwh, n, &st->kwh);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = wp_stats_ci_mean_t(kwh, n, o->level, &st->kwh_t);
    struct wp_bootstrap boot = o->boot;
    boot.level = o->level;
    st->kwh_boot = (struct wp_ci){.estimate = NAN, .lo = NAN, .hi = NAN, .level = o->level,
                                  .n = n, .is_small = n < 3};
    /* the bootstrap costs resamples x n draws: past WP_BOOT_MAX_DRAWS the t interval
     * (n large, so the mean is near normal) stands alone and boot_skipped says so */
    st->boot_skipped = !boot.resamples || o->boot_ratios_only ||
                       (double)boot.resamples * (double)n > WP_BOOT_MAX_DRAWS;
    if ((e == WP_OK || e == WP_ERR_EMPTY) && !st->boot_skipped)
        e = wp_stats_ci_mean_boot(kwh, n, &boot, &st->kwh_boot);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = wp_stats_describe(g, n, &st->g);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = wp_stats_ci_mean_t(g, n, o->level, &st->g_t);
    for (size_t q = 0; q < o->n_quantiles && (e == WP_OK || e == WP_ERR_EMPTY); q++)
        e = wp_stats_quantile(kwh, n, o->quantiles[q], &st->quantiles[q]);
    free(kwh);
    free(g);
    if (e != WP_OK && e != WP_ERR_EMPTY)
        return e == WP_ERR_NOMEM ? nomem(d)
                                 : wp_diag_set(d, e, NULL, 0, 0, "statistics: %s",
                                               wp_strerror(e));
    st->j_per_inference = st->kwh.mean * 3.6e6 / 1000.0;
    st->mg_per_inference = st->g.mean; /* g per 1,000 inferences = mg per inference */
    st->whatif_g_per_1k = NAN;
    if (!isnan(o->carbon_intensity_g_per_kwh)) {
        double pue = isnan(o->pue) ? 1.0 : o->pue;
        if (wp_stats_emissions_g(st->kwh.mean * 3.6e6, o->carbon_intensity_g_per_kwh, pue,
                                 &st->whatif_g_per_1k) != WP_OK)
            st->whatif_g_per_1k = NAN;
    }
    st->parity_inferences = NAN;
    if (!isnan(st->training_energy_j) &&
        wp_stats_parity(st->training_energy_j, st->j_per_inference, &st->parity_inferences))
        st->parity_inferences = NAN;
    shares(x, st);
    st->is_small = n < 3;
    if ((e = per_token(x, st, d)))
        return e;
    return points(x, st->model, st, d);
}

/* Most vs least energy-intensive group by mean kWh per 1,000 inferences. */
static enum wp_err headline(struct wp_analysis *a, const struct wp_groups *gs,
                            struct wp_diag *d)
{
    if (a->opts.by != WP_BY_TASK || a->n_groups < 2)
        return WP_OK;
    size_t hi = 0, lo = 0;
    for (size_t i = 1; i < a->n_groups; i++) {
        if (a->groups[i].kwh.mean > a->groups[hi].kwh.mean)
            hi = i;
        if (a->groups[i].kwh.mean < a->groups[lo].kwh.mean)
            lo = i;
    }
    double *x = NULL, *y = NULL, *gx = NULL, *gy = NULL;
    size_t nx, ny;
    enum wp_err e = values(&gs->v[hi], a->opts.over_experiments, &x, &gx, &nx);
    if (!e)
        e = values(&gs->v[lo], a->opts.over_experiments, &y, &gy, &ny);
    struct wp_bootstrap boot = a->opts.boot;
    boot.level = a->opts.level;
    if (!e && boot.resamples)
        e = wp_stats_ratio_boot(x, nx, y, ny, &boot, &a->headline.ratio);
    else if (!e) /* no bootstrap asked for: the ratio of means without an interval */
        a->headline.ratio = (struct wp_ratio){
            .mean_a = a->groups[hi].kwh.mean, .mean_b = a->groups[lo].kwh.mean,
            .ratio = a->groups[hi].kwh.mean / a->groups[lo].kwh.mean, .lo = NAN, .hi = NAN,
            .level = boot.level, .n_a = nx, .n_b = ny, .is_small = nx < 3 || ny < 3};
    if (!e || e == WP_ERR_EMPTY)
        e = wp_stats_welch_log10(x, nx, y, ny, &a->headline.welch);
    free(x);
    free(y);
    free(gx);
    free(gy);
    if (e && e != WP_ERR_EMPTY)
        return e == WP_ERR_NOMEM ? nomem(d)
                                 : wp_diag_set(d, e, NULL, 0, 0, "headline: %s",
                                               wp_strerror(e));
    a->headline.has = true;
    a->headline.most = &a->groups[hi];
    a->headline.least = &a->groups[lo];
    return WP_OK;
}

/* log10 energy on log10 parameters over the runs of one group (or all groups). */
static enum wp_err fit(const struct wp_group *v, size_t n_groups, struct wp_scaling *sc,
                       struct wp_diag *d)
{
    size_t total = 0;
    for (size_t i = 0; i < n_groups; i++)
        total += v[i].n;
    double *x = malloc((total ? total : 1) * sizeof *x);
    double *y = malloc((total ? total : 1) * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return nomem(d);
    }
    size_t n = 0;
    for (size_t i = 0; i < n_groups; i++)
        for (size_t k = 0; k < v[i].n; k++) {
            const struct wp_run_value *r = &v[i].runs[k];
            if (r->parameters <= 0 || !(r->kwh_per_1k > 0)) {
                sc->n_runs_without_parameters++;
                continue;
            }
            x[n] = log10((double)r->parameters);
            y[n++] = log10(r->kwh_per_1k);
        }
    enum wp_err e = wp_stats_fit_linear(x, y, n, &sc->fit);
    free(x);
    free(y);
    if (e && e != WP_ERR_EMPTY)
        return e == WP_ERR_NOMEM ? nomem(d)
                                 : wp_diag_set(d, e, NULL, 0, 0, "scaling: %s",
                                               wp_strerror(e));
    return WP_OK;
}

static enum wp_err scaling(struct wp_analysis *a, const struct wp_groups *gs,
                           struct wp_diag *d)
{
    if (a->opts.by != WP_BY_TASK)
        return WP_OK;
    a->scaling = calloc(gs->n + 1, sizeof *a->scaling);
    if (!a->scaling)
        return nomem(d);
    enum wp_err e = WP_OK;
    for (size_t i = 0; i < gs->n && !e; i++) {
        a->scaling[i].task = a->groups[i].task;
        e = fit(&gs->v[i], 1, &a->scaling[i], d);
    }
    if (!e)
        e = fit(gs->v, gs->n, &a->scaling[gs->n], d); /* all tasks */
    a->n_scaling = gs->n + 1;
    return e;
}

/* Splits a task's run values by purpose and compares the two sets. */
static enum wp_err purpose_one(const struct wp_group *x, const struct wp_analysis_opts *o,
                               struct wp_purpose_cmp *pc, bool *has, struct wp_diag *d)
{
    double *a = malloc((x->n ? x->n : 1) * sizeof *a), *b = malloc((x->n ? x->n : 1) * sizeof *b);
    size_t na = 0, nb = 0;
    enum wp_err e = WP_OK;
    if (!a || !b) {
        e = nomem(d);
        goto out;
    }
    for (size_t i = 0; i < x->n; i++) {
        if (x->runs[i].purpose == WP_PURPOSE_MULTI)
            a[na++] = x->runs[i].kwh_per_1k;
        else if (x->runs[i].purpose == WP_PURPOSE_SPECIFIC)
            b[nb++] = x->runs[i].kwh_per_1k;
    }
    *has = na && nb;
    if (!*has)
        goto out;
    struct wp_bootstrap boot = o->boot;
    boot.level = o->level;
    if (boot.resamples) {
        e = wp_stats_ratio_boot(a, na, b, nb, &boot, &pc->ratio);
    } else { /* no bootstrap asked for: the ratio of means without an interval */
        double ma = 0, mb = 0;
        for (size_t i = 0; i < na; i++)
            ma += a[i] / (double)na;
        for (size_t i = 0; i < nb; i++)
            mb += b[i] / (double)nb;
        pc->ratio = (struct wp_ratio){.mean_a = ma, .mean_b = mb, .ratio = ma / mb, .lo = NAN,
                                      .hi = NAN, .level = boot.level, .n_a = na, .n_b = nb,
                                      .is_small = na < 3 || nb < 3};
    }
    if (!e || e == WP_ERR_EMPTY)
        e = wp_stats_welch_log10(a, na, b, nb, &pc->welch);
    if (e == WP_ERR_EMPTY)
        e = WP_OK;
    if (e)
        e = e == WP_ERR_NOMEM ? nomem(d)
                              : wp_diag_set(d, e, NULL, 0, 0, "purpose: %s", wp_strerror(e));
out:
    free(a);
    free(b);
    return e;
}

/* Keeps the tasks whose runs have both purposes, in group order: each task's comparison
 * was computed beside its group's statistics into a->purpose[i], compacted here in place. */
static void purpose(struct wp_analysis *a, const bool *has)
{
    for (size_t i = 0; i < a->n_groups; i++)
        if (has[i]) {
            a->purpose[a->n_purpose] = a->purpose[i];
            a->purpose[a->n_purpose++].task = a->groups[i].task;
        }
}

/* ---- the groups' statistics, on every core ------------------------------------------ */

/* Each group's statistics depend on its values alone (every bootstrap seeds its own
 * generator), so groups are shared out among threads and the numbers are the same as
 * computed one after another.  Worker t takes groups t, t + n, t + 2n, ... */
struct worker {
    pthread_t id;
    size_t first, step;
    const struct wp_groups *gs;
    const struct wp_analysis_opts *o;
    struct wp_group_stats *out;
    struct wp_purpose_cmp *pcs; /* by task: each task's purpose comparison (the analysis'
                                   array, one per group until compacted), or NULL */
    bool *has;                  /* ... and whether it has both purposes */
    size_t failed_at; /* the first group that failed, or SIZE_MAX */
    enum wp_err e;
    struct wp_diag d;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    for (size_t i = w->first; i < w->gs->n; i += w->step) {
        w->e = group_stats(&w->gs->v[i], w->o, &w->out[i], &w->d);
        if (!w->e && w->pcs)
            w->e = purpose_one(&w->gs->v[i], w->o, &w->pcs[i], &w->has[i], &w->d);
        if (w->e) {
            w->failed_at = i;
            break;
        }
    }
    return NULL;
}

/* Threads worth starting: one per core, at most 8, and only for work that outweighs them
 * (bootstrap draws, roughly). */
static size_t threads_for(const struct wp_groups *gs, const struct wp_analysis_opts *o)
{
    if (o->threads)
        return o->threads > 8 ? 8 : o->threads > gs->n ? (gs->n ? gs->n : 1) : o->threads;
    double draws = 0;
    for (size_t i = 0; i < gs->n; i++) /* the group's mean, then its purpose ratio */
        draws += (double)gs->v[i].n * (double)(o->boot_ratios_only ? 1 : o->boot.resamples + 1) +
                 (o->by == WP_BY_TASK ? (double)gs->v[i].n * (double)o->boot.resamples : 0);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t n = cores > 1 ? (size_t)cores : 1;
    n = n > 8 ? 8 : n;
    n = n > gs->n ? gs->n : n;
    return draws < 2e6 || n < 2 ? 1 : n;
}

static enum wp_err all_groups(const struct wp_groups *gs, const struct wp_analysis_opts *o,
                              struct wp_group_stats *out, struct wp_purpose_cmp *pcs,
                              bool *has, struct wp_diag *d)
{
    struct worker w[8];
    bool started[8] = {false};
    size_t n = threads_for(gs, o);
    for (size_t t = 0; t < n; t++)
        w[t] = (struct worker){.first = t, .step = n, .gs = gs, .o = o, .out = out,
                               .pcs = pcs, .has = has, .failed_at = SIZE_MAX};
    for (size_t t = 1; t < n; t++)
        started[t] = pthread_create(&w[t].id, NULL, work, &w[t]) == 0;
    work(&w[0]);
    /* a thread that could not start leaves its share to this one: the same numbers */
    for (size_t t = 1; t < n; t++)
        if (started[t])
            pthread_join(w[t].id, NULL);
        else
            work(&w[t]);
    size_t first = 0;
    for (size_t t = 1; t < n; t++)
        if (w[t].failed_at < w[first].failed_at)
            first = t;
    if (w[first].failed_at == SIZE_MAX)
        return WP_OK;
    if (d)
        *d = w[first].d;
    return w[first].e;
}

enum wp_err wp_analysis_run(struct wp_store *s, const struct wp_analysis_opts *o,
                            struct wp_analysis *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->opts = *o;
    struct wp_run_filter f = o->filter;
    f.labeled_only = true;
    struct wp_groups gs;
    enum wp_err e = wp_groups_collect(s, &f, o->by, &gs, d);
    if (e)
        return e;
    out->runs_seen = gs.runs_seen;
    out->skipped_unlabeled = gs.skipped_unlabeled;
    out->skipped_no_inferences = gs.skipped_no_inferences;
    out->skipped_no_energy = gs.skipped_no_energy;
    memcpy(out->newest_measurement, gs.newest, sizeof out->newest_measurement);
    out->groups = calloc(gs.n ? gs.n : 1, sizeof *out->groups);
    if (!out->groups) {
        wp_groups_free(&gs);
        return nomem(d);
    }
    out->n_groups = gs.n;
    bool by_task = o->by == WP_BY_TASK, *has = NULL;
    if (by_task) {
        out->purpose = calloc(gs.n ? gs.n : 1, sizeof *out->purpose);
        has = calloc(gs.n ? gs.n : 1, sizeof *has);
        if (!out->purpose || !has)
            e = nomem(d);
    }
    /* without a caller's table, one for this analysis: its groups of one size share it */
    struct wp_boot_draws *own = NULL;
    struct wp_analysis_opts oo = *o;
    if (!oo.boot.draws && !e && !(oo.boot.draws = own = wp_boot_draws_new()))
        e = nomem(d);
    if (!e)
        e = all_groups(&gs, &oo, out->groups, out->purpose, has, d);
    wp_boot_draws_free(own);
    if (!e)
        e = headline(out, &gs, d);
    if (!e)
        e = scaling(out, &gs, d);
    if (!e && by_task)
        purpose(out, has);
    free(has);
    wp_groups_free(&gs);
    if (e)
        wp_analysis_free(out);
    return e;
}

void wp_analysis_free(struct wp_analysis *a)
{
    for (size_t i = 0; i < a->n_groups; i++) {
        struct wp_group_stats *g = &a->groups[i];
        free((char *)g->task);
        free((char *)g->model);
        free((char *)g->dataset);
        free((char *)g->hardware);
        free((char *)g->purpose);
        free(g->points);
    }
    free(a->groups);
    free(a->scaling);
    free(a->purpose);
    memset(a, 0, sizeof *a);
}
