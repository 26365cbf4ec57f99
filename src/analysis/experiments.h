/* Statistics per experiment (model x task x dataset x inferences x batch size): the runs
 * of each experiment summarised, for tables that list experiments one by one.  Reads the
 * store through its API (labels once, then the lean per-run values); no SQL here.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_EXPERIMENTS_H
#define WP_ANALYSIS_EXPERIMENTS_H

#include <stddef.h>

#include "stats/stats.h"
#include "store/store.h"

struct wp_experiment_stats {
    long long id;
    const char *model, *task, *dataset, *purpose; /* owned; "" unknown */
    long long inferences, batch_size, parameters;  /* 0 unknown */
    size_t n_runs;                                 /* runs the statistics are over */
    struct wp_summary kwh;  /* kWh per 1,000 inferences over its runs */
    struct wp_ci kwh_t;     /* Student t CI of that mean */
    struct wp_summary g;    /* g CO2eq per 1,000 inferences */
    double j_per_inference; /* mean */
    /* token counts of its model on its dataset (0 none) and the energy per token */
    long long token_samples, input_tokens, output_tokens;
    struct wp_per_token tokens;          /* tokens.n is 0 without counts */
    double kwh_per_1k_tokens_lo, kwh_per_1k_tokens_hi; /* the t CI of the mean energy
                                            over its tokens per inference; NAN */
};

struct wp_experiments {
    struct wp_experiment_stats *v; /* ordered by task, model, dataset, id */
    size_t n;
};

/* Every experiment with at least one run that statistics use (wp_run_use) among the runs
 * matching f (task, model, dataset, where, phase), at confidence `level`.  Free with
 * wp_experiments_free. */
enum wp_err wp_experiments_run(struct wp_store *s, const struct wp_run_filter *f, double level,
                               struct wp_experiments *out, struct wp_diag *d);
void wp_experiments_free(struct wp_experiments *x);

#endif
