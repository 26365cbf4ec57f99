/* Per-task totals over runs without keeping the runs: memory grows with tasks and
 * experiments, not with runs, for the summary of a server of millions of runs.  The same
 * numbers as the analysis by task (analysis.h) shows for them: its means are GSL's running
 * means (gsl_stats_mean) over each task's runs by run id, which a stream reproduces as long
 * as each task's runs come in that order; when they do not, is_ordered says so and the
 * caller computes the analysis instead.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_TOTALS_H
#define WP_ANALYSIS_TOTALS_H

#include <stdbool.h>
#include <stddef.h>

#include "store/store.h"
#include "util/err.h"

struct wp_task_total {
    char *task;
    size_t n_runs, n_experiments;
    double mean_kwh_per_1k, mean_g_per_1k; /* over the runs where each is known; NAN none */
};

struct wp_task_totals {
    struct wp_task_total *v; /* by task name */
    size_t n;
    bool is_ordered; /* false: a task's runs came out of run-id order; v is empty */
    long long runs_seen, skipped_unlabeled, skipped_no_inferences, skipped_no_energy;
    long long skipped_no_above_idle; /* figures above idle: runs without that energy */
};

/* The totals of the labelled runs matching f (task, model, dataset, where, phase) into
 * *out; free with wp_task_totals_free (also after an error). */
enum wp_err wp_task_totals(struct wp_store *s, const struct wp_run_filter *f,
                           struct wp_task_totals *out, struct wp_diag *d);
void wp_task_totals_free(struct wp_task_totals *t);

#endif
