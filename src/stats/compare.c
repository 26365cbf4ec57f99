/* Two-group comparisons: the ratio of means with a stratified bootstrap interval, and
 * Welch's unequal-variance t test on raw or log10 values.  One-sample intervals are in
 * ci.c; nothing here corrects for multiple comparisons (callers decide what to test). */
#include "stats/internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_statistics_double.h>

/* ---- ratio of means ---------------------------------------------------------------- */

/* resample_ratios from the indices of a table (wp_boot_draws_get2): the same ratios. */
static bool table_ratios(const uint16_t *idx, const double *a, size_t na, const double *b,
                         size_t nb, double *rep, size_t r)
{
    bool defined = true;
    for (size_t i = 0; i < r; i++, idx += na + nb) {
        double ma = wp_stats_mean_at(a, idx, na), mb = wp_stats_mean_at(b, idx + na, nb);
        if (mb == 0.0)
            defined = false;
        rep[i] = mb == 0.0 ? NAN : ma / mb;
    }
    return defined;
}

/* Fills rep[0..r) with bootstrap ratios; false when a resampled mean of b is 0. */
static bool resample_ratios(gsl_rng *rng, const double *a, size_t na, const double *b,
                            size_t nb, double *rep, size_t r)
{
    bool defined = true;
    for (size_t i = 0; i < r; i++) {
        double ma = wp_stats_resample_mean(rng, a, na);
        double mb = wp_stats_resample_mean(rng, b, nb);
        if (mb == 0.0)
            defined = false; /* keep drawing: the stream must not depend on this */
        rep[i] = mb == 0.0 ? NAN : ma / mb;
    }
    return defined;
}

enum wp_err wp_stats_ratio_boot(const double *a, size_t n_a, const double *b, size_t n_b,
                                const struct wp_bootstrap *opt, struct wp_ratio *out)
{
    if (!out)
        return WP_ERR_USAGE;
    struct wp_bootstrap o;
    enum wp_err e = wp_stats_boot_opts(opt, &o);
    *out = (struct wp_ratio){ .mean_a = NAN, .mean_b = NAN, .ratio = NAN, .lo = NAN,
                              .hi = NAN, .level = o.level };
    if (e != WP_OK)
        return e;
    double *va = NULL, *vb = NULL, *rep = NULL;
    gsl_rng *rng = NULL;
    e = wp_stats_copy(a, n_a, WP_KEEP_FINITE, &va, &out->n_a, &out->n_missing_a, NULL);
    if (e == WP_OK)
        e = wp_stats_copy(b, n_b, WP_KEEP_FINITE, &vb, &out->n_b, &out->n_missing_b, NULL);
    if (e != WP_OK)
        goto out;
    out->is_small = out->n_a < 3 || out->n_b < 3;
    if (out->n_a == 0 || out->n_b == 0) {
        e = WP_ERR_EMPTY;
        goto out;
    }
    out->mean_a = gsl_stats_mean(va, 1, out->n_a);
    out->mean_b = gsl_stats_mean(vb, 1, out->n_b);
    if (out->mean_b != 0.0)
        out->ratio = out->mean_a / out->mean_b;
    if (out->n_a > 0xffffffffUL || out->n_b > 0xffffffffUL) {
        e = WP_ERR_LIMIT;
        goto out;
    }
    rep = wp_stats_alloc(o.resamples);
    const uint16_t *idx = wp_boot_draws_get2(o.draws, o.seed, o.resamples, out->n_a, out->n_b);
    rng = idx ? NULL : wp_stats_rng(o.seed);
    if (!rep || (!idx && !rng)) {
        e = WP_ERR_NOMEM;
        goto out;
    }
    if (idx ? table_ratios(idx, va, out->n_a, vb, out->n_b, rep, o.resamples)
            : resample_ratios(rng, va, out->n_a, vb, out->n_b, rep, o.resamples))
        wp_stats_percentile(rep, o.resamples, o.level, &out->lo, &out->hi);
out:
    gsl_rng_free(rng);
    free(rep);
    free(vb);
    free(va);
    return e;
}

/* ---- Welch's t test ---------------------------------------------------------------- */

/* The test proper, on two clean arrays; w already holds the counts. */
static void welch_core(struct wp_welch *w, const double *a, const double *b)
{
    size_t na = w->n_a, nb = w->n_b;
    w->mean_a = gsl_stats_mean(a, 1, na);
    w->mean_b = gsl_stats_mean(b, 1, nb);
    w->diff = w->mean_a - w->mean_b;
    if (w->is_log10)
        w->ratio = pow(10.0, w->diff);
    else if (w->mean_b != 0.0)
        w->ratio = w->mean_a / w->mean_b;
    if (na < 2 || nb < 2)
        return;
    w->var_a = gsl_stats_variance_m(a, 1, na, w->mean_a); /* n-1 denominator */
    w->var_b = gsl_stats_variance_m(b, 1, nb, w->mean_b);
    double qa = w->var_a / (double)na, qb = w->var_b / (double)nb;
    w->se = sqrt(qa + qb);
    if (!(w->se > 0.0))
        return; /* both groups constant: the test is undefined */
    w->t = w->diff / w->se;
    /* Welch-Satterthwaite; the denominator is > 0 unless the squares underflow. */
    double den = qa * qa / (double)(na - 1) + qb * qb / (double)(nb - 1);
    if (den > 0.0)
        w->df = (qa + qb) * (qa + qb) / den;
    w->p = wp_stats_t_p2(w->t, w->df);
}

static enum wp_err welch(const double *a, size_t n_a, const double *b, size_t n_b,
                         bool is_log10, struct wp_welch *out)
{
    if (!out)
        return WP_ERR_USAGE;
    *out = (struct wp_welch){
        .is_log10 = is_log10, .mean_a = NAN, .mean_b = NAN, .var_a = NAN, .var_b = NAN,
        .diff = NAN, .ratio = NAN, .se = NAN, .t = NAN, .df = NAN, .p = NAN,
    };
    enum wp_keep keep = is_log10 ? WP_KEEP_LOG10 : WP_KEEP_FINITE;
    double *va = NULL, *vb = NULL;
    enum wp_err e = wp_stats_copy(a, n_a, keep, &va, &out->n_a, &out->n_missing_a,
                                  &out->n_nonpositive_a);
    if (e == WP_OK)
        e = wp_stats_copy(b, n_b, keep, &vb, &out->n_b, &out->n_missing_b,
                          &out->n_nonpositive_b);
    if (e == WP_OK) {
        out->is_small = out->n_a < 3 || out->n_b < 3;
        if (out->n_a == 0 || out->n_b == 0)
            e = WP_ERR_EMPTY;
        else
            welch_core(out, va, vb);
    }
    free(vb);
    free(va);
    return e;
}

enum wp_err wp_stats_welch(const double *a, size_t n_a, const double *b, size_t n_b,
                           struct wp_welch *out)
{
    return welch(a, n_a, b, n_b, false, out);
}

enum wp_err wp_stats_welch_log10(const double *a, size_t n_a, const double *b, size_t n_b,
                                 struct wp_welch *out)
{
    return welch(a, n_a, b, n_b, true, out);
}
