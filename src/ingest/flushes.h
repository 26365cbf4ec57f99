/* Flush snapshots: a tracker that flushes (CodeCarbon's EmissionsTracker.flush()) appends
 * the running totals of one run again and again under the same run id.  Rows of one file
 * with the same run id and phase whose timestamp, duration and energies do not decrease
 * are successive snapshots of one run: only the last is the run's totals.  This holds each
 * run's latest row back until a later row of the same run or the end of the file decides;
 * rows of one run id that decrease go on to the store, which keeps them as conflicts. */
#ifndef WP_INGEST_FLUSHES_H
#define WP_INGEST_FLUSHES_H

#include <stdbool.h>

#include "ingest/ingest.h"

/* Runs held back at once; past this the oldest is handed on (a later snapshot of it then
 * reaches the store as a conflict).  Flushes come one after the other in practice. */
#define WP_FLUSHES_MAX_HELD 64

struct wp_flushes; /* opaque */

/* What was folded: `rows` earlier snapshots of `runs` runs, the first one at `first_line`. */
struct wp_flush_stats {
    long long rows, runs;
    long first_line;
};

/* Holds back for `sink`.  Free with wp_flushes_free. */
enum wp_err wp_flushes_open(struct wp_sink *sink, struct wp_flushes **out, struct wp_diag *d);
void wp_flushes_free(struct wp_flushes *f);

/* Hands m to the sink, now (no run id) or once a later row or the end decides; m and its
 * strings are copied.  group_by_run: pass m's run id as the sink's group key. */
enum wp_err wp_flushes_put(struct wp_flushes *f, const struct wp_measurement *m,
                           bool group_by_run, struct wp_diag *d);

/* Hands every measurement still held to the sink, in line order. */
enum wp_err wp_flushes_finish(struct wp_flushes *f, struct wp_diag *d);

struct wp_flush_stats wp_flushes_stats(const struct wp_flushes *f);

/* How b (later in the file) relates to a, a row of the same run id and phase. */
enum wp_flush_order {
    WP_FLUSH_SAME,  /* timestamp, duration and energies equal: a repeated row */
    WP_FLUSH_LATER, /* nothing decreases and the duration or timestamp grows: a snapshot */
    WP_FLUSH_OTHER, /* something decreases, or is known in one and not the other */
};
enum wp_flush_order wp_flush_compare(const struct wp_measurement *a,
                                     const struct wp_measurement *b);

#endif
