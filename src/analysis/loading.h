/* Loading energy beside inference energy, per task: CodeCarbon's task-level phases
 * "load model" (loading the model, once per run) and "query model" (the run's
 * inferences), so a report can show what a cold start adds.  Both read through the
 * analysis (src/analysis/analysis.c) with the caller's filter; no SQL here.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_LOADING_H
#define WP_ANALYSIS_LOADING_H

#include <stddef.h>

#include "analysis/analysis.h"

#define WP_PHASE_LOAD "load model"
#define WP_PHASE_QUERY "query model"

struct wp_loading_row {
    char *task;                   /* owned */
    size_t n_load, n_query;       /* runs with each phase */
    double load_kwh_per_1k;       /* mean load energy over each run's inferences, kWh per
                                     1,000 inferences */
    double load_lo, load_hi;      /* its t interval */
    double query_kwh_per_1k;      /* mean inference energy, kWh per 1,000 inferences */
    double load_share;            /* load / (load + query), of the means; NAN */
    double cold_start_inferences; /* inferences whose energy equals one load: 1,000 x
                                     load / query (a load per run); NAN */
};

struct wp_loading {
    struct wp_loading_row *v;     /* by task; only tasks with both phases */
    size_t n;
};

/* Per task, load and query phases of the runs matching o's filter (its phase ignored).
 * Free with wp_loading_free. */
enum wp_err wp_loading_run(struct wp_store *s, const struct wp_analysis_opts *o,
                           struct wp_loading *out, struct wp_diag *d);
void wp_loading_free(struct wp_loading *l);

#endif
