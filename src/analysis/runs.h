/* Per-run values grouped for statistics: reads runs from the store (through its API, no
 * SQL) and normalises them to the study's units.  The pure statistics live beside this
 * file and take the arrays built here.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_RUNS_H
#define WP_ANALYSIS_RUNS_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/groups.h"
#include "store/store.h"
#include "util/err.h"

/* One run in the study's units: per 1,000 inferences. */
struct wp_run_value {
    double kwh_per_1k, g_per_1k;                       /* g: NAN when unknown */
    double cpu_kwh_per_1k, gpu_kwh_per_1k, ram_kwh_per_1k; /* NAN when unknown */
    double logged_pue; /* the PUE the tool applied to the energy (CarbonTracker's 1.58), as
                          logged; 1 when none is logged */
    long long run_id, experiment, parameters;          /* parameters: 0 unknown */
    long long model; /* the model, as an index into its wp_groups' models (by name): the
                        statistics' unit */
    /* mean tokens (input + output, and output alone) per inference of the experiment's
     * model on its dataset, from its token counts; NAN without counts */
    double tokens_per_inference, output_tokens_per_inference;
    enum wp_purpose { WP_PURPOSE_UNKNOWN, WP_PURPOSE_SPECIFIC, WP_PURPOSE_MULTI } purpose;
};

/* For `stats --measured-only`: leaves the components whose bits are set in `modelled`
 * (WP_MODELLED_*) out of r: each becomes NAN, the total loses them, and the emissions
 * keep the run's own g per kWh over what is left.  A run with no modelled part is
 * unchanged. */
void wp_runs_measured_only(struct wp_run_row *r, unsigned modelled);

/* One group (a task, a model within a task, ...) and its runs, by run id. */
struct wp_group {
    char *task, *model, *dataset, *hardware; /* NULL where the grouping does not use it */
    char *purpose;                           /* of the group's first run, NULL if none */
    long long parameters;                    /* of the group's first run (0 unknown) */
    double training_energy_j;                /* likewise, NAN unknown */
    size_t n, cap, n_experiments;
    struct wp_run_value *runs;
};

struct wp_groups {
    struct wp_group *v;
    size_t n, cap;
    char **models;   /* the distinct models of the runs, by name; owned */
    size_t n_models;
    long long runs_seen, skipped_unlabeled, skipped_no_inferences, skipped_no_energy;
    long long skipped_no_above_idle; /* figures above idle: runs without that energy */
    char newest[32]; /* the newest started_at among the runs used, by instant (its offset
                        applied); one that could not be read is never chosen; "" if none */
    double newest_s; /* its seconds since 1970 UTC */
};

/* Whether statistics use a run, or why not: they need model, task and dataset labels, an
 * inference count and a known energy (above idle, when the figures use that: the restating
 * hook marks a run without it).  The one rule every reader of runs applies. */
enum wp_run_use {
    WP_RUN_USED,
    WP_RUN_UNLABELED,
    WP_RUN_NO_INFERENCES,
    WP_RUN_NO_ENERGY,
    WP_RUN_NO_ENERGY_ABOVE_IDLE,
};
enum wp_run_use wp_run_use(const struct wp_run_row *r);
/* "yes", or the reason in a few words ("no inference count", ...); static. */
const char *wp_run_use_text(enum wp_run_use u);

/* Counts r in *seen and, when statistics cannot use it, under its reason; true if used. */
bool wp_run_tally(const struct wp_run_row *r, long long *seen, long long *unlabeled,
                  long long *no_inferences, long long *no_energy, long long *no_above_idle);

/* The first index of the sorted ids[0..n) whose id is >= id (n if none). */
size_t wp_ids_lower_bound(const long long *ids, size_t n, long long id);

/* r in the study's units (r must be used: see wp_run_use). */
void wp_run_value_of(const struct wp_run_row *r, struct wp_run_value *v);

/* Mean tokens per inference of r's model on its dataset, total tokens over samples of its
 * token counts: input + output, or output only; NAN when r has no token counts. */
double wp_tokens_per_inference(const struct wp_run_row *r, bool output_only);

/* Calls fn for every run matching f (task, model, dataset, where, phase) with its labels
 * and hardware: the labels are read once, then the lean per-run values, in no particular
 * order.  Runs statistics cannot use are passed too (see wp_run_use).  fn returns non-zero
 * to stop.  The one reader of runs for statistics. */
enum wp_err wp_runs_each(struct wp_store *s, const struct wp_run_filter *f,
                         int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                         struct wp_diag *d);

/* Calls fn for every run f selects, in wp_store_each_run's order and with all its columns
 * (the listings: the workbook's Runs sheets), --where included (wp_store_each_run leaves
 * that to its callers).  fn returns non-zero to stop. */
enum wp_err wp_runs_listed(struct wp_store *s, const struct wp_run_filter *f,
                           int (*fn)(void *ctx, const struct wp_run_row *r), void *ctx,
                           struct wp_diag *d);

/* Groups the labelled runs that match f.  Runs without an inference count or energy are
 * left out and counted.  Free with wp_groups_free. */
enum wp_err wp_groups_collect(struct wp_store *s, const struct wp_run_filter *f,
                              enum wp_group_by by, struct wp_groups *out, struct wp_diag *d);
void wp_groups_free(struct wp_groups *g);

/* Copies one field (offsetof in struct wp_run_value, a double) of every run of g into a
 * new array (free with free()); NULL on out-of-memory. */
double *wp_group_column(const struct wp_group *g, size_t field_offset);

#endif
