/* A pooled ratio sum(num) / sum(den) over independent units with a bootstrap percentile
 * interval that resamples the units, each unit's parts kept together (a one-stage cluster
 * bootstrap): the uncertainty of an intensity such as SCI, emissions over functional
 * units, when the units (models, experiments) are what varies. */
#include "stats/internal.h"

#include <math.h>
#include <stdlib.h>

enum wp_err wp_stats_ratio_of_sums_boot(const double *num, const double *den, size_t n,
                                        const struct wp_bootstrap *opt, struct wp_ci *out)
{
    if (!out || (n && (!num || !den)))
        return WP_ERR_USAGE;
    struct wp_bootstrap o;
    enum wp_err e = wp_stats_boot_opts(opt, &o);
    *out = (struct wp_ci){.estimate = NAN, .lo = NAN, .hi = NAN, .level = o.level};
    if (e != WP_OK)
        return e;
    double sn = 0, sd = 0;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(num[i]) || !isfinite(den[i])) {
            out->n_missing++;
            continue;
        }
        sn += num[i];
        sd += den[i];
        used++;
    }
    out->n = used;
    out->is_small = used < 3;
    if (!used)
        return WP_ERR_EMPTY;
    out->estimate = sd != 0 ? sn / sd : NAN;
    if (used < 2)
        return WP_OK; /* one unit: a point, not an interval */
    double *xn = wp_stats_alloc(used), *xd = wp_stats_alloc(used);
    double *rep = wp_stats_alloc(o.resamples);
    gsl_rng *rng = wp_stats_rng(o.seed);
    e = WP_ERR_NOMEM;
    if (!xn || !xd || !rep || !rng)
        goto out;
    for (size_t i = 0, k = 0; i < n; i++)
        if (isfinite(num[i]) && isfinite(den[i])) {
            xn[k] = num[i];
            xd[k++] = den[i];
        }
    bool defined = true;
    for (size_t r = 0; r < o.resamples; r++) {
        double a = 0, b = 0;
        for (size_t k = 0; k < used; k++) { /* draw order: unit by unit, replicate by replicate */
            size_t j = gsl_rng_uniform_int(rng, used);
            a += xn[j];
            b += xd[j];
        }
        defined &= b != 0;
        rep[r] = b != 0 ? a / b : NAN;
    }
    if (defined)
        wp_stats_percentile(rep, o.resamples, o.level, &out->lo, &out->hi);
    e = WP_OK;
out:
    free(xn);
    free(xd);
    free(rep);
    gsl_rng_free(rng);
    return e;
}
