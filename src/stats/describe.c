/* Descriptive statistics of one sample: location, spread, type 7 quantiles and the
 * geometric mean and sd.  Missing values (NaN / Inf) are skipped and counted; statistics
 * that n does not define are NaN.  Intervals and tests live in ci.c and compare.c. */
#include "stats/internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

enum wp_err wp_stats_quantile_sorted(const double *sorted, size_t n, double p, double *out)
{
    if (!out)
        return WP_ERR_USAGE;
    *out = NAN;
    if (!(p >= 0.0 && p <= 1.0) || (!sorted && n > 0))
        return WP_ERR_USAGE;
    if (n == 0)
        return WP_ERR_EMPTY;
    /* Hyndman & Fan type 7: h = p (n-1), linear between x[floor h] and x[floor h + 1]. */
    *out = gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
    return WP_OK;
}

enum wp_err wp_stats_quantile(const double *x, size_t n, double p, double *out)
{
    if (!out)
        return WP_ERR_USAGE;
    *out = NAN;
    if (!(p >= 0.0 && p <= 1.0))
        return WP_ERR_USAGE;
    double *v;
    size_t m, missing;
    enum wp_err e = wp_stats_copy(x, n, WP_KEEP_FINITE, &v, &m, &missing, NULL);
    if (e != WP_OK)
        return e;
    if (m == 0)
        return WP_ERR_EMPTY;
    gsl_sort(v, 1, m);
    e = wp_stats_quantile_sorted(v, m, p, out);
    free(v);
    return e;
}

static void clear(struct wp_summary *s)
{
    *s = (struct wp_summary){
        .mean = NAN, .sd = NAN, .se = NAN, .min = NAN, .q1 = NAN, .median = NAN,
        .q3 = NAN, .max = NAN, .geo_mean = NAN, .geo_sd = NAN,
    };
}

/* Location, spread and quantiles of m >= 1 sorted values. */
static void fill_linear(struct wp_summary *s, const double *v, size_t m)
{
    s->mean = gsl_stats_mean(v, 1, m);
    if (m >= 2) {
        s->sd = gsl_stats_sd_m(v, 1, m, s->mean); /* sample sd, n-1 denominator */
        s->se = s->sd / sqrt((double)m);
    }
    s->min = v[0];
    s->max = v[m - 1];
    s->q1 = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.25);
    s->median = gsl_stats_median_from_sorted_data(v, 1, m);
    s->q3 = gsl_stats_quantile_from_sorted_data(v, 1, m, 0.75);
}

/* Geometric mean and sd from the ln of the positive values. */
static enum wp_err fill_geometric(struct wp_summary *s, const double *x, size_t n)
{
    double *ln;
    size_t k, missing, nonpos;
    enum wp_err e = wp_stats_copy(x, n, WP_KEEP_LN, &ln, &k, &missing, &nonpos);
    if (e != WP_OK)
        return e;
    s->n_positive = k;
    s->n_nonpositive = nonpos;
    if (k >= 1) {
        double m = gsl_stats_mean(ln, 1, k);
        s->geo_mean = exp(m);
        if (k >= 2)
            s->geo_sd = exp(gsl_stats_sd_m(ln, 1, k, m));
    }
    free(ln);
    return WP_OK;
}

enum wp_err wp_stats_describe(const double *x, size_t n, struct wp_summary *out)
{
    if (!out)
        return WP_ERR_USAGE;
    clear(out);
    double *v;
    size_t m;
    enum wp_err e = wp_stats_copy(x, n, WP_KEEP_FINITE, &v, &m, &out->n_missing, NULL);
    if (e != WP_OK)
        return e;
    out->n = m;
    if (m == 0)
        return WP_ERR_EMPTY;
    gsl_sort(v, 1, m);
    fill_linear(out, v, m);
    free(v);
    e = fill_geometric(out, x, n);
    if (e != WP_OK)
        clear(out);
    return e;
}
