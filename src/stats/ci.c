/* Confidence intervals for the mean of one sample: Student t, and the bootstrap
 * percentile interval with a seeded mt19937.  Two-group intervals are in compare.c. */
#include "stats/internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

static void clear(struct wp_ci *ci, double level)
{
    *ci = (struct wp_ci){ .estimate = NAN, .lo = NAN, .hi = NAN, .level = level };
}

enum wp_err wp_stats_ci_mean_t(const double *x, size_t n, double level, struct wp_ci *out)
{
    if (!out)
        return WP_ERR_USAGE;
    clear(out, level);
    if (!(level > 0.0 && level < 1.0))
        return WP_ERR_USAGE;
    double *v;
    size_t m;
    enum wp_err e = wp_stats_copy(x, n, WP_KEEP_FINITE, &v, &m, &out->n_missing, NULL);
    if (e == WP_OK)
        e = wp_stats_sized(m, &out->n, &out->is_small);
    if (e != WP_OK)
        return e;
    /* summed in ascending order, as wp_stats_describe sums: the same values give the same
     * mean bit for bit whatever their order and however wide long double is (GSL keeps its
     * running mean in long double: 64 bits under valgrind, 80 natively) */
    gsl_sort(v, 1, m);
    out->estimate = gsl_stats_mean(v, 1, m);
    if (m >= 2) {
        double se = gsl_stats_sd_m(v, 1, m, out->estimate) / sqrt((double)m);
        double half = wp_stats_t_crit(level, (double)(m - 1)) * se;
        out->lo = out->estimate - half;
        out->hi = out->estimate + half;
    }
    free(v);
    return WP_OK;
}

enum wp_err wp_stats_ci_mean_boot(const double *x, size_t n, const struct wp_bootstrap *opt,
                                  struct wp_ci *out)
{
    if (!out)
        return WP_ERR_USAGE;
    struct wp_bootstrap o;
    enum wp_err e = wp_stats_boot_opts(opt, &o);
    clear(out, o.level);
    if (e != WP_OK)
        return e;
    double *v = NULL, *rep = NULL;
    gsl_rng *rng = NULL;
    size_t m;
    e = wp_stats_copy(x, n, WP_KEEP_FINITE, &v, &m, &out->n_missing, NULL);
    if (e == WP_OK)
        e = wp_stats_sized(m, &out->n, &out->is_small);
    if (e != WP_OK)
        goto out;
    out->estimate = gsl_stats_mean(v, 1, m);
    if (m > 0xffffffffUL) { /* gsl_rng_uniform_int's range for mt19937 */
        e = WP_ERR_LIMIT;
        goto out;
    }
    rep = wp_stats_alloc(o.resamples);
    const uint16_t *idx = wp_boot_draws_get(o.draws, o.seed, o.resamples, m);
    rng = idx ? NULL : wp_stats_rng(o.seed);
    if (!rep || (!idx && !rng)) {
        e = WP_ERR_NOMEM;
        goto out;
    }
    if (idx)
        wp_stats_resample_means(v, m, idx, o.resamples, rep);
    else
        for (size_t b = 0; b < o.resamples; b++)
            rep[b] = wp_stats_resample_mean(rng, v, m);
    wp_stats_percentile(rep, o.resamples, o.level, &out->lo, &out->hi);
out:
    gsl_rng_free(rng);
    free(rep);
    free(v);
    return e;
}

bool wp_ci_lo_is_cut(const struct wp_ci *ci)
{
    return isfinite(ci->lo) && ci->lo < 0;
}

double wp_ci_lo_shown(const struct wp_ci *ci)
{
    return wp_ci_lo_is_cut(ci) ? 0.0 : ci->lo;
}
