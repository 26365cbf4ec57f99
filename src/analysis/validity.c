/* Validity checks (validity.h): one read of the runs, the short-window rule per run, then
 * the runs sorted by experiment and start time for the first-run rule.  GSL sorts and
 * takes medians; nothing here prints. */
#include "analysis/validity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "ingest/plausible.h"
#include "analysis/runs.h"
#include "util/array.h"
#include "util/cmp.h"
#include "util/time.h"

#define CODECARBON_INTERVAL_S 15.0 /* CodeCarbon's default measure_power_secs */

const char *wp_check_name(enum wp_check c)
{
    switch (c) {
    case WP_CHECK_SHORT_WINDOW: return "short_window";
    case WP_CHECK_FIRST_OUTLIER: return "first_run_outlier";
    case WP_CHECK_SAMPLE_GAP: return "sample_gap";
    default: return "part_time_power";
    }
}

/* What the runs' extras say about their samples: a run's gaps and power column. */
struct sampled {
    long long run_id;
    double gaps;
    char column[48];
};

void wp_validity_defaults(struct wp_validity_opts *o)
{
    *o = (struct wp_validity_opts){.meter_interval_s = NAN, .min_intervals = 4.0,
                                   .min_runs = 5, .outlier_z = 3.5};
}

struct rec {
    long long run_id, exp;
    char started[32];
    double t;  /* started, seconds since 1970 UTC (its offset applied); NAN unknown */
    char file[256];
    long line;
    double x; /* kWh per 1,000 inferences */
};

struct scan {
    const struct wp_validity_opts *o;
    struct wp_validity *v;
    struct sampled *smp; /* by run id */
    size_t n_smp, cap_smp;
    struct rec *r;
    size_t n, cap, flag_cap;
    bool is_nomem;
};

static void copy_text(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

/* A new flag of run_id by check, at file and line (its message left for the caller), or
 * NULL when out of memory. */
static struct wp_flag *new_flag(struct scan *c, long long run_id, enum wp_check check,
                                const char *file, long line)
{
    struct wp_validity *v = c->v;
    if (WP_ARRAY_GROW(v->flags, v->n_flags + 1, c->flag_cap))
        return NULL;
    struct wp_flag *f = &v->flags[v->n_flags++];
    *f = (struct wp_flag){.run_id = run_id, .check = check, .line = line};
    copy_text(f->file, sizeof f->file, file);
    return f;
}

/* new_flag for a run as the store gives it. */
static struct wp_flag *run_flag(struct scan *c, const struct wp_run_row *r, enum wp_check check)
{
    return new_flag(c, r->run_id, check, r->source_file, r->line);
}

static int on_extra(void *ctx, long long run_id, const char *phase, const char *key,
                    const char *value)
{
    struct scan *c = ctx;
    bool is_gap = strcmp(key, "gaps_not_bridged") == 0;
    if (phase[0] || (!is_gap && strcmp(key, "power_column") != 0))
        return 0;
    if (!c->n_smp || c->smp[c->n_smp - 1].run_id != run_id) {
        if (WP_ARRAY_GROW(c->smp, c->n_smp + 1, c->cap_smp))
            return c->is_nomem = true;
        c->smp[c->n_smp++] = (struct sampled){.run_id = run_id};
    }
    struct sampled *x = &c->smp[c->n_smp - 1];
    if (is_gap)
        x->gaps = strtod(value, NULL);
    else
        copy_text(x->column, sizeof x->column, value);
    return 0;
}

static int sampled_cmp(const void *key, const void *element)
{
    return wp_cmp_ll(*(const long long *)key, ((const struct sampled *)element)->run_id);
}

static const struct sampled *sampled_of(const struct scan *c, long long run_id)
{
    size_t i = wp_lower_bound(&run_id, c->smp, c->n_smp, sizeof *c->smp, sampled_cmp);
    return i < c->n_smp && c->smp[i].run_id == run_id ? &c->smp[i] : NULL;
}

/* The sample checks of one run: gaps, part-time power. */
static int sample_checks(struct scan *c, const struct wp_run_row *r)
{
    const struct sampled *x = sampled_of(c, r->run_id);
    if (!x)
        return 0;
    if (x->gaps > 0) {
        struct wp_flag *f = run_flag(c, r, WP_CHECK_SAMPLE_GAP);
        if (!f)
            return c->is_nomem = true;
        snprintf(f->msg, sizeof f->msg,
                 "%.0f gap(s) in its power samples too long to bridge: their energy is not "
                 "counted", x->gaps);
        c->v->n_sample_gap++;
    }
    if (wp_plausible_part_time_power(x->column, r->gpu_model)) {
        struct wp_flag *f = run_flag(c, r, WP_CHECK_PART_TIME_POWER);
        if (!f)
            return c->is_nomem = true;
        snprintf(f->msg, sizeof f->msg,
                 "GPU energy from %.24s on %.40s, which sees 25 ms of every 100 ms "
                 "(Yang et al., SC24); its energy counter is exact",
                 x->column, r->gpu_model);
        c->v->n_part_time_power++;
    }
    return 0;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct scan *c = ctx;
    if (wp_run_use(r) != WP_RUN_USED)
        return 0;
    c->v->runs_checked++;
    if (sample_checks(c, r))
        return 1;
    double interval = c->o->meter_interval_s;
    if (isnan(interval) && r->tool && strcmp(r->tool, "codecarbon") == 0)
        interval = CODECARBON_INTERVAL_S;
    if (isnan(interval) || isnan(r->duration_s)) {
        c->v->runs_unchecked_window++;
    } else if (r->duration_s < c->o->min_intervals * interval) {
        struct wp_flag *f = run_flag(c, r, WP_CHECK_SHORT_WINDOW);
        if (!f)
            return c->is_nomem = true;
        snprintf(f->msg, sizeof f->msg,
                 "measured over %.3g s, fewer than %g sampling intervals of %g s: mostly "
                 "interpolation", r->duration_s, c->o->min_intervals, interval);
        c->v->n_short_window++;
    }
    if (WP_ARRAY_GROW(c->r, c->n + 1, c->cap))
        return c->is_nomem = true;
    struct wp_run_value v;
    wp_run_value_of(r, &v);
    struct rec *x = &c->r[c->n++];
    *x = (struct rec){.run_id = r->run_id, .exp = r->experiment_id, .line = r->line,
                      .x = v.kwh_per_1k};
    copy_text(x->started, sizeof x->started, r->started_at);
    if (!x->started[0] || !wp_iso8601_seconds(x->started, &x->t))
        x->t = NAN;
    copy_text(x->file, sizeof x->file, r->source_file);
    return 0;
}

/* By experiment, then start instant (not the text: "02:30+02:00" is before "02:10+01:00"),
 * a run without one first (then no run is known to be the first). */
static int by_exp_start(const void *pa, const void *pb)
{
    const struct rec *a = pa, *b = pb;
    if (a->exp != b->exp)
        return wp_cmp_ll(a->exp, b->exp);
    if (isnan(a->t) != isnan(b->t))
        return isnan(a->t) ? -1 : 1;
    int c = isnan(a->t) ? 0 : wp_cmp_double(a->t, b->t);
    return c ? c : wp_cmp_ll(a->run_id, b->run_id);
}

/* The first run of r[0..n) (one experiment, by start time) against the others. */
static enum wp_err first_run(struct scan *c, const struct rec *r, size_t n, double *work)
{
    size_t m = n - 1;
    for (size_t i = 0; i < m; i++)
        work[i] = r[i + 1].x;
    gsl_sort(work, 1, m);
    double med = gsl_stats_median_from_sorted_data(work, 1, m);
    for (size_t i = 0; i < m; i++)
        work[i] = fabs(work[i] - med);
    gsl_sort(work, 1, m);
    double mad = gsl_stats_median_from_sorted_data(work, 1, m);
    if (!(mad > 0.0) || isnan(r[0].t)) /* no spread, or a run's start unknown: no order */
        return WP_OK;
    double z = 0.6745 * (r[0].x - med) / mad; /* Iglewicz & Hoaglin's modified z-score */
    if (!(fabs(z) > c->o->outlier_z))
        return WP_OK;
    struct wp_flag *f = new_flag(c, r[0].run_id, WP_CHECK_FIRST_OUTLIER, r[0].file, r[0].line);
    if (!f)
        return WP_ERR_NOMEM;
    snprintf(f->msg, sizeof f->msg,
             "first of %zu runs of its experiment: %.4g kWh per 1,000 inferences against a "
             "median of %.4g over the others (modified z %.3g, above %g)",
             n, r[0].x, med, z, c->o->outlier_z);
    c->v->n_first_outlier++;
    return WP_OK;
}

bool wp_order_is_fixed(enum wp_order o)
{
    return o == WP_ORDER_BLOCKED || o == WP_ORDER_ROUNDS;
}

const char *wp_order_name(enum wp_order o)
{
    switch (o) {
    case WP_ORDER_INTERLEAVED: return "interleaved";
    case WP_ORDER_BLOCKED: return "blocked";
    case WP_ORDER_ROUNDS: return "rounds";
    default: return "unchecked";
    }
}

/* A timed run for the order check. */
struct timed {
    long long run_id, exp;
    double t;
};

static int by_time(const void *pa, const void *pb)
{
    const struct timed *a = pa, *b = pb; /* t is finite: timed runs only */
    int c = wp_cmp_double(a->t, b->t);
    return c ? c : wp_cmp_ll(a->run_id, b->run_id);
}

/* The fixed-order check (validity.h) over r[0..n), sorted by experiment: fills v->order*. */
static enum wp_err order_check(struct wp_validity *v, const struct rec *r, size_t n)
{
    struct timed *x = malloc((n ? n : 1) * sizeof *x);
    if (!x)
        return WP_ERR_NOMEM;
    size_t m = 0, n_exp = 0, k = 0;
    bool is_same_k = true;
    for (size_t i = 0; i < n;) { /* experiments with at least 2 timed runs */
        size_t j = i, start = m;
        for (; j < n && r[j].exp == r[i].exp; j++) {
            double t;
            if (r[j].started[0] && wp_iso8601_seconds(r[j].started, &t))
                x[m++] = (struct timed){.run_id = r[j].run_id, .exp = r[j].exp, .t = t};
        }
        if (m - start < 2) {
            m = start;
        } else {
            is_same_k = is_same_k && (!n_exp || m - start == k);
            k = m - start;
            n_exp++;
        }
        i = j;
    }
    if (n_exp < 2)
        goto out;
    qsort(x, m, sizeof *x, by_time);
    v->order_experiments = n_exp;
    v->order_runs = m;
    size_t changes = 0; /* blocked: n_exp - 1 changes of experiment along the sequence */
    for (size_t i = 1; i < m; i++)
        changes += x[i].exp != x[i - 1].exp;
    bool is_rounds = is_same_k;
    for (size_t i = 0; is_rounds && i < m; i++) { /* round 1 holds each experiment once */
        if (i < n_exp)
            for (size_t j = 0; j < i && is_rounds; j++)
                is_rounds = x[j].exp != x[i].exp;
        else
            is_rounds = x[i].exp == x[i % n_exp].exp;
    }
    if (changes == n_exp - 1) {
        v->order = WP_ORDER_BLOCKED;
        snprintf(v->order_msg, sizeof v->order_msg,
                 "%zu experiments were each run in one contiguous block, in start-time order: "
                 "their differences are confounded with time; interleave or randomize", n_exp);
    } else if (is_rounds) {
        v->order = WP_ORDER_ROUNDS;
        snprintf(v->order_msg, sizeof v->order_msg,
                 "%zu experiments were run in the same order in each of %zu rounds: their "
                 "differences are confounded with time; randomize the order", n_exp, k);
    } else {
        v->order = WP_ORDER_INTERLEAVED;
    }
out:
    free(x);
    return WP_OK;
}

static int by_flag(const void *pa, const void *pb)
{
    const struct wp_flag *a = pa, *b = pb;
    int c = wp_cmp_ll(a->run_id, b->run_id);
    return c ? c : wp_cmp_ll(a->check, b->check);
}

static enum wp_err distinct_ids(struct wp_validity *v)
{
    v->run_ids = malloc((v->n_flags ? v->n_flags : 1) * sizeof *v->run_ids);
    if (!v->run_ids)
        return WP_ERR_NOMEM;
    for (size_t i = 0; i < v->n_flags; i++)
        if (!v->n_runs_flagged || v->run_ids[v->n_runs_flagged - 1] != v->flags[i].run_id)
            v->run_ids[v->n_runs_flagged++] = v->flags[i].run_id;
    return WP_OK;
}

enum wp_err wp_validity_run(struct wp_store *s, const struct wp_run_filter *f,
                            const struct wp_validity_opts *o, struct wp_validity *out,
                            struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct wp_validity_opts def;
    if (!o) {
        wp_validity_defaults(&def);
        o = &def;
    }
    struct scan c = {.o = o, .v = out};
    double *work = NULL;
    struct wp_run_filter all = *f;
    all.by_run_id = true;
    enum wp_err e = wp_store_each_run_extra(s, on_extra, &c, d);
    if (!e && c.is_nomem)
        e = WP_ERR_NOMEM;
    if (!e) /* --where too: a log column's value splits an experiment's runs */
        e = wp_runs_listed(s, &all, on_run, &c, d);
    if (!e && c.is_nomem)
        e = WP_ERR_NOMEM;
    if (!e && c.n > 1) {
        qsort(c.r, c.n, sizeof *c.r, by_exp_start);
        work = malloc(c.n * sizeof *work);
        e = work ? WP_OK : WP_ERR_NOMEM;
    }
    for (size_t i = 0; !e && i < c.n;) {
        size_t j = i + 1;
        while (j < c.n && c.r[j].exp == c.r[i].exp)
            j++;
        if (j - i >= o->min_runs && j - i >= 3)
            e = first_run(&c, c.r + i, j - i, work);
        i = j;
    }
    if (!e && c.n > 1)
        e = order_check(out, c.r, c.n);
    if (!e && out->n_flags > 1)
        qsort(out->flags, out->n_flags, sizeof *out->flags, by_flag);
    if (!e)
        e = distinct_ids(out);
    if (e == WP_ERR_NOMEM)
        wp_diag_set(d, e, NULL, 0, 0, "out of memory");
    free(work);
    free(c.r);
    free(c.smp);
    if (e)
        wp_validity_free(out);
    return e;
}

void wp_validity_free(struct wp_validity *v)
{
    if (!v)
        return;
    free(v->flags);
    free(v->run_ids);
    memset(v, 0, sizeof *v);
}
