/* Validity checks of measurements (issue 29): runs whose number says little, flagged with
 * the file and line they came from, so that statistics can leave them out (--valid-only)
 * and outputs can count them.  Reads runs through the store's API; prints nothing.
 *
 * - short window: a run measured over fewer than `min_intervals` (4) sampling intervals of
 *   its meter is mostly interpolation.  The interval is --meter-interval when given, else
 *   CodeCarbon's default measure_power_secs, 15 s (CodeCarbon's CSV does not log it); runs
 *   of other tools are not checked (counted in runs_unchecked_window).
 * - first-run outlier: in an experiment of at least `min_runs` (5) runs, the first by start
 *   time is flagged when its modified z-score against the others (Iglewicz & Hoaglin:
 *   0.6745 (x - median) / MAD, MAD the median absolute deviation of the others) exceeds
 *   `outlier_z` (3.5) in absolute value; a MAD of 0 flags nothing.
 * - sample gap: a run whose energy was integrated from power samples (nvidia-smi) with
 *   intervals too long to bridge (ingest/integrate.h: over max(5 s, 10 median periods));
 *   their energy is missing from the run (the extra gaps_not_bridged, set at ingest).
 * - part-time power: GPU energy integrated from nvidia-smi's power.draw (or .instant) on an
 *   A100 or H100, whose power.draw averages 25 ms of every 100 ms (Yang et al., "Part-time
 *   Power Measurements: nvidia-smi's Lack of Attention", SC24), where the GPU's energy
 *   counter (NVML's total energy, Volta and later) was there to read; power.draw.average
 *   (a one-second mean, drivers 535+) is not flagged.  The rule is
 *   ingest/plausible.h's, which also warns of it at ingest.
 * - fixed order (a finding about the design, not a run's flag: it excludes no run): the
 *   runs with a start time (wp_iso8601_seconds; others are left out) of the experiments
 *   that have at least 2 such runs, when there are at least 2 such experiments, sorted by
 *   start time (ties by run id), are "blocked" when each experiment's runs are contiguous
 *   (all of A, then all of B ...), and "rounds" when every experiment has the same number
 *   k of runs and the sequence is one order of all the experiments repeated k times (A B C
 *   A B C ...); either is a fixed order, so drift over time (thermal state, background load,
 *   grid intensity) is confounded with the experiment.  Anything else is "interleaved".
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_VALIDITY_H
#define WP_ANALYSIS_VALIDITY_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

enum wp_check { WP_CHECK_SHORT_WINDOW = 1, WP_CHECK_FIRST_OUTLIER = 2, WP_CHECK_SAMPLE_GAP = 3,
                WP_CHECK_PART_TIME_POWER = 4 };

/* "short_window", "first_run_outlier", "sample_gap" or "part_time_power"; static. */
const char *wp_check_name(enum wp_check c);

struct wp_validity_opts {
    double meter_interval_s; /* NAN: by tool (CodeCarbon 15 s, others unchecked) */
    double min_intervals;    /* 4 */
    size_t min_runs;         /* 5 */
    double outlier_z;        /* 3.5 */
};

/* Fills o with the defaults above. */
void wp_validity_defaults(struct wp_validity_opts *o);

struct wp_flag {
    long long run_id;
    enum wp_check check;
    char file[256];  /* the run's source file ("" unknown) */
    long line;       /* 0 unknown */
    char msg[200];   /* what is wrong, with the numbers */
};

enum wp_order { WP_ORDER_UNCHECKED = 0, /* fewer than 2 experiments of 2 timed runs */
                WP_ORDER_INTERLEAVED, WP_ORDER_BLOCKED, WP_ORDER_ROUNDS };

struct wp_validity {
    struct wp_flag *flags; /* by run id, then check; owned */
    size_t n_flags;
    long long *run_ids;    /* the distinct flagged runs, ascending (a filter's exclusion
                              list); owned */
    size_t n_runs_flagged;
    long long runs_checked, runs_unchecked_window;
    size_t n_short_window, n_first_outlier, n_sample_gap, n_part_time_power;
    enum wp_order order;      /* the fixed-order check's verdict (see above) */
    bool fixed_order;         /* order is blocked or rounds */
    size_t order_experiments; /* experiments the order check saw (0 unchecked) */
    size_t order_runs;        /* their runs with a start time */
    char order_msg[200];      /* one sentence when fixed_order, else "" */
};

/* Checks the usable runs matching f (task, model, dataset, phase).  Free with
 * wp_validity_free. */
enum wp_err wp_validity_run(struct wp_store *s, const struct wp_run_filter *f,
                            const struct wp_validity_opts *o, struct wp_validity *out,
                            struct wp_diag *d);
void wp_validity_free(struct wp_validity *v);

#endif
