/* Bootstrap indices kept for reuse (struct wp_boot_draws, stats.h).  Every one-sample
 * interval seeds a fresh mt19937 with the same seed, so every interval over n values draws
 * the same R x n indices: an analysis by model and task draws them for dozens of groups of
 * one size, and a process writing many outputs for dozens of analyses.  The first interval
 * over an n draws the table (as costly as drawing for itself) and every one reads it:
 * reading is cheap and lets four resamples be summed at once, each still in draw order.
 * Two-group intervals (a ratio of means) keep theirs by both sizes.  The cluster
 * bootstrap's three generators are kept as raw outputs (streams, in chunks), since how
 * many of them a ratio reads depends on both designs: every ratio of a section reads the
 * same outputs from their start, so a section of 45 ratios draws them once. */
#include "stats/internal.h"
#include "util/array.h"

#include <pthread.h>
#include <stdlib.h>

#define MAX_N 65536u              /* indices < n fit in 16 bits */
#define MAX_TABLE (8u << 20)      /* indices in one table (16 MiB) */
#define MAX_BYTES ((size_t)64 << 20) /* of all tables together */
#define MAX_STREAM_BYTES ((size_t)64 << 20) /* of all kept raw streams together */

struct table {
    unsigned long seed;
    size_t r, n, k, n2;
    uint16_t *idx; /* r blocks of n indices below k (then n2 below n2) */
};

/* A generator's raw outputs from its seeding on, kept in chunks of WP_BOOT_CHUNK: the
 * cluster bootstrap's streams, which every ratio of a section reads from the start. */
struct stream {
    unsigned long seed;
    gsl_rng *rng;      /* positioned after the last chunk */
    uint32_t **chunk;  /* never moved once drawn: readers keep their pointers */
    size_t n, cap;
};

struct wp_boot_draws {
    pthread_mutex_t lock;
    struct table *v;
    size_t n, cap;
    size_t bytes;
    struct stream *s;
    size_t n_s, cap_s;
    size_t stream_bytes;
};

struct wp_boot_draws *wp_boot_draws_new(void)
{
    struct wp_boot_draws *d = calloc(1, sizeof *d);
    if (d && pthread_mutex_init(&d->lock, NULL) != 0) {
        free(d);
        return NULL;
    }
    return d;
}

void wp_boot_draws_free(struct wp_boot_draws *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i].idx);
    free(d->v);
    for (size_t i = 0; i < d->n_s; i++) {
        for (size_t c = 0; c < d->s[i].n; c++)
            free(d->s[i].chunk[c]);
        free(d->s[i].chunk);
        gsl_rng_free(d->s[i].rng);
    }
    free(d->s);
    pthread_mutex_destroy(&d->lock);
    free(d);
}

/* r blocks of n indices below k, each followed by n2 below n2 when n2 > 0: the order a
 * one-sample (n2 = 0, k = n), a two-group interval (k = n) or one level of a cluster
 * bootstrap draws them from one generator. */
static uint16_t *draw_table(unsigned long seed, size_t r, size_t n, size_t k, size_t n2)
{
    uint16_t *idx = malloc(r * (n + n2) * sizeof *idx);
    gsl_rng *rng = wp_stats_rng(seed);
    if (!idx || !rng) {
        free(idx);
        gsl_rng_free(rng);
        return NULL;
    }
    struct wp_draw da, db;
    wp_draw_init(&da, rng, k);
    if (n2)
        wp_draw_init(&db, rng, n2);
    uint16_t *p = idx;
    for (size_t b = 0; b < r; b++) {
        for (size_t i = 0; i < n; i++)
            *p++ = (uint16_t)wp_draw_next(&da, k);
        for (size_t i = 0; i < n2; i++)
            *p++ = (uint16_t)wp_draw_next(&db, n2);
    }
    gsl_rng_free(rng);
    return idx;
}

/* The table for (seed, r, n, k, n2): found, or drawn and kept (NULL past MAX_BYTES or when
 * out of memory: the caller draws for itself). */
static const uint16_t *table(struct wp_boot_draws *d, unsigned long seed, size_t r, size_t n,
                             size_t k, size_t n2)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].seed == seed && d->v[i].r == r && d->v[i].n == n && d->v[i].k == k &&
            d->v[i].n2 == n2)
            return d->v[i].idx;
    size_t bytes = r * (n + n2) * sizeof(uint16_t);
    if (d->bytes + bytes > MAX_BYTES)
        return NULL;
    if (WP_ARRAY_GROW(d->v, d->n + 1, d->cap))
        return NULL;
    uint16_t *idx = draw_table(seed, r, n, k, n2);
    if (!idx)
        return NULL;
    d->v[d->n++] = (struct table){.seed = seed, .r = r, .n = n, .k = k, .n2 = n2, .idx = idx};
    d->bytes += bytes;
    return idx;
}

static const uint16_t *get(struct wp_boot_draws *d, unsigned long seed, size_t r, size_t n,
                           size_t k, size_t n2)
{
    if (!d || n < 1 || k < 1 || k > MAX_N || n2 > MAX_N || n > MAX_TABLE ||
        r > MAX_TABLE / (n + n2))
        return NULL;
    /* drawn under the lock: a second thread asking for the same table waits for it rather
     * than drawing it too */
    pthread_mutex_lock(&d->lock);
    const uint16_t *idx = table(d, seed, r, n, k, n2);
    pthread_mutex_unlock(&d->lock);
    return idx;
}

const uint16_t *wp_boot_draws_get(struct wp_boot_draws *d, unsigned long seed, size_t r,
                                  size_t n)
{
    return n < 2 ? NULL : get(d, seed, r, n, n, 0);
}

const uint16_t *wp_boot_draws_get_below(struct wp_boot_draws *d, unsigned long seed, size_t r,
                                        size_t n, size_t k)
{
    return k < 2 ? NULL : get(d, seed, r, n, k, 0);
}

const uint16_t *wp_boot_draws_get2(struct wp_boot_draws *d, unsigned long seed, size_t r,
                                   size_t n_a, size_t n_b)
{
    return n_b < 1 ? NULL : get(d, seed, r, n_a, n_a, n_b);
}

void wp_boot_chunk_fill(gsl_rng *rng, uint32_t *out)
{
    for (size_t i = 0; i < WP_BOOT_CHUNK; i++)
        out[i] = (uint32_t)gsl_rng_get(rng);
}

static struct stream *stream_of(struct wp_boot_draws *d, unsigned long seed)
{
    for (size_t i = 0; i < d->n_s; i++)
        if (d->s[i].seed == seed)
            return &d->s[i];
    if (WP_ARRAY_GROW(d->s, d->n_s + 1, d->cap_s))
        return NULL;
    gsl_rng *rng = wp_stats_rng(seed);
    if (!rng)
        return NULL;
    d->s[d->n_s] = (struct stream){.seed = seed, .rng = rng};
    return &d->s[d->n_s++];
}

/* Chunk c of the stream, drawn (with the ones before it) when first asked for. */
static const uint32_t *chunk(struct wp_boot_draws *d, unsigned long seed, size_t c)
{
    struct stream *s = stream_of(d, seed);
    if (!s)
        return NULL;
    while (s->n <= c) {
        size_t bytes = WP_BOOT_CHUNK * sizeof(uint32_t);
        if (d->stream_bytes + bytes > MAX_STREAM_BYTES ||
            WP_ARRAY_GROW(s->chunk, s->n + 1, s->cap))
            return NULL;
        uint32_t *v = malloc(bytes);
        if (!v)
            return NULL;
        wp_boot_chunk_fill(s->rng, v);
        s->chunk[s->n++] = v;
        d->stream_bytes += bytes;
    }
    return s->chunk[c];
}

const uint32_t *wp_boot_stream_chunk(struct wp_boot_draws *d, unsigned long seed, size_t c)
{
    if (!d)
        return NULL;
    pthread_mutex_lock(&d->lock);
    const uint32_t *v = chunk(d, seed, c);
    pthread_mutex_unlock(&d->lock);
    return v;
}

void wp_stats_resample_means(const double *x, size_t n, const uint16_t *idx, size_t r,
                             double *rep)
{
    size_t b = 0;
    for (; b + 4 <= r; b += 4) { /* four independent sums: no resample waits on another */
        const uint16_t *i0 = idx + b * n, *i1 = i0 + n, *i2 = i1 + n, *i3 = i2 + n;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (size_t j = 0; j < n; j++) {
            s0 += x[i0[j]];
            s1 += x[i1[j]];
            s2 += x[i2[j]];
            s3 += x[i3[j]];
        }
        rep[b] = s0 / (double)n;
        rep[b + 1] = s1 / (double)n;
        rep[b + 2] = s2 / (double)n;
        rep[b + 3] = s3 / (double)n;
    }
    for (; b < r; b++)
        rep[b] = wp_stats_mean_at(x, idx + b * n, n);
}
