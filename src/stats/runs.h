/* Per-run values grouped for statistics: reads runs from the store (through its API, no
 * SQL) and normalises them to the study's units.  The pure statistics live beside this
 * file and take the arrays built here. */
#ifndef WP_STATS_RUNS_H
#define WP_STATS_RUNS_H

#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

/* One group (a task, a model within a task, ...) and its per-run values. */
struct wp_group {
    char *task, *model, *dataset; /* NULL where the grouping does not use it */
    size_t n;                     /* runs */
    size_t n_experiments;
    double *kwh_per_1k;           /* energy per 1,000 inferences, kWh, one per run */
    double *g_per_1k;             /* emissions per 1,000 inferences, g CO2eq (NAN: unknown) */
    long long *experiment;        /* experiment id of each run */
    size_t cap;
};

struct wp_groups {
    struct wp_group *v;
    size_t n;
    long long runs_seen, skipped_unlabeled, skipped_no_inferences, skipped_no_energy;
};

enum wp_group_by { WP_BY_TASK, WP_BY_MODEL, WP_BY_MODEL_TASK, WP_BY_DATASET };

/* Groups the labelled runs that match f.  Runs without an inference count or energy are
 * left out and counted.  Free with wp_groups_free. */
enum wp_err wp_groups_collect(struct wp_store *s, const struct wp_run_filter *f,
                              enum wp_group_by by, struct wp_groups *out, struct wp_diag *d);
void wp_groups_free(struct wp_groups *g);

#endif
