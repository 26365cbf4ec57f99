/* AI Energy Score star ratings of the models in one group (one task, one size class, one
 * leaderboard edition): the published equal-width rule, and a count-quintile alternative.
 * Grouping the models is the caller's job; this file only rates one group's energies. */
#include "stats/internal.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_sort.h>

#include "util/array.h"
#include "util/cmp.h"

/* The published rule, computed exactly as written: w = (max - min) / 5, then
 * floor((E - min) / w).  In double this reproduces every rating in the leaderboard's Feb
 * and Dec 2025 files; the only values on a bin edge are each group's min (0, 5 stars)
 * and max (5, clamped to 4, 1 star), and the nearest interior value is 0.006 bins away. */
static void equal_width(const double *e, size_t n, double min, double max, int *stars)
{
    double w = (max - min) / 5.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(e[i]))
            continue;
        if (!(w > 0.0)) {
            stars[i] = 5; /* max == min: one bin, everybody in the best */
            continue;
        }
        double k = floor((e[i] - min) / w);
        stars[i] = 5 - (k > 4.0 ? 4 : (int)k);
    }
}

/* Number of values in sorted[0..m) strictly below v. */
static int cmp_double_at(const void *key, const void *element)
{
    return wp_cmp_double(*(const double *)key, *(const double *)element);
}

static size_t below(const double *sorted, size_t m, double v)
{
    return wp_lower_bound(&v, sorted, m, sizeof *sorted, cmp_double_at);
}

static void quintile(const double *e, size_t n, const double *sorted, size_t m, int *stars)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(e[i]))
            continue;
        size_t r = below(sorted, m, e[i]); /* ties share the best rank */
        stars[i] = 5 - (int)(5ULL * r / m); /* r < m, so 0..4 */
    }
}

enum wp_err wp_stats_stars(const double *energy, size_t n, enum wp_star_method method,
                           int *stars)
{
    if ((n > 0 && (!energy || !stars)) ||
        (method != WP_STARS_EQUAL_WIDTH && method != WP_STARS_QUINTILE))
        return WP_ERR_USAGE;
    for (size_t i = 0; i < n; i++)
        stars[i] = 0;
    double *v;
    size_t m, missing;
    enum wp_err err = wp_stats_copy(energy, n, WP_KEEP_FINITE, &v, &m, &missing, NULL);
    if (err != WP_OK)
        return err;
    if (m == 0)
        return WP_ERR_EMPTY;
    gsl_sort(v, 1, m);
    if (method == WP_STARS_EQUAL_WIDTH)
        equal_width(energy, n, v[0], v[m - 1], stars);
    else
        quintile(energy, n, v, m, stars);
    free(v);
    return WP_OK;
}

enum wp_err wp_stats_stars_against(const double *set, size_t n, double energy, int *stars)
{
    if (!stars || (n > 0 && !set))
        return WP_ERR_USAGE;
    *stars = 0;
    double min = INFINITY, max = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(set[i])) {
            min = set[i] < min ? set[i] : min;
            max = set[i] > max ? set[i] : max;
        }
    if (!(min <= max) || !isfinite(energy))
        return WP_ERR_EMPTY;
    if (energy <= min) { /* at or below the set's lowest: the best bin */
        *stars = 5;
        return WP_OK;
    }
    equal_width(&energy, 1, min, max, stars); /* above max: floor > 4, clamped to 1 star */
    return WP_OK;
}
