/* The analysis every output reads: per-group statistics of energy and emissions per 1,000
 * inferences (descriptive, t and bootstrap CIs), the headline task comparison, the scaling
 * fits and the task-specific vs multi-purpose comparison.  Computed once from the store
 * (through its API) and handed to the CLI, charts and reports as plain structs, so no
 * renderer runs SQL or recomputes a statistic. */
#ifndef WP_STATS_ANALYSIS_H
#define WP_STATS_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/restate.h"
#include "analysis/runs.h"
#include "stats/stats.h"
#include "store/store.h"

#define WP_MAX_QUANTILES 8
#define WP_BOOT_MAX_DRAWS 2e8 /* resamples x values per bootstrap interval, at most */

/* The independent unit of intervals, tests and fits.  Runs nest in experiments (a model
 * on a dataset), experiments in models; repeated runs of one experiment are near copies.
 * WP_UNIT_AUTO is the highest level below the grouping: the model when grouping by task,
 * dataset or hardware, the experiment when grouping by model or model x task. */
enum wp_unit { WP_UNIT_AUTO = 0, WP_UNIT_MODEL, WP_UNIT_EXPERIMENT, WP_UNIT_RUN };

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

/* Parses "model", "experiment" or "run" (a --unit argument) into *u; false otherwise. */
bool wp_unit_parse(const char *s, enum wp_unit *u);

/* "model" / "models", "experiment" / "experiments", "run" / "runs" for a count n; static. */
const char *wp_unit_name(enum wp_unit u, size_t n);

/* One experiment of a group, for plotting: the mean of its runs. */
struct wp_point {
    double kwh_per_1k, g_per_1k;
    long long parameters; /* 0 unknown */
    const char *model;    /* not owned: valid while the analysis lives */
};

/* Statistics of one group. */
struct wp_group_stats {
    const char *task, *model, *dataset, *hardware; /* NULL where not grouped by; owned */
    size_t n_runs, n_experiments;
    size_t n;                      /* values the statistics are over (runs or experiments) */
    size_t n_units;                /* independent units the intervals are over */
    struct wp_summary kwh;         /* kWh per 1,000 inferences (over runs or experiments) */
    struct wp_ci kwh_t, kwh_boot;  /* CIs of the mean over units (estimate = the mean of
                                      the unit means; NaN ends with a single unit): Student
                                      t over unit means, cluster bootstrap */
    struct wp_summary g;           /* g CO2eq per 1,000 inferences */
    struct wp_ci g_t;
    double quantiles[WP_MAX_QUANTILES]; /* of kWh per 1,000 inferences */
    double j_per_inference, mg_per_inference; /* means, per single inference */
    double whatif_g_per_1k;        /* mean emissions under the what-if, NAN if none */
    double gpu_share, cpu_share, ram_share; /* of summed energy, NAN when unknown */
    long long parameters;          /* the model's, when grouped by model (0 unknown) */
    const char *purpose;           /* "task-specific" / "multi-purpose" / NULL */
    double training_energy_j;      /* the model's, NAN unknown */
    double parity_inferences;      /* training energy / mean J per inference, NAN */
    bool is_small;                 /* n < 3 */
    bool boot_skipped;             /* no bootstrap: resamples 0, or over WP_BOOT_MAX_DRAWS */
    double gpu_kwh_per_1k;         /* mean GPU energy per 1,000 inferences, NAN unknown */
    struct wp_per_token tokens;    /* energy per token over the group's experiments that
                                      have token counts (tokens.n = how many; 0 none) */
    struct wp_equiv equiv[WP_EQUIV_MAX]; /* the mean per 1,000 inferences in everyday terms
                                      (wp_stats_equivalents: on energy, and on emissions
                                      where known), n_equiv of them; none without energy */
    size_t n_equiv;
    struct wp_point *points;       /* one per experiment, in store order; owned */
    size_t n_points;
    double *unit_kwh, *unit_g;     /* each unit's mean kWh and g per 1,000 inferences (the
                                      box plot's dots), n_unit_kwh and n_unit_g of them
                                      (g may be unknown for some); owned */
    size_t n_unit_kwh, n_unit_g;
    struct wp_box box_kwh, box_g;  /* box plots of those unit means on a log axis */
};

/* The most vs the least energy-intensive group (by mean), over the analysis' unit: the
 * ratio of the means of unit means with Welch's test on the unit means (raw), and the ratio
 * of geometric means with Welch's test on log10 unit means; both ratios with a cluster
 * bootstrap interval (stratified bootstrap over runs with unit run). */
struct wp_headline {
    bool has;
    const struct wp_group_stats *most, *least;
    struct wp_ratio ratio;       /* of means; n_a, n_b count units */
    struct wp_welch welch_raw;   /* matches `ratio` */
    struct wp_ratio geo;         /* of geometric means */
    struct wp_welch welch;       /* on log10 values: matches `geo` */
};

/* log10(kWh per 1,000 inferences) on log10(parameters), per task and pooled (task NULL):
 * one point per unit (a model: the mean over its experiments; an experiment; a run).  The
 * pooled fit has a task term (the slope within tasks, each task's mean removed), so
 * differences between tasks do not pass for scaling. */
struct wp_scaling {
    const char *task;              /* NULL = all tasks, with a task term */
    struct wp_fit fit;
    double slope_lo, slope_hi;     /* t interval of the slope at the analysis' level */
    double p_holm;                 /* p_slope Holm-adjusted over the per-task fits; NAN for
                                      the pooled one */
    size_t n_tasks;                /* pooled: tasks with points (fit.df = n - tasks - 1) */
    size_t n_runs_without_parameters;
};

/* Task-specific vs multi-purpose models within one task (runs tagged `purpose`), over the
 * analysis' unit. */
struct wp_purpose_cmp {
    const char *task;
    struct wp_ratio ratio;   /* multi-purpose mean over task-specific mean, cluster CI */
    struct wp_welch welch;   /* on log10 unit means */
    double p_holm;           /* welch.p Holm-adjusted over the tasks compared */
};

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
    char newest_measurement[32];   /* ISO 8601, the date reports show ("" if none) */
    struct wp_basis_summary basis; /* measured or modelled, per component, over the store */
    struct wp_restate restate;     /* which energy (total or above idle, each idle host's
                                      baseline and the selection's totals) and which carbon
                                      intensity the figures use; its spans dropped */
};

/* Task vs task, over the analysis' unit: per pair the ratio of means (of unit means) with
 * its cluster bootstrap interval and Welch's test on the unit means that matches it, the
 * ratio of geometric means with its interval and Welch's test on log10 unit means, and
 * each p Holm-adjusted over the pairs compared. */
struct wp_pair_cmp {
    const char *task_a, *task_b;  /* owned by the wp_pairwise */
    struct wp_ratio ratio;        /* mean a over mean b; n_a, n_b count units */
    struct wp_welch welch_raw;    /* on the unit means: matches `ratio` */
    struct wp_ratio geo;          /* of geometric means */
    struct wp_welch welch;        /* on log10 unit means: matches `geo` */
    double p_holm_raw, p_holm;    /* welch_raw.p and welch.p, Holm-adjusted over the pairs */
};

struct wp_pairwise {
    struct wp_pair_cmp *v;
    size_t n;
    enum wp_unit unit;            /* of the analysis the pairs come from */
    double level;
    size_t resamples;             /* of the bootstrap (an interval it could not give: NaN) */
};

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
