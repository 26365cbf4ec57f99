/* Box-plot statistics on a log scale: quartiles and Tukey's whiskers computed on log10
 * values, so that a box drawn on a log axis is the box of what it shows.  Only the
 * numbers; charts draw them. */
#include "stats/internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>

enum wp_err wp_stats_box_log10(const double *x, size_t n, struct wp_box *out)
{
    if (!out)
        return WP_ERR_USAGE;
    *out = (struct wp_box){.q1 = NAN, .median = NAN, .q3 = NAN, .lo = NAN, .hi = NAN};
    double *v;
    size_t m, missing, nonpos;
    enum wp_err e = wp_stats_copy(x, n, WP_KEEP_LOG10, &v, &m, &missing, &nonpos);
    if (e)
        return e;
    out->n = m;
    out->n_left_out = missing + nonpos;
    if (!m)
        return WP_ERR_EMPTY;
    gsl_sort(v, 1, m);
    double q1, med, q3;
    wp_stats_quantile_sorted(v, m, 0.25, &q1);
    wp_stats_quantile_sorted(v, m, 0.5, &med);
    wp_stats_quantile_sorted(v, m, 0.75, &q3);
    /* Tukey: the most extreme values within 1.5 IQR of the box (in log10), never inside */
    double iqr = q3 - q1, lo = q1, hi = q3;
    for (size_t i = 0; i < m; i++) {
        if (v[i] >= q1 - 1.5 * iqr && v[i] < lo)
            lo = v[i];
        if (v[i] <= q3 + 1.5 * iqr && v[i] > hi)
            hi = v[i];
    }
    out->q1 = pow(10, q1);
    out->median = pow(10, med);
    out->q3 = pow(10, q3);
    out->lo = pow(10, lo);
    out->hi = pow(10, hi);
    free(v);
    return WP_OK;
}
