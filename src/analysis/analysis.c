/* The analysis (see analysis.h): groups from runs.c, statistics from the pure functions
 * of this module, assembled once for every output. */
#include "analysis/analysis.h"
#include "stats/internal.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/cmp.h"
#include "util/units.h"

void wp_analysis_defaults(struct wp_analysis_opts *o)
{
    memset(o, 0, sizeof *o);
    o->by = WP_BY_TASK;
    o->level = WP_STATS_DEFAULT_LEVEL;
    o->boot = (struct wp_bootstrap)WP_BOOTSTRAP_DEFAULT;
    o->carbon_intensity_g_per_kwh = NAN;
    o->pue = NAN;
}

enum wp_unit wp_analysis_unit(const struct wp_analysis_opts *o)
{
    enum wp_unit u = o->unit;
    if (u == WP_UNIT_AUTO)
        u = o->by == WP_BY_MODEL || o->by == WP_BY_MODEL_TASK || o->by == WP_BY_MODEL_HARDWARE
                ? WP_UNIT_EXPERIMENT : WP_UNIT_MODEL;
    if (u == WP_UNIT_RUN && o->over_experiments)
        u = WP_UNIT_EXPERIMENT; /* the values are already experiments' means */
    return u;
}

/* A run's key at the unit's level and at the experiment's (a run is its own with unit
 * run: each run one experiment of one unit). */
static long long unit_key(const struct wp_run_value *r, enum wp_unit u)
{
    return u == WP_UNIT_MODEL ? r->model : u == WP_UNIT_EXPERIMENT ? r->experiment : r->run_id;
}

static long long exp_key(const struct wp_run_value *r, enum wp_unit u)
{
    return u == WP_UNIT_RUN ? r->run_id : r->experiment;
}

/* The nested design of one field of x's runs (offsetof in struct wp_run_value) at unit u,
 * over every run (`all`) or those of purpose `only`. */
static enum wp_err design_of(const struct wp_group *x, size_t field, enum wp_unit u,
                             enum wp_purpose only, bool all, struct wp_design *d)
{
    size_t cap = x->n ? x->n : 1;
    double *v = malloc(cap * sizeof *v);
    long long *uk = malloc(cap * sizeof *uk), *ek = malloc(cap * sizeof *ek);
    enum wp_err e = WP_ERR_NOMEM;
    if (v && uk && ek) {
        size_t m = 0;
        for (size_t i = 0; i < x->n; i++) {
            const struct wp_run_value *r = &x->runs[i];
            if (!all && r->purpose != only)
                continue;
            memcpy(&v[m], (const char *)r + field, sizeof v[m]);
            uk[m] = unit_key(r, u);
            ek[m++] = exp_key(r, u);
        }
        e = wp_stats_design_new(v, uk, ek, m, d);
    }
    free(v);
    free(uk);
    free(ek);
    return e;
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
    return wp_cmp_ll(x, y);
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

/* The part of the group's logged energy the IT equipment drew: its runs' energy without
 * the PUE their tools applied (CarbonTracker's energy holds one, 1.58 in its 2.x; so does
 * CodeCarbon's with a logged pue other than 1), over their energy as logged, weighted by
 * energy; 1 when no tool applied one.  A what-if PUE replaces the logged one: it applies to
 * this part alone, not on top of the logged PUE. */
static double it_share(const struct wp_group *x)
{
    double logged = 0, it = 0;
    for (size_t i = 0; i < x->n; i++) {
        double e = x->runs[i].kwh_per_1k;
        if (!isfinite(e))
            continue;
        double p = x->runs[i].logged_pue;
        logged += e;
        it += isfinite(p) && p > 0 ? e / p : e;
    }
    return logged > 0 ? it / logged : 1.0;
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

/* One point per experiment (the mean of its runs, by experiment id; emissions over the
 * runs that have them), and the group's mean GPU energy. */
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
        size_t j = i, known_g = 0;
        double sk = 0, sg = 0;
        for (; j < x->n && v[j].experiment == v[i].experiment; j++) {
            sk += v[j].kwh;
            if (!isnan(v[j].g)) { /* a run without emissions is missing, as in values() */
                sg += v[j].g;
                known_g++;
            }
        }
        st->points[st->n_points++] = (struct wp_point){
            .kwh_per_1k = sk / (double)(j - i),
            .g_per_1k = known_g ? sg / (double)known_g : NAN,
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
    return wp_cmp_ll(x, y);
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

/* Each unit's mean (from the design d), or with d NULL the finite values themselves, into
 * a new array *out of *n_out values. */
static enum wp_err unit_values(const struct wp_design *d, const double *v, size_t n,
                               double **out, size_t *n_out)
{
    size_t m = 0;
    if (!d)
        for (size_t i = 0; i < n; i++)
            m += isfinite(v[i]) != 0;
    else
        m = d->n_units;
    *out = malloc((m ? m : 1) * sizeof **out);
    *n_out = m;
    if (!*out)
        return WP_ERR_NOMEM;
    if (d)
        return m ? wp_stats_unit_means(d, *out) : WP_OK;
    for (size_t i = 0, k = 0; i < n; i++)
        if (isfinite(v[i]))
            (*out)[k++] = v[i];
    return WP_OK;
}

/* The group's intervals over the unit: with unit run the values' own t and bootstrap
 * intervals, else the t interval over unit means and the cluster bootstrap. */
static enum wp_err intervals(const struct wp_group *x, const struct wp_analysis_opts *o,
                             const double *kwh, const double *g, size_t n,
                             struct wp_group_stats *st)
{
    enum wp_unit u = wp_analysis_unit(o);
    bool over_values = u == WP_UNIT_RUN;
    struct wp_bootstrap boot = o->boot;
    boot.level = o->level;
    struct wp_design dk = {0}, dg = {0};
    enum wp_err e = WP_OK;
    if (!over_values) {
        e = design_of(x, offsetof(struct wp_run_value, kwh_per_1k), u, 0, true, &dk);
        if (e == WP_OK || e == WP_ERR_EMPTY)
            e = design_of(x, offsetof(struct wp_run_value, g_per_1k), u, 0, true, &dg);
        if (e && e != WP_ERR_EMPTY)
            goto out;
    }
    st->n_units = over_values ? st->kwh.n : dk.n_units;
    e = over_values ? wp_stats_ci_mean_t(kwh, n, o->level, &st->kwh_t)
                    : wp_stats_ci_cluster_t(&dk, o->level, &st->kwh_t);
    st->kwh_boot = (struct wp_ci){.estimate = NAN, .lo = NAN, .hi = NAN, .level = o->level,
                                  .n = st->n_units, .is_small = st->n_units < 3};
    /* the bootstrap costs resamples x runs draws: past WP_BOOT_MAX_DRAWS the t interval
     * stands alone and boot_skipped says so */
    st->boot_skipped = !boot.resamples || o->boot_ratios_only ||
                       (double)boot.resamples * (double)x->n > WP_BOOT_MAX_DRAWS;
    if ((e == WP_OK || e == WP_ERR_EMPTY) && !st->boot_skipped)
        e = over_values ? wp_stats_ci_mean_boot(kwh, n, &boot, &st->kwh_boot)
                        : wp_stats_ci_cluster_boot(&dk, &boot, &st->kwh_boot);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = over_values ? wp_stats_ci_mean_t(g, n, o->level, &st->g_t)
                        : wp_stats_ci_cluster_t(&dg, o->level, &st->g_t);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = unit_values(over_values ? NULL : &dk, kwh, n, &st->unit_kwh, &st->n_unit_kwh);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = unit_values(over_values ? NULL : &dg, g, n, &st->unit_g, &st->n_unit_g);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = wp_stats_box_log10(st->unit_kwh, st->n_unit_kwh, &st->box_kwh);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = wp_stats_box_log10(st->unit_g, st->n_unit_g, &st->box_g);
out:
    wp_stats_design_free(&dk);
    wp_stats_design_free(&dg);
    return e;
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
        e = wp_stats_describe(g, n, &st->g);
    if (e == WP_OK || e == WP_ERR_EMPTY)
        e = intervals(x, o, kwh, g, n, st);
    for (size_t q = 0; q < o->n_quantiles && (e == WP_OK || e == WP_ERR_EMPTY); q++)
        e = wp_stats_quantile(kwh, n, o->quantiles[q], &st->quantiles[q]);
    free(kwh);
    free(g);
    if (e != WP_OK && e != WP_ERR_EMPTY)
        return e == WP_ERR_NOMEM ? nomem(d)
                                 : wp_diag_set(d, e, NULL, 0, 0, "statistics: %s",
                                               wp_strerror(e));
    st->j_per_inference = st->kwh.mean * WP_J_PER_KWH / 1000.0;
    st->mg_per_inference = st->g.mean; /* g per 1,000 inferences = mg per inference */
    st->whatif_g_per_1k = NAN;
    if (!isnan(o->carbon_intensity_g_per_kwh)) {
        /* without --pue, the energy as logged (with any PUE its tool applied); with it, the
         * IT energy alone times the what-if PUE */
        double pue = isnan(o->pue) ? 1.0 : o->pue;
        double e_kwh = isnan(o->pue) ? st->kwh.mean : st->kwh.mean * it_share(x);
        if (wp_stats_emissions_g(e_kwh * WP_J_PER_KWH, o->carbon_intensity_g_per_kwh, pue,
                                 &st->whatif_g_per_1k) != WP_OK)
            st->whatif_g_per_1k = NAN;
    }
    st->parity_inferences = NAN;
    if (!isnan(st->training_energy_j) &&
        wp_stats_parity(st->training_energy_j, st->j_per_inference, &st->parity_inferences))
        st->parity_inferences = NAN;
    st->n_equiv = 0;
    double grams = isfinite(st->g.mean) && st->g.mean >= 0 ? st->g.mean : NAN;
    if (isfinite(st->kwh.mean) && st->kwh.mean >= 0 &&
        wp_stats_equivalents(st->kwh.mean * WP_J_PER_KWH, grams, st->equiv, WP_EQUIV_MAX,
                             &st->n_equiv) != WP_OK)
        st->n_equiv = 0;
    shares(x, st);
    st->is_small = n < 3;
    if ((e = per_token(x, st, d)))
        return e;
    return points(x, st->model, st, d);
}

/* Ratios of a over b (the runs of purpose pa / pb; `all` for every run) at unit u: of
 * means and of geometric means, each with its interval, and Welch's tests on the raw and
 * log10 unit means.  With unit run the unit means are the run values. */
struct two_sets {
    struct wp_ratio *ratio, *geo;
    struct wp_welch *welch_raw, *welch_log;
};

static enum wp_err compare_sets(const struct wp_group *xa, const struct wp_group *xb,
                                enum wp_purpose pa, enum wp_purpose pb, bool all,
                                const struct wp_analysis_opts *o, struct two_sets *out)
{
    enum wp_unit u = wp_analysis_unit(o);
    struct wp_bootstrap boot = o->boot;
    boot.level = o->level;
    size_t f = offsetof(struct wp_run_value, kwh_per_1k);
    struct wp_design da = {0}, db = {0};
    double *ma = NULL, *mb = NULL;
    static const struct wp_ratio none = {.mean_a = NAN, .mean_b = NAN, .ratio = NAN,
                                         .lo = NAN, .hi = NAN};
    if (out->ratio)
        *out->ratio = none;
    if (out->geo)
        *out->geo = none;
    enum wp_err e = design_of(xa, f, u, pa, all, &da);
    if (!e)
        e = design_of(xb, f, u, pb, all, &db);
    if (e)
        goto out;
    ma = wp_stats_alloc(da.n_units + 1);
    mb = wp_stats_alloc(db.n_units + 1);
    if (!ma || !mb) {
        e = WP_ERR_NOMEM;
        goto out;
    }
    wp_stats_unit_means(&da, ma);
    wp_stats_unit_means(&db, mb);
    /* the cluster bootstrap's draws grow with the runs: skip it past WP_BOOT_MAX_DRAWS */
    bool boot_ok = boot.resamples &&
                   (double)boot.resamples * (double)(da.n + db.n) <= WP_BOOT_MAX_DRAWS;
    if (!boot_ok)
        boot.resamples = 1; /* the point estimates, then the interval dropped below */
    if (u == WP_UNIT_RUN && out->ratio)
        e = wp_stats_ratio_boot(ma, da.n_units, mb, db.n_units, &boot, out->ratio);
    /* both ratios from one set of draws (they draw the same): each as it is alone */
    if (!e && (out->geo || (u != WP_UNIT_RUN && out->ratio)))
        e = wp_stats_ratio_cluster_both(&da, &db, &boot, u == WP_UNIT_RUN ? NULL : out->ratio,
                                        out->geo);
    for (int geometric = 0; geometric < 2 && !e && !boot_ok; geometric++) {
        struct wp_ratio *r = geometric ? out->geo : out->ratio;
        if (r)
            r->lo = r->hi = NAN;
    }
    if (!e && out->welch_raw)
        e = wp_stats_welch(ma, da.n_units, mb, db.n_units, out->welch_raw);
    if (!e || e == WP_ERR_EMPTY)
        e = wp_stats_welch_log10(ma, da.n_units, mb, db.n_units, out->welch_log);
out:
    free(ma);
    free(mb);
    wp_stats_design_free(&da);
    wp_stats_design_free(&db);
    return e == WP_ERR_EMPTY ? WP_OK : e;
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
    struct wp_headline *h = &a->headline;
    struct two_sets t = {&h->ratio, &h->geo, &h->welch_raw, &h->welch};
    enum wp_err e = compare_sets(&gs->v[hi], &gs->v[lo], 0, 0, true, &a->opts, &t);
    if (e)
        return e == WP_ERR_NOMEM ? nomem(d)
                                 : wp_diag_set(d, e, NULL, 0, 0, "headline: %s",
                                               wp_strerror(e));
    h->has = true;
    h->most = &a->groups[hi];
    h->least = &a->groups[lo];
    return WP_OK;
}

/* ---- task vs task ----------------------------------------------------------------- */

static long find_group(const struct wp_groups *gs, const char *task)
{
    for (size_t i = 0; i < gs->n; i++)
        if (gs->v[i].task && strcmp(gs->v[i].task, task) == 0)
            return (long)i;
    return -1;
}

/* One pair: both ratios with their tests (compare_sets, as the headline's). */
static enum wp_err one_pair(const struct wp_groups *gs, size_t ia, size_t ib,
                            const struct wp_analysis_opts *o, struct wp_pair_cmp *pc)
{
    if (!(pc->task_a = strdup(gs->v[ia].task)) || !(pc->task_b = strdup(gs->v[ib].task)))
        return WP_ERR_NOMEM;
    struct two_sets t = {&pc->ratio, &pc->geo, &pc->welch_raw, &pc->welch};
    return compare_sets(&gs->v[ia], &gs->v[ib], 0, 0, true, o, &t);
}

static enum wp_err pairs_holm(struct wp_pairwise *out)
{
    double *p = malloc((out->n ? out->n : 1) * 2 * sizeof *p);
    if (!p)
        return WP_ERR_NOMEM;
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; i < out->n; i++)
            p[i] = k ? out->v[i].welch.p : out->v[i].welch_raw.p;
        wp_stats_holm(p, out->n, p + out->n);
        for (size_t i = 0; i < out->n; i++)
            *(k ? &out->v[i].p_holm : &out->v[i].p_holm_raw) = p[out->n + i];
    }
    free(p);
    return WP_OK;
}

enum wp_err wp_analysis_pairwise(struct wp_store *s, const struct wp_analysis *a,
                                 const char *const *pairs, size_t n_pairs,
                                 struct wp_pairwise *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->unit = a->unit;
    out->level = a->opts.level;
    if (a->opts.by != WP_BY_TASK)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "task-vs-task comparisons need statistics by task");
    struct wp_run_filter f = a->opts.filter;
    f.labeled_only = true;
    /* without a caller's table, one for the section: its ratios read the same streams */
    struct wp_analysis_opts o = a->opts;
    struct wp_boot_draws *own = NULL;
    if (!o.boot.draws && !(o.boot.draws = own = wp_boot_draws_new()))
        return nomem(d);
    struct wp_groups gs;
    enum wp_err e = wp_groups_collect(s, &f, WP_BY_TASK, &gs, d);
    if (e) {
        wp_boot_draws_free(own);
        return e;
    }
    size_t n = n_pairs ? n_pairs : gs.n * (gs.n ? gs.n - 1 : 0) / 2;
    out->v = calloc(n ? n : 1, sizeof *out->v);
    if (!out->v) {
        e = nomem(d);
        goto out;
    }
    for (size_t k = 0; k < n_pairs; k++) /* every named task first: one message, no work */
        for (int j = 0; j < 2; j++)
            if (find_group(&gs, pairs[2 * k + j]) < 0) {
                e = wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                                "--pair: no task \"%s\" among the selection's %zu tasks",
                                pairs[2 * k + j], gs.n);
                goto out;
            }
    for (size_t ia = 0, k = 0; !e && k < n; ia++) {
        for (size_t ib = ia + 1; !e && k < n && (n_pairs || ib < gs.n); ib++, k++) {
            size_t x = ia, y = ib;
            if (n_pairs) {
                x = (size_t)find_group(&gs, pairs[2 * k]);
                y = (size_t)find_group(&gs, pairs[2 * k + 1]);
            }
            e = one_pair(&gs, x, y, &o, &out->v[k]);
            out->n = k + 1;
        }
    }
    if (!e)
        e = pairs_holm(out);
    if (e == WP_ERR_NOMEM)
        e = nomem(d);
    else if (e && !d->msg[0])
        e = wp_diag_set(d, e, NULL, 0, 0, "task vs task: %s", wp_strerror(e));
    out->resamples = a->opts.boot.resamples;
out:
    wp_groups_free(&gs);
    wp_boot_draws_free(own);
    return e;
}

void wp_pairwise_free(struct wp_pairwise *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free((char *)p->v[i].task_a);
        free((char *)p->v[i].task_b);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* One scaling point per unit of x's runs (log10 parameters, log10 mean energy) appended at
 * px, py (each unit's mean over its experiments); *n grows by the points added. */
static enum wp_err unit_points(const struct wp_group *x, enum wp_unit u, double *px,
                               double *py, size_t *n, size_t *without)
{
    size_t cap = x->n ? x->n : 1;
    double *e = malloc(cap * sizeof *e), *p = malloc(cap * sizeof *p);
    long long *uk = malloc(cap * sizeof *uk), *ek = malloc(cap * sizeof *ek);
    struct wp_design de = {0}, dp = {0};
    enum wp_err err = WP_ERR_NOMEM;
    if (!e || !p || !uk || !ek)
        goto out;
    for (size_t i = 0; i < x->n; i++) {
        const struct wp_run_value *r = &x->runs[i];
        bool ok = r->parameters > 0 && r->kwh_per_1k > 0 && isfinite(r->kwh_per_1k);
        *without += !ok;
        e[i] = ok ? r->kwh_per_1k : NAN; /* both designs drop the same runs */
        p[i] = ok ? (double)r->parameters : NAN;
        uk[i] = unit_key(r, u);
        ek[i] = exp_key(r, u);
    }
    err = wp_stats_design_new(e, uk, ek, x->n, &de);
    if (!err)
        err = wp_stats_design_new(p, uk, ek, x->n, &dp);
    if (err == WP_ERR_EMPTY) {
        err = WP_OK;
        goto out;
    }
    if (err)
        goto out;
    wp_stats_unit_means(&de, py + *n);
    wp_stats_unit_means(&dp, px + *n); /* a model's parameters: the same on every run */
    for (size_t k = 0; k < de.n_units; k++) {
        px[*n + k] = log10(px[*n + k]);
        py[*n + k] = log10(py[*n + k]);
    }
    *n += de.n_units;
out:
    wp_stats_design_free(&de);
    wp_stats_design_free(&dp);
    free(e);
    free(p);
    free(uk);
    free(ek);
    return err;
}

static void slope_ci(struct wp_scaling *sc, double level)
{
    double t = wp_stats_t_crit(level, sc->fit.df);
    sc->slope_lo = sc->fit.slope - t * sc->fit.se_slope;
    sc->slope_hi = sc->fit.slope + t * sc->fit.se_slope;
}

static enum wp_err scaling(struct wp_analysis *a, const struct wp_groups *gs,
                           struct wp_diag *d)
{
    if (a->opts.by != WP_BY_TASK)
        return WP_OK;
    a->scaling = calloc(gs->n + 1, sizeof *a->scaling);
    size_t total = 0;
    for (size_t i = 0; i < gs->n; i++)
        total += gs->v[i].n;
    double *x = malloc((total ? total : 1) * sizeof *x), *y = malloc((total ? total : 1) * sizeof *y);
    long long *task = malloc((total ? total : 1) * sizeof *task);
    double *p = malloc((gs->n ? gs->n : 1) * sizeof *p);
    enum wp_err e = WP_OK;
    if (!a->scaling || !x || !y || !task || !p) {
        e = nomem(d);
        goto out;
    }
    size_t n = 0;
    struct wp_scaling *all = &a->scaling[gs->n];
    for (size_t i = 0; i < gs->n && !e; i++) {
        struct wp_scaling *sc = &a->scaling[i];
        sc->task = a->groups[i].task;
        size_t first = n;
        e = unit_points(&gs->v[i], a->unit, x, y, &n, &sc->n_runs_without_parameters);
        all->n_runs_without_parameters += sc->n_runs_without_parameters;
        for (size_t k = first; k < n; k++)
            task[k] = (long long)i;
        if (!e)
            e = wp_stats_fit_linear(x + first, y + first, n - first, &sc->fit);
        e = e == WP_ERR_EMPTY ? WP_OK : e;
        slope_ci(sc, a->opts.level);
        p[i] = sc->fit.p_slope;
    }
    if (!e)
        e = wp_stats_holm(p, gs->n, p);
    e = e == WP_ERR_EMPTY ? WP_OK : e;
    for (size_t i = 0; i < gs->n && !e; i++)
        a->scaling[i].p_holm = p[i];
    if (!e)
        e = wp_stats_fit_within(x, y, task, n, &all->fit, &all->n_tasks);
    e = e == WP_ERR_EMPTY ? WP_OK : e;
    slope_ci(all, a->opts.level);
    all->p_holm = NAN;
    a->n_scaling = gs->n + 1;
    if (e)
        e = e == WP_ERR_NOMEM ? nomem(d)
                              : wp_diag_set(d, e, NULL, 0, 0, "scaling: %s", wp_strerror(e));
out:
    free(x);
    free(y);
    free(task);
    free(p);
    return e;
}

/* Compares a task's multi-purpose with its task-specific models, over the unit. */
static enum wp_err purpose_one(const struct wp_group *x, const struct wp_analysis_opts *o,
                               struct wp_purpose_cmp *pc, bool *has, struct wp_diag *d)
{
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < x->n; i++) {
        na += x->runs[i].purpose == WP_PURPOSE_MULTI;
        nb += x->runs[i].purpose == WP_PURPOSE_SPECIFIC;
    }
    *has = na && nb;
    if (!*has)
        return WP_OK;
    struct two_sets t = {&pc->ratio, NULL, NULL, &pc->welch};
    enum wp_err e = compare_sets(x, x, WP_PURPOSE_MULTI, WP_PURPOSE_SPECIFIC, false, o, &t);
    if (e)
        e = e == WP_ERR_NOMEM ? nomem(d)
                              : wp_diag_set(d, e, NULL, 0, 0, "purpose: %s", wp_strerror(e));
    return e;
}

/* Keeps the tasks whose runs have both purposes, in group order: each task's comparison
 * was computed beside its group's statistics into a->purpose[i], compacted here in place. */
static enum wp_err purpose(struct wp_analysis *a, const bool *has, struct wp_diag *d)
{
    for (size_t i = 0; i < a->n_groups; i++)
        if (has[i]) {
            a->purpose[a->n_purpose] = a->purpose[i];
            a->purpose[a->n_purpose++].task = a->groups[i].task;
        }
    double *p = malloc((a->n_purpose ? a->n_purpose : 1) * 2 * sizeof *p);
    if (!p)
        return nomem(d);
    for (size_t i = 0; i < a->n_purpose; i++)
        p[i] = a->purpose[i].welch.p;
    wp_stats_holm(p, a->n_purpose, p + a->n_purpose);
    for (size_t i = 0; i < a->n_purpose; i++)
        a->purpose[i].p_holm = p[a->n_purpose + i];
    free(p);
    return WP_OK;
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

/* Measured or modelled, over the measurements of the runs the groups hold (the selection:
 * its filters, --where, --phase), not the whole store. */
static enum wp_err selection_basis(struct wp_store *s, const struct wp_groups *gs,
                                   const char *phase, struct wp_basis_summary *out,
                                   struct wp_diag *d)
{
    size_t n = 0;
    for (size_t i = 0; i < gs->n; i++)
        n += gs->v[i].n;
    long long *ids = malloc((n ? n : 1) * sizeof *ids);
    if (!ids)
        return nomem(d);
    n = 0;
    for (size_t i = 0; i < gs->n; i++)
        for (size_t j = 0; j < gs->v[i].n; j++)
            ids[n++] = gs->v[i].runs[j].run_id;
    qsort(ids, n, sizeof *ids, wp_cmp_ll_at);
    enum wp_err e = wp_store_basis_summary(s, ids, n, phase, out, d);
    free(ids);
    return e;
}

enum wp_err wp_analysis_basis(struct wp_store *s, const struct wp_run_filter *f,
                              struct wp_basis_summary *out, struct wp_diag *d)
{
    struct wp_run_filter ff = *f;
    ff.labeled_only = true;
    struct wp_groups gs;
    enum wp_err e = wp_groups_collect(s, &ff, WP_BY_TASK, &gs, d);
    if (e)
        return e;
    e = selection_basis(s, &gs, ff.phase, out, d);
    wp_groups_free(&gs);
    return e;
}

enum wp_err wp_analysis_run(struct wp_store *s, const struct wp_analysis_opts *o,
                            struct wp_analysis *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->opts = *o;
    out->unit = wp_analysis_unit(o);
    struct wp_run_filter f = o->filter;
    f.labeled_only = true;
    struct wp_groups gs;
    enum wp_err e = WP_OK;
    if (!f.adjust) { /* the idle baseline and the intensity, once for every output */
        e = wp_restate_load(s, f.phase, &o->restate, &out->restate, d);
        if (!e && wp_restate_has_any(&out->restate))
            e = wp_restate_summarise(s, &f, &out->restate, d);
        if (!e && (!o->restate.partial || !out->restate.n_hosts))
            e = wp_restate_need_baseline(&out->restate, d);
        if (!e && wp_restate_active(&out->restate)) {
            f.adjust = wp_restate_adjust;
            f.adjust_ctx = &out->restate;
        }
    }
    /* idle windows are baselines, not runs left out: wp_runs_each never hands them over */
    if (!e)
        e = wp_groups_collect(s, &f, o->by, &gs, d);
    wp_restate_drop_spans(&out->restate);
    if (e) {
        wp_restate_free(&out->restate);
        return e;
    }
    e = selection_basis(s, &gs, f.phase, &out->basis, d);
    if (e) {
        wp_groups_free(&gs);
        wp_restate_free(&out->restate);
        return e;
    }
    out->runs_seen = gs.runs_seen;
    out->skipped_unlabeled = gs.skipped_unlabeled;
    out->skipped_no_inferences = gs.skipped_no_inferences;
    out->skipped_no_energy = gs.skipped_no_energy;
    out->skipped_no_above_idle = gs.skipped_no_above_idle;
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
        e = purpose(out, has, d);
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
        free(g->unit_kwh);
        free(g->unit_g);
    }
    free(a->groups);
    free(a->scaling);
    free(a->purpose);
    wp_restate_free(&a->restate);
    memset(a, 0, sizeof *a);
}
