/* Validity checks (validity.h): one read of the runs, the short-window rule per run, then
 * the runs sorted by experiment and start time for the first-run rule.  GSL sorts and
 * takes medians; nothing here prints. */
#include "stats/validity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "stats/runs.h"
#include "util/array.h"

#define CODECARBON_INTERVAL_S 15.0 /* CodeCarbon's default measure_power_secs */

const char *wp_check_name(enum wp_check c)
{
    return c == WP_CHECK_SHORT_WINDOW ? "short_window" : "first_run_outlier";
}

void wp_validity_defaults(struct wp_validity_opts *o)
{
    *o = (struct wp_validity_opts){.meter_interval_s = NAN, .min_intervals = 4.0,
                                   .min_runs = 5, .outlier_z = 3.5};
}

struct rec {
    long long run_id, exp;
    char started[32];
    char file[256];
    long line;
    double x; /* kWh per 1,000 inferences */
};

struct scan {
    const struct wp_validity_opts *o;
    struct wp_validity *v;
    struct rec *r;
    size_t n, cap, flag_cap;
    bool is_nomem;
};

static void copy_text(char *dst, size_t cap, const char *s)
{
    snprintf(dst, cap, "%s", s ? s : "");
}

static struct wp_flag *new_flag(struct scan *c)
{
    struct wp_validity *v = c->v;
    if (WP_ARRAY_GROW(v->flags, v->n_flags + 1, c->flag_cap))
        return NULL;
    struct wp_flag *f = &v->flags[v->n_flags++];
    memset(f, 0, sizeof *f);
    return f;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct scan *c = ctx;
    if (wp_run_use(r) != WP_RUN_USED)
        return 0;
    c->v->runs_checked++;
    double interval = c->o->meter_interval_s;
    if (isnan(interval) && r->tool && strcmp(r->tool, "codecarbon") == 0)
        interval = CODECARBON_INTERVAL_S;
    if (isnan(interval) || isnan(r->duration_s)) {
        c->v->runs_unchecked_window++;
    } else if (r->duration_s < c->o->min_intervals * interval) {
        struct wp_flag *f = new_flag(c);
        if (!f)
            return c->is_nomem = true;
        *f = (struct wp_flag){.run_id = r->run_id, .check = WP_CHECK_SHORT_WINDOW,
                              .line = r->line};
        copy_text(f->file, sizeof f->file, r->source_file);
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
    copy_text(x->file, sizeof x->file, r->source_file);
    return 0;
}

static int by_exp_start(const void *pa, const void *pb)
{
    const struct rec *a = pa, *b = pb;
    if (a->exp != b->exp)
        return (a->exp > b->exp) - (a->exp < b->exp);
    int c = strcmp(a->started, b->started);
    return c ? c : (a->run_id > b->run_id) - (a->run_id < b->run_id);
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
    if (!(mad > 0.0) || !r[0].started[0]) /* no spread, or no start time: no order */
        return WP_OK;
    double z = 0.6745 * (r[0].x - med) / mad; /* Iglewicz & Hoaglin's modified z-score */
    if (!(fabs(z) > c->o->outlier_z))
        return WP_OK;
    struct wp_flag *f = new_flag(c);
    if (!f)
        return WP_ERR_NOMEM;
    *f = (struct wp_flag){.run_id = r[0].run_id, .check = WP_CHECK_FIRST_OUTLIER,
                          .line = r[0].line};
    copy_text(f->file, sizeof f->file, r[0].file);
    snprintf(f->msg, sizeof f->msg,
             "first of %zu runs of its experiment: %.4g kWh per 1,000 inferences against a "
             "median of %.4g over the others (modified z %.3g, above %g)",
             n, r[0].x, med, z, c->o->outlier_z);
    c->v->n_first_outlier++;
    return WP_OK;
}

static int by_flag(const void *pa, const void *pb)
{
    const struct wp_flag *a = pa, *b = pb;
    if (a->run_id != b->run_id)
        return (a->run_id > b->run_id) - (a->run_id < b->run_id);
    return (a->check > b->check) - (a->check < b->check);
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
    enum wp_err e = wp_store_each_run(s, &all, on_run, &c, d);
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
    if (!e && out->n_flags > 1)
        qsort(out->flags, out->n_flags, sizeof *out->flags, by_flag);
    if (!e)
        e = distinct_ids(out);
    if (e == WP_ERR_NOMEM)
        wp_diag_set(d, e, NULL, 0, 0, "out of memory");
    free(work);
    free(c.r);
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
