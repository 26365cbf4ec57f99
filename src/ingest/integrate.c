/* Trapezoid integration of power samples (see integrate.h).  Memory is bounded: intervals
 * no longer than min_gap_s are summed as they come (they are bridged whatever the median
 * turns out to be); only longer ones are kept until the end, when the threshold is known.
 * The median period comes from a log-scale histogram of interval lengths. */
#include "ingest/integrate.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/array.h"

/* 200 bins per decade from 1 us to 1e6 s: a bin spans 1.2%; the median is the mean of the
 * intervals in its bin, so a log sampled at a constant period gets that period exactly. */
#define BINS_PER_DECADE 200
#define LOG10_MIN (-6)
#define DECADES 12
#define N_BINS (BINS_PER_DECADE * DECADES)

struct candidate {
    double length_s, area_j;
    long tag;
};

struct wp_power_series {
    double min_gap_s, gap_factor;
    double last_t, last_p;
    double first_t;
    /* Neumaier-compensated sum of the areas of short intervals */
    double sum, comp;
    size_t n_samples, n_duplicates, n_out_of_order, n_intervals;
    long first_duplicate_tag, first_out_of_order_tag;
    /* the last bin used and an interval well inside it: most logs keep one period, and
     * an interval there needs no log10; and the last few intervals seen, exactly, with
     * their bins (a round period such as 0.1 s sits on a bin edge, and its few rounded
     * variants, 0.1 and 0.09999999999999998, fall on either side) */
    double bin_lo, bin_hi;
    size_t bin;
    double seen_dt[4];
    size_t seen_bin[4], seen_next;
    size_t count[N_BINS];
    double dt_sum[N_BINS];
    struct candidate *cand;
    size_t n_cand, cap_cand;
};

struct wp_power_series *wp_series_new(double min_gap_s, double gap_factor)
{
    struct wp_power_series *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->min_gap_s = min_gap_s;
    s->gap_factor = gap_factor;
    s->first_t = s->last_t = NAN;
    return s;
}

void wp_series_free(struct wp_power_series *s)
{
    if (!s)
        return;
    free(s->cand);
    free(s);
}

static void add_compensated(double *sum, double *comp, double x)
{
    double t = *sum + x;
    if (fabs(*sum) >= fabs(x))
        *comp += (*sum - t) + x;
    else
        *comp += (x - t) + *sum;
    *sum = t;
}

static size_t bin_of(double dt)
{
    double x = (log10(dt) - LOG10_MIN) * BINS_PER_DECADE;
    if (!(x > 0))
        return 0;
    if (x >= N_BINS)
        return N_BINS - 1;
    return (size_t)x;
}

enum wp_err wp_series_add(struct wp_power_series *s, double t_s, double p_w, long tag,
                          enum wp_sample *how)
{
    if (s->n_samples == 0) {
        s->first_t = s->last_t = t_s;
        s->last_p = p_w;
        s->n_samples = 1;
        *how = WP_SAMPLE_USED;
        return WP_OK;
    }
    if (t_s == s->last_t) {
        if (!s->n_duplicates++)
            s->first_duplicate_tag = tag;
        *how = WP_SAMPLE_DUPLICATE;
        return WP_OK;
    }
    if (t_s < s->last_t) {
        if (!s->n_out_of_order++)
            s->first_out_of_order_tag = tag;
        *how = WP_SAMPLE_OUT_OF_ORDER;
        return WP_OK;
    }
    double dt = t_s - s->last_t;
    double area = 0.5 * (s->last_p + p_w) * dt;
    if (dt > s->min_gap_s) {
        if (s->n_cand == (size_t)WP_SERIES_MAX_GAPS)
            return WP_ERR_LIMIT;
        if (WP_ARRAY_GROW(s->cand, s->n_cand + 1, s->cap_cand))
            return WP_ERR_NOMEM;
        s->cand[s->n_cand++] = (struct candidate){dt, area, tag};
    } else {
        add_compensated(&s->sum, &s->comp, area);
    }
    size_t seen;
    for (seen = 0; seen < 4 && s->seen_dt[seen] != dt; seen++)
        ;
    if (seen < 4) {
        s->bin = s->seen_bin[seen];
        s->bin_lo = s->bin_hi = 0.0;
    } else if (!(dt > s->bin_lo && dt < s->bin_hi)) {
        s->bin = bin_of(dt);
        s->seen_dt[s->seen_next] = dt;
        s->seen_bin[s->seen_next] = s->bin;
        s->seen_next = (s->seen_next + 1) % 4;
        /* the bin's edges, pulled in by far more than pow's and log10's rounding, so that
         * whatever falls between them is in the bin bin_of gives */
        double lo = pow(10.0, (double)s->bin / BINS_PER_DECADE + LOG10_MIN);
        double hi = pow(10.0, (double)(s->bin + 1) / BINS_PER_DECADE + LOG10_MIN);
        bool inner = s->bin > 0 && s->bin < N_BINS - 1;
        s->bin_lo = inner ? lo * (1 + 1e-9) : 0.0;
        s->bin_hi = inner ? hi * (1 - 1e-9) : 0.0;
    }
    size_t b = s->bin;
    s->count[b]++;
    s->dt_sum[b] += dt;
    s->n_intervals++;
    s->last_t = t_s;
    s->last_p = p_w;
    s->n_samples++;
    *how = WP_SAMPLE_USED;
    return WP_OK;
}

/* The median interval: the mean of the intervals in the bin holding the middle one (the
 * lower middle for an even count). */
static double median_dt(const struct wp_power_series *s)
{
    if (!s->n_intervals)
        return NAN;
    size_t want = (s->n_intervals + 1) / 2, seen = 0;
    for (size_t b = 0; b < N_BINS; b++) {
        seen += s->count[b];
        if (seen >= want)
            return s->dt_sum[b] / s->count[b];
    }
    return NAN;
}

void wp_series_result(const struct wp_power_series *s, struct wp_integral *out)
{
    memset(out, 0, sizeof *out);
    out->first_s = s->n_samples ? s->first_t : NAN;
    out->last_s = s->n_samples ? s->last_t : NAN;
    out->median_dt_s = median_dt(s);
    out->threshold_s = s->min_gap_s;
    if (!isnan(out->median_dt_s) && s->gap_factor * out->median_dt_s > s->min_gap_s)
        out->threshold_s = s->gap_factor * out->median_dt_s;
    double sum = s->sum, comp = s->comp, gap = 0.0;
    for (size_t i = 0; i < s->n_cand; i++) {
        const struct candidate *c = &s->cand[i];
        if (c->length_s <= out->threshold_s) {
            add_compensated(&sum, &comp, c->area_j);
            continue;
        }
        if (!out->n_gaps++) {
            out->first_gap_tag = c->tag;
            out->first_gap_s = c->length_s;
        }
        gap += c->length_s;
    }
    out->energy_j = sum + comp;
    out->gap_s = gap;
    out->n_samples = s->n_samples;
    out->n_duplicates = s->n_duplicates;
    out->n_out_of_order = s->n_out_of_order;
    out->first_duplicate_tag = s->first_duplicate_tag;
    out->first_out_of_order_tag = s->first_out_of_order_tag;
}
