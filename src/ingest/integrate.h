/* Energy from power samples: the trapezoid rule over time, one series per channel (one
 * GPU), streaming with bounded memory.  An interval longer than the gap threshold,
 * max(min_gap_s, gap_factor x the median sampling period), is a gap in the log, not a
 * stretch of constant power: it is left out and reported.  A sample at the same time as
 * the one before it is a duplicate, one earlier than it is out of order: both are skipped
 * and counted.  Pure computation: no I/O, no messages. */
#ifndef WP_INGEST_INTEGRATE_H
#define WP_INGEST_INTEGRATE_H

#include <stddef.h>

#include "util/err.h"

#define WP_GAP_MIN_S 5.0      /* an interval of at most this is always bridged */
#define WP_GAP_FACTOR 10.0    /* ... and so is one of at most 10 median periods */
#define WP_SERIES_MAX_GAPS (1L << 20)

struct wp_power_series; /* opaque */

/* How wp_series_add used a sample. */
enum wp_sample { WP_SAMPLE_USED, WP_SAMPLE_DUPLICATE, WP_SAMPLE_OUT_OF_ORDER };

struct wp_integral {
    double energy_j;          /* trapezoid integral over the bridged intervals */
    double first_s, last_s;   /* times of the first and last sample used (NAN if none) */
    double median_dt_s;       /* median sampling period (NAN with fewer than 2 samples) */
    double threshold_s;       /* intervals longer than this were not bridged */
    double gap_s;             /* time in intervals that were not bridged */
    size_t n_samples, n_gaps, n_duplicates, n_out_of_order;
    /* the caller's tags (line numbers) of the first of each, 0 when there was none */
    long first_gap_tag, first_duplicate_tag, first_out_of_order_tag;
    double first_gap_s;       /* length of the first gap that was not bridged */
};

/* A new, empty series; NULL when out of memory.  Free with wp_series_free. */
struct wp_power_series *wp_series_new(double min_gap_s, double gap_factor);
void wp_series_free(struct wp_power_series *s);

/* Adds power p_w (finite, >= 0) at time t_s (seconds from any origin, finite).  tag
 * (e.g. the line number) is kept for the result's "first ..." fields.  *how says whether
 * the sample was used.  Fails only with WP_ERR_NOMEM, or WP_ERR_LIMIT past
 * WP_SERIES_MAX_GAPS intervals longer than min_gap_s. */
enum wp_err wp_series_add(struct wp_power_series *s, double t_s, double p_w, long tag,
                          enum wp_sample *how);

/* The integral of what was added so far. */
void wp_series_result(const struct wp_power_series *s, struct wp_integral *out);

#endif
