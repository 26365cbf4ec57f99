/* Helpers shared by the files of src/stats/ (and by the task-vs-task bootstrap of
 * src/analysis/analysis.c, which draws as they do) and by nothing else: copying the usable
 * values out of an input array, and one bootstrap draw.  Not part of the module's API.
 * Layer: src/stats/, pure (no SQL, no store, no analysis): includes only stats/ and util/. */
#ifndef WP_STATS_INTERNAL_H
#define WP_STATS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "stats/stats.h"
#include "util/err.h"

/* What every estimator says of its sample: its size and whether it is small (under 3
 * values); WP_ERR_EMPTY when there is none. */
static inline enum wp_err wp_stats_sized(size_t m, size_t *n, bool *is_small)
{
    *n = m;
    *is_small = m < 3;
    return m ? WP_OK : WP_ERR_EMPTY;
}

/* What to keep when copying an input array. */
enum wp_keep {
    WP_KEEP_FINITE,   /* every finite value */
    WP_KEEP_LOG10,    /* log10 of every finite value > 0 */
    WP_KEEP_LN,       /* ln of every finite value > 0 */
};

/* Copies the kept values of x[0..n) into a new array *out (NULL when none are kept; the
 * caller frees it) of length *n_out.  *n_missing counts NaN / Inf, *n_nonpositive the
 * finite values <= 0 dropped by the log modes (may be NULL). */
enum wp_err wp_stats_copy(const double *x, size_t n, enum wp_keep keep, double **out,
                          size_t *n_out, size_t *n_missing, size_t *n_nonpositive);

/* A new array of n doubles, or NULL (also when n * sizeof(double) would overflow). */
double *wp_stats_alloc(size_t n);

/* floor(v / d) for v < 2^32 and 2 <= d < 2^32 as a multiply by m = wp_stats_div_magic(d)
 * = ceil(2^64 / d): the error v (m d - 2^64) / (d 2^64) is below 2^-32 <= 1/d, too small
 * to cross an integer. */
static inline uint64_t wp_stats_div_magic(uint64_t d)
{
    return UINT64_MAX / d + 1;
}

static inline uint64_t wp_stats_div_by_magic(uint64_t v, uint64_t m)
{
    return (uint64_t)(((unsigned __int128)v * m) >> 64);
}

/* gsl_rng_uniform_int's rule for an index below n from a generator output v - min over a
 * range (max - min): k = v / (range / n), redrawn by the caller while k >= n; the division
 * by the loop-invariant scale is a multiply where that is exact.  The one copy of the rule,
 * for a generator read directly (struct wp_draw) or outputs kept in chunks (cluster.c). */
struct wp_below {
    unsigned long scale;
    uint64_t m;
    bool is_exact; /* the multiply is exact for this range and n */
};

static inline void wp_below_init(struct wp_below *b, unsigned long range, size_t n)
{
    b->scale = range / (unsigned long)n;
    b->is_exact = range <= 0xffffffffUL && b->scale >= 2;
    b->m = b->is_exact ? wp_stats_div_magic(b->scale) : 0;
}

/* The candidate index of output v (v - min): below n, or to be redrawn. */
static inline unsigned long wp_below_index(const struct wp_below *b, unsigned long v)
{
    return b->is_exact ? (unsigned long)wp_stats_div_by_magic(v, b->m) : v / b->scale;
}

/* gsl_rng_uniform_int(rng, n)'s indices with wp_below's rule: the same indices
 * (tests/stats/test_sample.c compares them), at a third of the cost. */
struct wp_draw {
    const gsl_rng_type *t;
    void *state;
    unsigned long offset;
    struct wp_below b;
};

static inline void wp_draw_init(struct wp_draw *d, gsl_rng *rng, size_t n)
{
    d->t = rng->type;
    d->state = rng->state;
    d->offset = d->t->min;
    wp_below_init(&d->b, d->t->max - d->t->min, n);
}

static inline size_t wp_draw_next(const struct wp_draw *d, size_t n)
{
    unsigned long k;
    do
        k = wp_below_index(&d->b, d->t->get(d->state) - d->offset);
    while (k >= n);
    return k;
}

/* Mean of one resample of size n drawn with replacement from x[0..n), n >= 1:
 * n indices from gsl_rng_uniform_int, then plain sum / n. */
double wp_stats_resample_mean(gsl_rng *rng, const double *x, size_t n);

/* The mean of x over the n indices at idx, summed in their order (as a resample's). */
static inline double wp_stats_mean_at(const double *x, const uint16_t *idx, size_t n)
{
    double s = 0.0;
    for (size_t j = 0; j < n; j++)
        s += x[idx[j]];
    return s / (double)n;
}

/* The same r means from indices drawn before (wp_boot_draws_get: r blocks of n), summed in
 * the order they were drawn, so each is the bits wp_stats_resample_mean gives. */
void wp_stats_resample_means(const double *x, size_t n, const uint16_t *idx, size_t r,
                             double *rep);

/* The indices r resamples of n would draw from a fresh generator seeded with `seed`, as
 * wp_boot_draws keeps them (drawn at the first call for this seed, r and n), or NULL: d is
 * NULL, n < 2, n or n x r is past what a table holds, the tables' memory is used up, or
 * memory is short.  The table lives as long as d.  Thread-safe. */
const uint16_t *wp_boot_draws_get(struct wp_boot_draws *d, unsigned long seed, size_t r,
                                  size_t n);
/* r blocks of n indices below k (k >= 2) from a fresh generator seeded with `seed`, as
 * one level of a balanced cluster bootstrap draws them; NULL as above. */
const uint16_t *wp_boot_draws_get_below(struct wp_boot_draws *d, unsigned long seed, size_t r,
                                        size_t n, size_t k);
/* The same for a two-group interval: r blocks of n_a indices (below n_a) each followed by
 * n_b (below n_b), as it draws them; n_a, n_b >= 1. */
const uint16_t *wp_boot_draws_get2(struct wp_boot_draws *d, unsigned long seed, size_t r,
                                   size_t n_a, size_t n_b);

/* Raw 32-bit outputs of a generator kept in chunks of WP_BOOT_CHUNK: chunk c of the
 * mt19937 seeded with `seed` (its outputs c * WP_BOOT_CHUNK on, as gsl_rng_get gives
 * them), drawn at the first call that reaches it and kept in d, or NULL (d NULL, the
 * streams' memory used up, out of memory: the caller draws for itself, with
 * wp_boot_chunk_fill).  Thread-safe; the chunk lives as long as d. */
#define WP_BOOT_CHUNK ((size_t)1 << 16)
const uint32_t *wp_boot_stream_chunk(struct wp_boot_draws *d, unsigned long seed, size_t c);
/* The next WP_BOOT_CHUNK outputs of rng (mt19937: 32 bits each) into out. */
void wp_boot_chunk_fill(gsl_rng *rng, uint32_t *out);

/* The bootstrap percentile interval from r >= 1 replicate values, reordered in place: their
 * type 7 quantiles at (1-level)/2 and (1+level)/2. */
void wp_stats_percentile(double *rep, size_t r, double level, double *lo, double *hi);

/* A mt19937 generator seeded with `seed`, or NULL when out of memory. */
gsl_rng *wp_stats_rng(unsigned long seed);

/* Validates a bootstrap option set (NULL means the defaults) into *out. */
enum wp_err wp_stats_boot_opts(const struct wp_bootstrap *opt, struct wp_bootstrap *out);

/* The Student t quantile for a two-sided interval at `level` with df degrees of freedom;
 * NaN if GSL cannot give a finite one. */
double wp_stats_t_crit(double level, double df);

/* Two-sided p-value 2 Q_t(|t|; df), clamped to [0, 1]; NaN if t or df is NaN. */
double wp_stats_t_p2(double t, double df);

#endif
