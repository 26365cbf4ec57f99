/* The analysis every output reads: per-group statistics of energy and emissions per 1,000
 * inferences (descriptive, t and bootstrap CIs), the headline task comparison, the scaling
 * fits and the task-specific vs multi-purpose comparison.  Computed once from the store
 * (through its API) and handed to the CLI, charts and reports as plain structs, so no
 * renderer runs SQL or recomputes a statistic.  The result types are stats/groups.h's.
 * Layer: src/analysis/ reads the store (store/store.h, never SQL) and calls the pure
 * estimators of src/stats/; it never includes report/, export/, charts/ or cli/. */
#ifndef WP_ANALYSIS_ANALYSIS_H
#define WP_ANALYSIS_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/restate.h"
#include "analysis/runs.h"
#include "stats/groups.h"
#include "stats/stats.h"
#include "store/store.h"

#define WP_BOOT_MAX_DRAWS 2e8 /* resamples x values per bootstrap interval, at most */

struct wp_analysis_opts {
    struct wp_run_filter filter;  /* task/model/dataset; phase (NULL = run totals) */
    enum wp_group_by by;
    bool over_experiments;        /* descriptive statistics over experiment means, not runs */
    enum wp_unit unit;            /* of intervals, tests and fits (see wp_analysis_unit) */
    double level;                 /* CI level, default 0.95 */
    struct wp_bootstrap boot;     /* seed, resamples */
    bool boot_ratios_only;        /* bootstrap the ratios (headline, purpose) but not each
                                     group's mean: for outputs that show no group interval */
    double quantiles[WP_MAX_QUANTILES];
    size_t n_quantiles;
    double carbon_intensity_g_per_kwh; /* what-if; NAN = as measured */
    double pue;                        /* what-if; NAN = as measured (1) */
    struct wp_restate_opts restate;    /* above-idle energy, hourly intensity (restate.h);
                                          applied unless filter.adjust is the caller's */
    unsigned threads; /* groups computed at once: 0 = one per core (at most 8) when the work
                         outweighs starting them; the numbers never depend on it */
};

/* Fills o with the defaults: by task, over runs, unit auto, 95%, seed 42, 10,000
 * resamples. */
void wp_analysis_defaults(struct wp_analysis_opts *o);

/* The unit o's intervals are over: o->unit, or for WP_UNIT_AUTO the one its grouping
 * implies; runs become experiments when o->over_experiments (the values are their means). */
enum wp_unit wp_analysis_unit(const struct wp_analysis_opts *o);

struct wp_analysis {
    struct wp_analysis_opts opts;
    enum wp_unit unit;             /* wp_analysis_unit(&opts) */
    struct wp_group_stats *groups;
    size_t n_groups;
    struct wp_headline headline;   /* when grouped by task and >= 2 groups */
    struct wp_scaling *scaling;
    size_t n_scaling;
    struct wp_purpose_cmp *purpose;  /* tasks that have runs of both kinds */
    size_t n_purpose;
    long long runs_seen, skipped_unlabeled, skipped_no_inferences, skipped_no_energy;
    /* with --above-idle: runs with energy but none above idle (not in skipped_no_energy) */
    long long skipped_no_above_idle;
    char newest_measurement[32];   /* ISO 8601, the date reports show ("" if none) */
    struct wp_basis_summary basis; /* measured or modelled, per component, over the store */
    struct wp_restate restate;     /* which energy (total or above idle, each idle host's
                                      baseline and the selection's totals) and which carbon
                                      intensity the figures use; its spans dropped */
};

/* a's groups, grouping and unit, for the pure functions over groups (stats/columns.h,
 * rating.h, paper.h); valid while a lives. */
static inline struct wp_group_table wp_analysis_table(const struct wp_analysis *a)
{
    return (struct wp_group_table){a->groups, a->n_groups, a->opts.by, a->unit};
}

/* The pairs of tasks of a (grouped by task) named in pairs[0..2 n_pairs) as (a, b), or with
 * n_pairs 0 every pair of a's tasks, a before b in a's group order.  Re-reads the runs
 * through the store with a's options.  WP_ERR_USAGE naming a task a has not; WP_ERR_USAGE
 * unless a is grouped by task.  Free with wp_pairwise_free (also after an error). */
enum wp_err wp_analysis_pairwise(struct wp_store *s, const struct wp_analysis *a,
                                 const char *const *pairs, size_t n_pairs,
                                 struct wp_pairwise *out, struct wp_diag *d);
void wp_pairwise_free(struct wp_pairwise *p);

/* Measured or modelled, per component, over the measurements of the runs statistics use
 * under filter f (its task, model, dataset, --where, phase): what wp_analysis_run puts in
 * its `basis`, for one part of an analysis (a model card's model). */
enum wp_err wp_analysis_basis(struct wp_store *s, const struct wp_run_filter *f,
                              struct wp_basis_summary *out, struct wp_diag *d);

/* Computes everything from the store.  Free with wp_analysis_free. */
enum wp_err wp_analysis_run(struct wp_store *s, const struct wp_analysis_opts *o,
                            struct wp_analysis *out, struct wp_diag *d);
void wp_analysis_free(struct wp_analysis *a);

/* Analyses kept by their options (memo.c), so that a process writing several outputs from
 * one database (wattprint batch) computes each distinct analysis once.  The database must
 * not change while a memo lives. */
struct wp_analysis_memo;
/* A new, empty memo, or NULL when out of memory.  Frees every analysis it keeps. */
struct wp_analysis_memo *wp_analysis_memo_new(void);
void wp_analysis_memo_free(struct wp_analysis_memo *m);
/* How many requests were served from the memo without computing. */
size_t wp_analysis_memo_hits(const struct wp_analysis_memo *m);
/* The analysis for o: the one m keeps under equal options, else computed and, when m is
 * not NULL, kept there.  Give it back with wp_analysis_release (which frees it when m is
 * NULL); with m it stays valid until wp_analysis_memo_free. */
enum wp_err wp_analysis_get(struct wp_analysis_memo *m, struct wp_store *s,
                            const struct wp_analysis_opts *o, const struct wp_analysis **out,
                            struct wp_diag *d);
void wp_analysis_release(struct wp_analysis_memo *m, const struct wp_analysis *a);

#endif
