/* Intervals over a nested design (runs in experiments in units): the Student t interval
 * over the units' means and the cluster (multi-stage) bootstrap that resamples units,
 * then experiments inside each drawn unit, then runs inside each drawn experiment; and
 * the ratio of two designs' means or geometric means with that bootstrap.  Building the
 * design from labelled runs is here too; which level is the unit is the caller's choice. */
#include "stats/internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_statistics_double.h>

/* ---- the design ---------------------------------------------------------------------- */

struct key_row {
    long long unit, exp;
    size_t i; /* input order, the tie-break that makes the order total */
};

static int by_keys(const void *pa, const void *pb)
{
    const struct key_row *a = pa, *b = pb;
    if (a->unit != b->unit)
        return (a->unit > b->unit) - (a->unit < b->unit);
    if (a->exp != b->exp)
        return (a->exp > b->exp) - (a->exp < b->exp);
    return (a->i > b->i) - (a->i < b->i);
}

enum wp_err wp_stats_design_new(const double *x, const long long *unit, const long long *exp,
                                size_t n, struct wp_design *out)
{
    if (!out)
        return WP_ERR_USAGE;
    memset(out, 0, sizeof *out);
    if (n && (!x || !unit || !exp))
        return WP_ERR_USAGE;
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += isfinite(x[i]) != 0;
    out->n_missing = n - kept;
    if (!kept)
        return WP_ERR_EMPTY;
    struct key_row *k = malloc(kept * sizeof *k);
    out->x = wp_stats_alloc(kept);
    out->exp_start = malloc((kept + 1) * sizeof *out->exp_start);
    out->unit_start = malloc((kept + 1) * sizeof *out->unit_start);
    if (!k || !out->x || !out->exp_start || !out->unit_start) {
        free(k);
        wp_stats_design_free(out);
        return WP_ERR_NOMEM;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            k[m++] = (struct key_row){unit[i], exp[i], i};
    qsort(k, m, sizeof *k, by_keys);
    for (size_t j = 0; j < m; j++) {
        bool new_unit = j == 0 || k[j].unit != k[j - 1].unit;
        if (new_unit)
            out->unit_start[out->n_units++] = out->n_exp;
        if (new_unit || k[j].exp != k[j - 1].exp)
            out->exp_start[out->n_exp++] = j;
        out->x[j] = x[k[j].i];
    }
    out->exp_start[out->n_exp] = m;
    out->unit_start[out->n_units] = out->n_exp;
    out->n = m;
    free(k);
    return WP_OK;
}

void wp_stats_design_free(struct wp_design *d)
{
    if (!d)
        return;
    free(d->x);
    free(d->exp_start);
    free(d->unit_start);
    memset(d, 0, sizeof *d);
}

/* Mean of experiment e's runs, summed in order. */
static double exp_mean(const struct wp_design *d, size_t e)
{
    double s = 0.0;
    size_t a = d->exp_start[e], b = d->exp_start[e + 1];
    for (size_t j = a; j < b; j++)
        s += d->x[j];
    return s / (double)(b - a);
}

static double unit_mean(const struct wp_design *d, size_t u)
{
    double s = 0.0;
    size_t a = d->unit_start[u], b = d->unit_start[u + 1];
    for (size_t e = a; e < b; e++)
        s += exp_mean(d, e);
    return s / (double)(b - a);
}

enum wp_err wp_stats_unit_means(const struct wp_design *d, double *means)
{
    if (!d || (d->n_units && !means))
        return WP_ERR_USAGE;
    for (size_t u = 0; u < d->n_units; u++)
        means[u] = unit_mean(d, u);
    return d->n_units ? WP_OK : WP_ERR_EMPTY;
}

/* ---- intervals ------------------------------------------------------------------------ */

static void clear(struct wp_ci *ci, const struct wp_design *d, double level)
{
    *ci = (struct wp_ci){.estimate = NAN, .lo = NAN, .hi = NAN, .level = level,
                         .n = d ? d->n_units : 0, .n_missing = d ? d->n_missing : 0,
                         .is_small = !d || d->n_units < 3};
}

enum wp_err wp_stats_ci_cluster_t(const struct wp_design *d, double level, struct wp_ci *out)
{
    if (!out)
        return WP_ERR_USAGE;
    clear(out, d, level);
    if (!d || !(level > 0.0 && level < 1.0))
        return WP_ERR_USAGE;
    if (!d->n_units)
        return WP_ERR_EMPTY;
    double *m = wp_stats_alloc(d->n_units);
    if (!m)
        return WP_ERR_NOMEM;
    wp_stats_unit_means(d, m);
    enum wp_err e = wp_stats_ci_mean_t(m, d->n_units, level, out);
    free(m);
    out->n_missing = d->n_missing;
    return e;
}

/* The generators of a cluster bootstrap, one per level: units from `seed` (the ordinary
 * bootstrap's stream over the unit means), experiments and runs each from their own, so
 * that a level whose members hold one value each (or identical values) leaves the other
 * levels' draws as they are.  Each is read 32 bits at a time from chunks of its raw
 * outputs: chunks kept in the options' draws (every interval with the seed reads the same
 * outputs from their start, so a section of many ratios generates them once), or generated
 * here when there are none; the same outputs in the same order either way. */
struct src {
    struct wp_boot_draws *d;
    unsigned long seed;
    const uint32_t *buf; /* chunk c, read up to i */
    size_t i, c;
    gsl_rng *rng;        /* our own generator, once the kept chunks are out of reach */
    uint32_t *own;       /* its chunk */
    bool *bad;           /* set when memory ran out (the draws read are then zeros) */
};

/* Indices below n as gsl_rng_uniform_int(mt19937, n) gives them (struct wp_below's rule
 * over mt19937's range), for one n at a time. */
struct below {
    size_t n;
    struct wp_below r;
};

struct streams {
    struct src unit, exp, run;
    struct below bu, be, br;
    bool bad;
};

#define WP_EXP_SEED_XOR 0x9e3779b9UL
#define WP_RUN_SEED_XOR 0x85ebca6bUL
#define MT_RANGE 0xffffffffUL /* mt19937's max - min */

static void src_open(struct src *s, struct wp_boot_draws *d, unsigned long seed, bool *bad)
{
    *s = (struct src){.d = d, .seed = seed, .i = WP_BOOT_CHUNK, .c = (size_t)-1, .bad = bad};
}

static void src_close(struct src *s)
{
    gsl_rng_free(s->rng);
    free(s->own);
}

static const uint32_t zeros[WP_BOOT_CHUNK];

/* The next chunk: the kept one, else our own generator's (seeded and advanced past the
 * chunks read so far the first time). */
static void src_refill(struct src *s)
{
    s->c++;
    s->i = 0;
    if (!s->rng && (s->buf = wp_boot_stream_chunk(s->d, s->seed, s->c)))
        return;
    if (!s->rng) {
        s->rng = wp_stats_rng(s->seed);
        s->own = malloc(WP_BOOT_CHUNK * sizeof *s->own);
        if (!s->rng || !s->own) {
            *s->bad = true;
            s->buf = zeros;
            return;
        }
        for (size_t k = 0; k < s->c; k++)
            wp_boot_chunk_fill(s->rng, s->own);
    }
    wp_boot_chunk_fill(s->rng, s->own);
    s->buf = s->own;
}

static inline uint32_t src_next(struct src *s)
{
    if (s->i == WP_BOOT_CHUNK)
        src_refill(s);
    return s->buf[s->i++];
}

static inline void below_set(struct below *b, size_t n)
{
    if (b->n != n) {
        b->n = n;
        wp_below_init(&b->r, MT_RANGE, n);
    }
}

static inline size_t draw_below(struct src *s, struct below *b, size_t n)
{
    below_set(b, n);
    unsigned long k;
    do
        k = wp_below_index(&b->r, src_next(s));
    while (k >= n);
    return k;
}

static void streams_open(struct streams *s, const struct wp_bootstrap *o)
{
    *s = (struct streams){0};
    src_open(&s->unit, o->draws, o->seed, &s->bad);
    src_open(&s->exp, o->draws, o->seed ^ WP_EXP_SEED_XOR, &s->bad);
    src_open(&s->run, o->draws, o->seed ^ WP_RUN_SEED_XOR, &s->bad);
}

static void streams_close(struct streams *s)
{
    src_close(&s->unit);
    src_close(&s->exp);
    src_close(&s->run);
}

/* What one bootstrap over units holds while it runs: the replicates, the units drawn in
 * the current one and the random streams.  WP_ERR_NOMEM when an array could not be had
 * (resampling_close is due either way). */
struct resampling {
    double *rep;
    size_t *drawn;
    struct streams s;
};

static enum wp_err resampling_open(struct resampling *rs, const struct wp_bootstrap *o,
                                   size_t n_units)
{
    rs->rep = wp_stats_alloc(o->resamples);
    rs->drawn = malloc(n_units * sizeof *rs->drawn);
    streams_open(&rs->s, o);
    return rs->rep && rs->drawn ? WP_OK : WP_ERR_NOMEM;
}

static void resampling_close(struct resampling *rs)
{
    streams_close(&rs->s);
    free(rs->drawn);
    free(rs->rep);
}

/* The sum of nr runs x[] drawn with replacement, in draw order.  The common case reads
 * the chunk directly (the nr outputs are in it and none is redrawn); a redraw or a chunk
 * boundary finishes on draw_below, from the same output on. */
static inline double run_sum(struct src *s, struct below *b, const double *x, size_t nr)
{
    below_set(b, nr);
    double se = 0.0;
    size_t j = 0;
    if (b->r.is_exact && s->i + nr <= WP_BOOT_CHUNK) {
        const uint32_t *v = s->buf + s->i;
        for (; j < nr; j++) {
            uint64_t k = wp_stats_div_by_magic(v[j], b->r.m);
            if (k >= nr)
                break;
            se += x[k];
        }
        s->i += j;
    }
    for (; j < nr; j++)
        se += x[draw_below(s, b, nr)];
    return se;
}

/* One resampled unit mean of unit u: its experiments drawn with replacement, each drawn
 * experiment's runs drawn with replacement; each level's mean a plain sum / count.  A level
 * with one member has nothing to resample and draws nothing. */
static double resample_unit(const struct wp_design *d, size_t u, struct streams *st)
{
    size_t a = d->unit_start[u], ne = d->unit_start[u + 1] - a;
    double s = 0.0;
    for (size_t k = 0; k < ne; k++) {
        size_t e = a + (ne == 1 ? 0 : draw_below(&st->exp, &st->be, ne));
        size_t r0 = d->exp_start[e], nr = d->exp_start[e + 1] - r0;
        const double *x = d->x + r0;
        double se = 0.0;
        if (nr == 1) {
            se = x[0];
        } else {
            se = run_sum(&st->run, &st->br, x, nr) / (double)nr;
        }
        s += se;
    }
    return s / (double)ne;
}

/* The units of one replicate, all drawn first (from s->unit). */
static void draw_units(size_t nu, struct streams *s, size_t *drawn)
{
    if (nu == 1)
        drawn[0] = 0;
    else
        for (size_t k = 0; k < nu; k++)
            drawn[k] = draw_below(&s->unit, &s->bu, nu);
}

/* One replicate of the statistics over d: all unit draws first, then the inner levels of
 * each drawn unit in draw order (experiments from s->exp, runs from s->run).  *mean is
 * the mean of the drawn unit means, *geo (when not NULL) their geometric mean exp(mean ln)
 * (NaN if one is <= 0): both from the same draws, each with the sums it has alone.
 * `drawn` holds n_units. */
static void replicate(const struct wp_design *d, struct streams *s, size_t *drawn,
                      double *mean, double *geo)
{
    size_t nu = d->n_units;
    draw_units(nu, s, drawn);
    double sum = 0.0, sum_ln = 0.0;
    for (size_t k = 0; k < nu; k++) {
        double m = resample_unit(d, drawn[k], s);
        sum += m;
        if (geo)
            sum_ln += m > 0 ? log(m) : NAN;
    }
    *mean = sum / (double)nu;
    if (geo)
        *geo = exp(sum_ln / (double)nu);
}

/* The statistic on the design itself. */
static double observed(const struct wp_design *d, bool geometric)
{
    double s = 0.0;
    for (size_t u = 0; u < d->n_units; u++) {
        double m = unit_mean(d, u);
        s += geometric ? (m > 0 ? log(m) : NAN) : m;
    }
    return geometric ? exp(s / (double)d->n_units) : s / (double)d->n_units;
}

/* Whether every unit has ne experiments and every experiment nr runs. */
static bool balanced(const struct wp_design *d, size_t *ne, size_t *nr)
{
    *ne = d->unit_start[1] - d->unit_start[0];
    *nr = d->exp_start[1] - d->exp_start[0];
    for (size_t u = 1; u < d->n_units; u++)
        if (d->unit_start[u + 1] - d->unit_start[u] != *ne)
            return false;
    for (size_t e = 1; e < d->n_exp; e++)
        if (d->exp_start[e + 1] - d->exp_start[e] != *nr)
            return false;
    return true;
}

/* The replicates of a balanced design from the indices its streams draw, kept in
 * o->draws' tables (each level's stream is one table: R blocks of its draws), so designs
 * of one shape draw once.  The same sums in the same order as replicate(): the same bits.
 * false when a table cannot be had (the caller draws for itself). */
static bool replicates_from_tables(const struct wp_design *d, const struct wp_bootstrap *o,
                                   double *rep)
{
    size_t ne, nr, nu = d->n_units;
    if (!o->draws || !balanced(d, &ne, &nr))
        return false;
    const uint16_t *iu = wp_boot_draws_get(o->draws, o->seed, o->resamples, nu);
    const uint16_t *ie = ne < 2 ? NULL
                                : wp_boot_draws_get_below(o->draws, o->seed ^ WP_EXP_SEED_XOR,
                                                          o->resamples, nu * ne, ne);
    const uint16_t *ir = nr < 2 ? NULL
                                : wp_boot_draws_get_below(o->draws, o->seed ^ WP_RUN_SEED_XOR,
                                                          o->resamples, nu * ne * nr, nr);
    if (!iu || (ne >= 2 && !ie) || (nr >= 2 && !ir))
        return false;
    for (size_t b = 0; b < o->resamples; b++) {
        double sum = 0.0;
        for (size_t k = 0; k < nu; k++) {
            size_t a = d->unit_start[iu[b * nu + k]];
            double s = 0.0;
            for (size_t j = 0; j < ne; j++) {
                size_t e = a + (ie ? ie[(b * nu + k) * ne + j] : 0);
                const double *x = d->x + d->exp_start[e];
                if (!ir) {
                    s += x[0];
                    continue;
                }
                const uint16_t *r = ir + ((b * nu + k) * ne + j) * nr;
                double se = 0.0;
                for (size_t l = 0; l < nr; l++)
                    se += x[r[l]];
                s += se / (double)nr;
            }
            sum += s / (double)ne;
        }
        rep[b] = sum / (double)nu;
    }
    return true;
}

enum wp_err wp_stats_ci_cluster_boot(const struct wp_design *d, const struct wp_bootstrap *opt,
                                     struct wp_ci *out)
{
    if (!out)
        return WP_ERR_USAGE;
    struct wp_bootstrap o;
    enum wp_err e = wp_stats_boot_opts(opt, &o);
    clear(out, d, o.level);
    if (e != WP_OK || !d)
        return e ? e : WP_ERR_USAGE;
    if (!d->n_units)
        return WP_ERR_EMPTY;
    if (d->n > 0xffffffffUL)
        return WP_ERR_LIMIT;
    out->estimate = observed(d, false);
    if (d->n_units < 2) /* one unit: resampling it says nothing of other units */
        return WP_OK;
    struct resampling rs;
    e = resampling_open(&rs, &o, d->n_units);
    if (!e && !replicates_from_tables(d, &o, rs.rep)) {
        for (size_t b = 0; b < o.resamples; b++)
            replicate(d, &rs.s, rs.drawn, &rs.rep[b], NULL);
        e = rs.s.bad ? WP_ERR_NOMEM : WP_OK;
    }
    if (!e)
        wp_stats_percentile(rs.rep, o.resamples, o.level, &out->lo, &out->hi);
    resampling_close(&rs);
    return e;
}

/* The point estimates of a ratio (the statistic of a over b's), counts filled in. */
static void ratio_point(const struct wp_design *a, const struct wp_design *b, bool geometric,
                        double level, struct wp_ratio *r)
{
    *r = (struct wp_ratio){.mean_a = NAN, .mean_b = NAN, .ratio = NAN, .lo = NAN, .hi = NAN,
                           .level = level};
    if (!a || !b)
        return;
    r->n_a = a->n_units;
    r->n_b = b->n_units;
    r->n_missing_a = a->n_missing;
    r->n_missing_b = b->n_missing;
    r->is_small = a->n_units < 3 || b->n_units < 3;
    if (!a->n_units || !b->n_units)
        return;
    r->mean_a = observed(a, geometric);
    r->mean_b = observed(b, geometric);
    r->ratio = r->mean_b != 0.0 ? r->mean_a / r->mean_b : NAN;
}

enum wp_err wp_stats_ratio_cluster_both(const struct wp_design *a, const struct wp_design *b,
                                    const struct wp_bootstrap *opt, struct wp_ratio *mean,
                                    struct wp_ratio *geo)
{
    if (!mean && !geo)
        return WP_ERR_USAGE;
    struct wp_bootstrap o;
    enum wp_err e = wp_stats_boot_opts(opt, &o);
    struct wp_ratio *want[2] = {mean, geo};
    for (int g = 0; g < 2; g++)
        if (want[g])
            ratio_point(e ? NULL : a, e ? NULL : b, g, o.level, want[g]);
    if (e != WP_OK || !a || !b)
        return e ? e : WP_ERR_USAGE;
    if (!a->n_units || !b->n_units)
        return WP_ERR_EMPTY;
    if (a->n > 0xffffffffUL || b->n > 0xffffffffUL)
        return WP_ERR_LIMIT;
    if (a->n_units < 2 || b->n_units < 2) /* a group of one unit: no interval */
        return WP_OK;
    struct resampling rs;
    e = resampling_open(&rs, &o, a->n_units > b->n_units ? a->n_units : b->n_units);
    double *rep = rs.rep, *rep_geo = wp_stats_alloc(geo ? o.resamples : 1);
    size_t *drawn = rs.drawn;
    struct streams *s = &rs.s;
    if (!e && !rep_geo)
        e = WP_ERR_NOMEM;
    bool defined = true, defined_geo = true;
    for (size_t r = 0; !e && r < o.resamples; r++) {
        double ma, mb, ga = NAN, gb = NAN;
        replicate(a, s, drawn, &ma, geo ? &ga : NULL);
        replicate(b, s, drawn, &mb, geo ? &gb : NULL);
        /* keep drawing when one is undefined: the stream must not depend on it */
        if (!(mb != 0.0) || isnan(ma))
            defined = false;
        rep[r] = ma / mb;
        if (geo) {
            if (!(gb != 0.0) || isnan(ga))
                defined_geo = false;
            rep_geo[r] = ga / gb;
        }
    }
    if (!e && s->bad)
        e = WP_ERR_NOMEM;
    if (!e && mean && defined)
        wp_stats_percentile(rep, o.resamples, o.level, &mean->lo, &mean->hi);
    if (!e && geo && defined_geo)
        wp_stats_percentile(rep_geo, o.resamples, o.level, &geo->lo, &geo->hi);
    resampling_close(&rs);
    free(rep_geo);
    return e;
}

enum wp_err wp_stats_ratio_cluster(const struct wp_design *a, const struct wp_design *b,
                                   bool geometric, const struct wp_bootstrap *opt,
                                   struct wp_ratio *out)
{
    if (!out)
        return WP_ERR_USAGE;
    return geometric ? wp_stats_ratio_cluster_both(a, b, opt, NULL, out)
                     : wp_stats_ratio_cluster_both(a, b, opt, out, NULL);
}

/* One replicate of a paired ratio: the same units drawn for a and b (from s->unit), then
 * unit by unit a's inner levels and b's (from s->exp and s->run). */
static double replicate_paired(const struct wp_design *a, const struct wp_design *b,
                               struct streams *s, size_t *drawn)
{
    size_t nu = a->n_units;
    draw_units(nu, s, drawn);
    double sa = 0.0, sb = 0.0;
    for (size_t k = 0; k < nu; k++) {
        sa += resample_unit(a, drawn[k], s);
        sb += resample_unit(b, drawn[k], s);
    }
    return sb != 0.0 ? sa / sb : NAN; /* the 1 / nu of both means cancels */
}

enum wp_err wp_stats_ratio_cluster_paired(const struct wp_design *a, const struct wp_design *b,
                                          const struct wp_bootstrap *opt, struct wp_ratio *out)
{
    if (!out)
        return WP_ERR_USAGE;
    struct wp_bootstrap o;
    enum wp_err e = wp_stats_boot_opts(opt, &o);
    *out = (struct wp_ratio){.mean_a = NAN, .mean_b = NAN, .ratio = NAN, .lo = NAN, .hi = NAN,
                             .level = o.level};
    if (e != WP_OK || !a || !b || a->n_units != b->n_units)
        return e ? e : WP_ERR_USAGE;
    out->n_a = a->n_units;
    out->n_b = b->n_units;
    out->n_missing_a = a->n_missing;
    out->n_missing_b = b->n_missing;
    out->is_small = a->n_units < 3;
    if (!a->n_units)
        return WP_ERR_EMPTY;
    if (a->n > 0xffffffffUL || b->n > 0xffffffffUL)
        return WP_ERR_LIMIT;
    out->mean_a = observed(a, false);
    out->mean_b = observed(b, false);
    out->ratio = out->mean_b != 0.0 ? out->mean_a / out->mean_b : NAN;
    if (a->n_units < 2) /* one pair: no interval over units */
        return WP_OK;
    struct resampling rs;
    e = resampling_open(&rs, &o, a->n_units);
    bool defined = true;
    for (size_t r = 0; !e && r < o.resamples; r++) {
        rs.rep[r] = replicate_paired(a, b, &rs.s, rs.drawn);
        if (isnan(rs.rep[r]))
            defined = false; /* keep drawing: the stream must not depend on this */
    }
    if (!e && rs.s.bad)
        e = WP_ERR_NOMEM;
    if (!e && defined)
        wp_stats_percentile(rs.rep, o.resamples, o.level, &out->lo, &out->hi);
    resampling_close(&rs);
    return e;
}

/* ---- many tests ----------------------------------------------------------------------- */

struct p_at {
    double p;
    size_t i;
};

static int by_p(const void *pa, const void *pb)
{
    const struct p_at *a = pa, *b = pb;
    if (a->p != b->p)
        return (a->p > b->p) - (a->p < b->p);
    return (a->i > b->i) - (a->i < b->i);
}

enum wp_err wp_stats_holm(const double *p, size_t n, double *adj)
{
    if (n && (!p || !adj))
        return WP_ERR_USAGE;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += !isnan(p[i]);
    struct p_at *v = malloc((m ? m : 1) * sizeof *v);
    if (!v)
        return WP_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(p[i]))
            v[k++] = (struct p_at){p[i], i};
    for (size_t i = 0; i < n; i++) /* p read: adj may be p itself */
        adj[i] = NAN;
    qsort(v, m, sizeof *v, by_p);
    /* step-down: p_(j) (m - j), j from 0, made monotone and capped at 1 */
    double run = 0.0;
    for (size_t j = 0; j < m; j++) {
        double q = v[j].p * (double)(m - j);
        run = q > run ? q : run;
        adj[v[j].i] = run > 1.0 ? 1.0 : run;
    }
    free(v);
    return m ? WP_OK : WP_ERR_EMPTY;
}

size_t wp_stats_p_text(double p, char *buf, size_t cap)
{
    int n;
    if (isnan(p))
        n = snprintf(buf, cap, "n/a");
    else if (p < 1e-16)
        n = snprintf(buf, cap, "< 1e-16");
    else
        n = snprintf(buf, cap, "%.2g", p);
    return n < 0 ? 0 : (size_t)n;
}
