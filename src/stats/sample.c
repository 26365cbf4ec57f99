/* Module set-up and the helpers every statistic shares: copying the usable values out of
 * an input array (missing values skipped and counted), one bootstrap resample, t
 * quantiles and p-values with their failure cases folded into NaN. */
#include "stats/internal.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort.h>
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

/* ---- mt19937, GSL's stream ------------------------------------------------------------ */

#define MT_M 397

void wp_stats_mt_seed(struct wp_mt *g, unsigned long seed)
{
    /* gsl/rng/mt.c mt_set: Knuth's multiplier (init_genrand), 0 -> 4357 */
    if (seed == 0)
        seed = 4357;
    g->state[0] = (uint32_t)(seed & 0xffffffffUL);
    for (uint32_t i = 1; i < WP_MT_N; i++)
        g->state[i] = 1812433253U * (g->state[i - 1] ^ (g->state[i - 1] >> 30)) + i;
    g->next = WP_MT_N; /* the first get regenerates, as GSL's does */
}

static inline uint32_t twist(uint32_t hi, uint32_t lo, uint32_t far)
{
    uint32_t y = (hi & 0x80000000U) | (lo & 0x7fffffffU);
    return far ^ (y >> 1) ^ (-(y & 1U) & 0x9908b0dfU);
}

void wp_stats_mt_refill(struct wp_mt *g)
{
    /* GSL's recurrence, the new words written to g->out (reading only old words or new
     * ones from 227 steps before, so the compiler vectorises each loop), then kept as the
     * state and tempered in place */
    const uint32_t *mt = g->state;
    uint32_t *nx = g->out;
    /* 224 and 3: GCC's -O2 vectorises only loops whose count the vector width divides */
    for (size_t k = 0; k < 224; k++)
        nx[k] = twist(mt[k], mt[k + 1], mt[k + MT_M]);
    for (size_t k = 224; k < WP_MT_N - MT_M; k++)
        nx[k] = twist(mt[k], mt[k + 1], mt[k + MT_M]);
    for (size_t k = WP_MT_N - MT_M; k < WP_MT_N - 1; k++)
        nx[k] = twist(mt[k], mt[k + 1], nx[k + MT_M - WP_MT_N]);
    nx[WP_MT_N - 1] = twist(mt[WP_MT_N - 1], nx[0], nx[MT_M - 1]);
    memcpy(g->state, nx, sizeof g->state);
    for (size_t k = 0; k < WP_MT_N; k++) {
        uint32_t y = nx[k];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        nx[k] = y;
    }
    g->next = 0;
}

double wp_stats_resample_mean(struct wp_mt *g, const double *x, size_t n)
{
    /* gsl_rng_uniform_int's rule for mt19937 (min 0, max 2^32 - 1): k = v / (range / n),
     * redrawn while k >= n, with the loop-invariant division hoisted and the per-draw one
     * a multiply: the same indices (tests/stats/test_sample.c compares them) */
    const uint64_t range = 0xffffffffU, scale = range / n;
    double sum = 0.0;
    if (scale >= 2) {
        const uint64_t m = wp_stats_div_magic(scale);
        for (size_t i = 0; i < n;) {
            uint64_t k = wp_stats_div_by_magic(wp_stats_mt_get(g), m);
            if (k < n) { /* the sum in draw order: the same bits as one draw at a time */
                sum += x[k];
                i++;
            }
        }
    } else {
        for (size_t i = 0; i < n;) {
            uint64_t k = wp_stats_mt_get(g) / scale;
            if (k < n) {
                sum += x[k];
                i++;
            }
        }
    }
    return sum / (double)n;
}

/* ---- percentile interval ---------------------------------------------------------------- */

static void swap(double *a, double *b)
{
    double t = *a;
    *a = *b;
    *b = t;
}

/* Moves the k-th smallest of v[lo..hi] to v[k], smaller ones before it and larger ones
 * after (quickselect, median-of-three pivots); false when it takes too many rounds (a
 * pathological order), leaving v a permutation of itself. */
static bool select_kth(double *v, size_t lo, size_t hi, size_t k)
{
    for (int rounds = 0; hi > lo; rounds++) {
        if (rounds > 128)
            return false;
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid] < v[lo])
            swap(&v[mid], &v[lo]);
        if (v[hi] < v[lo])
            swap(&v[hi], &v[lo]);
        if (v[hi] < v[mid])
            swap(&v[hi], &v[mid]);
        double pivot = v[mid];
        size_t i = lo, j = hi;
        while (i <= j) { /* Hoare: v[lo..j] <= pivot <= v[i..hi] */
            while (v[i] < pivot)
                i++;
            while (pivot < v[j])
                j--;
            if (i <= j) {
                swap(&v[i], &v[j]);
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return true; /* j < k < i: v[k] == pivot, in place */
    }
    return true;
}

/* Puts the order statistics type 7 reads at `f`, sorted positions lhs and lhs + 1, in
 * place, given that v[from..r) holds exactly the elements of sorted positions from.. */
static bool place(double *v, size_t from, size_t r, size_t lhs)
{
    if (!select_kth(v, from, r - 1, lhs))
        return false;
    if (lhs + 1 < r) { /* the smallest of the rest is the next order statistic */
        size_t m = lhs + 1;
        for (size_t i = lhs + 2; i < r; i++)
            if (v[i] < v[m])
                m = i;
        swap(&v[lhs + 1], &v[m]);
    }
    return true;
}

/* The lower index gsl_stats_quantile_from_sorted_data interpolates from. */
static size_t lhs_of(double f, size_t r)
{
    return (size_t)(int)(f * (double)(r - 1));
}

/* Selection gives the sorted array's values at the two positions only where values equal
 * under < are the same bits: no NaN (gsl_sort's order of them is its own) and not both
 * zeros. */
static bool selectable(const double *v, size_t r)
{
    bool pos0 = false, neg0 = false;
    for (size_t i = 0; i < r; i++) {
        if (isnan(v[i]))
            return false;
        if (v[i] == 0.0)
            *(signbit(v[i]) ? &neg0 : &pos0) = true;
    }
    return !(pos0 && neg0);
}

void wp_stats_percentile(double *rep, size_t r, double level, double *lo, double *hi)
{
    double flo = (1.0 - level) / 2.0, fhi = (1.0 + level) / 2.0;
    size_t a = lhs_of(flo, r), b = lhs_of(fhi, r);
    bool fast = r >= 64 && a + 2 <= b && b < r && selectable(rep, r) &&
                place(rep, 0, r, a) && place(rep, a + 2, r, b);
    if (!fast)
        gsl_sort(rep, 1, r);
    *lo = gsl_stats_quantile_from_sorted_data(rep, 1, r, flo);
    *hi = gsl_stats_quantile_from_sorted_data(rep, 1, r, fhi);
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
