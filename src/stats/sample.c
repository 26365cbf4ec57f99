/* Module set-up and the helpers every statistic shares: copying the usable values out of
 * an input array (missing values skipped and counted), one bootstrap resample, t
 * quantiles and p-values with their failure cases folded into NaN. */
#include "stats/internal.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>

void wp_stats_init(void)
{
    gsl_set_error_handler_off();
}

double *wp_stats_alloc(size_t n)
{
    if (n == 0 || n > SIZE_MAX / sizeof(double))
        return NULL;
    return malloc(n * sizeof(double));
}

static size_t count_kept(const double *x, size_t n, enum wp_keep keep, size_t *n_missing,
                         size_t *n_nonpositive)
{
    size_t kept = 0, missing = 0, nonpos = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]))
            missing++;
        else if (keep != WP_KEEP_FINITE && !(x[i] > 0))
            nonpos++;
        else
            kept++;
    }
    *n_missing = missing;
    if (n_nonpositive)
        *n_nonpositive = nonpos;
    return kept;
}

enum wp_err wp_stats_copy(const double *x, size_t n, enum wp_keep keep, double **out,
                          size_t *n_out, size_t *n_missing, size_t *n_nonpositive)
{
    *out = NULL;
    *n_out = 0;
    if (!x && n > 0)
        return WP_ERR_USAGE;
    size_t kept = count_kept(x, n, keep, n_missing, n_nonpositive);
    if (kept == 0)
        return WP_OK;
    double *v = wp_stats_alloc(kept);
    if (!v)
        return WP_ERR_NOMEM;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || (keep != WP_KEEP_FINITE && !(x[i] > 0)))
            continue;
        double xi = x[i];
        v[j++] = keep == WP_KEEP_LOG10 ? log10(xi) : keep == WP_KEEP_LN ? log(xi) : xi;
    }
    *out = v;
    *n_out = kept;
    return WP_OK;
}

double wp_stats_resample_mean(gsl_rng *rng, const double *x, size_t n)
{
    struct wp_draw d;
    wp_draw_init(&d, rng, n);
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += x[wp_draw_next(&d, n)];
    return sum / (double)n;
}

/* gsl_stats_quantile_from_sorted_data(sorted, 1, r, f) without sorting: the order
 * statistics it interpolates between, from gsl_stats_select (quickselect, which reorders
 * rep), and its interpolation term for term, so the same bits (tests/stats/test_sample.c). */
static double quantile_select(double *rep, size_t r, double f)
{
    const double index = f * (double)(r - 1);
    const size_t lhs = (size_t)index;
    const double delta = index - (double)lhs;
    double a = gsl_stats_select(rep, 1, r, lhs);
    if (lhs == r - 1)
        return a;
    return (1 - delta) * a + delta * gsl_stats_select(rep, 1, r, lhs + 1);
}

void wp_stats_percentile(double *rep, size_t r, double level, double *lo, double *hi)
{
    *lo = quantile_select(rep, r, (1.0 - level) / 2.0);
    *hi = quantile_select(rep, r, (1.0 + level) / 2.0);
}

gsl_rng *wp_stats_rng(unsigned long seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r)
        gsl_rng_set(r, seed);
    return r;
}

static bool level_ok(double level)
{
    return level > 0.0 && level < 1.0; /* false for NaN too */
}

enum wp_err wp_stats_boot_opts(const struct wp_bootstrap *opt, struct wp_bootstrap *out)
{
    static const struct wp_bootstrap defaults = WP_BOOTSTRAP_DEFAULT;
    *out = opt ? *opt : defaults;
    if (out->resamples == 0 || !level_ok(out->level))
        return WP_ERR_USAGE;
    return WP_OK;
}

double wp_stats_t_crit(double level, double df)
{
    if (!level_ok(level) || !(df > 0))
        return NAN;
    double t = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df);
    return isfinite(t) ? t : NAN;
}

double wp_stats_t_p2(double t, double df)
{
    if (isnan(t) || !(df > 0))
        return NAN;
    if (isinf(t))
        return 0.0;
    double p = 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
    if (!isfinite(p))
        return NAN;
    return p > 1.0 ? 1.0 : p;
}
