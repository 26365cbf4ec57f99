/* The analysis every output reads: per-group statistics of energy and emissions per 1,000
 * inferences (descriptive, t and bootstrap CIs), the headline task comparison, the scaling
 * fits and the task-specific vs multi-purpose comparison.  Computed once from the store
 * (through its API) and handed to the CLI, charts and reports as plain structs, so no
 * renderer runs SQL or recomputes a statistic. */
#ifndef WP_STATS_ANALYSIS_H
#define WP_STATS_ANALYSIS_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/runs.h"
#include "stats/stats.h"
#include "store/store.h"

#define WP_MAX_QUANTILES 8
#define WP_BOOT_MAX_DRAWS 2e8 /* resamples x values per bootstrap interval, at most */

struct wp_analysis_opts {
    struct wp_run_filter filter;  /* task/model/dataset; phase (NULL = run totals) */
    enum wp_group_by by;
    bool over_experiments;        /* statistics over experiment means, not runs */
    double level;                 /* CI level, default 0.95 */
    struct wp_bootstrap boot;     /* seed, resamples */
    bool boot_ratios_only;        /* bootstrap the ratios (headline, purpose) but not each
                                     group's mean: for outputs that show no group interval */
    double quantiles[WP_MAX_QUANTILES];
    size_t n_quantiles;
    double carbon_intensity_g_per_kwh; /* what-if; NAN = as measured */
    double pue;                        /* what-if; NAN = as measured (1) */
    unsigned threads; /* groups computed at once: 0 = one per core (at most 8) when the work
                         outweighs starting them; the numbers never depend on it */
};

/* Fills o with the defaults: by task, over runs, 95%, seed 42, 10,000 resamples. */
void wp_analysis_defaults(struct wp_analysis_opts *o);

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
    struct wp_summary kwh;         /* kWh per 1,000 inferences */
    struct wp_ci kwh_t, kwh_boot;  /* CIs of its mean */
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
    struct wp_point *points;       /* one per experiment, in store order; owned */
    size_t n_points;
};

/* The most vs the least energy-intensive group (by mean), with a bootstrap CI of the
 * ratio of means and Welch's test on log10 values. */
struct wp_headline {
    bool has;
    const struct wp_group_stats *most, *least;
    struct wp_ratio ratio;
    struct wp_welch welch;
};

/* log10(kWh per 1,000 inferences) on log10(parameters), per task and overall (task NULL). */
struct wp_scaling {
    const char *task;              /* NULL = all tasks */
    struct wp_fit fit;
    size_t n_runs_without_parameters;
};

/* Task-specific vs multi-purpose models within one task (runs tagged `purpose`). */
struct wp_purpose_cmp {
    const char *task;
    struct wp_ratio ratio;   /* multi-purpose mean over task-specific mean, bootstrap CI */
    struct wp_welch welch;   /* on log10 values */
};

struct wp_analysis {
    struct wp_analysis_opts opts;
    struct wp_group_stats *groups;
    size_t n_groups;
    struct wp_headline headline;   /* when grouped by task and >= 2 groups */
    struct wp_scaling *scaling;
    size_t n_scaling;
    struct wp_purpose_cmp *purpose;  /* tasks that have runs of both kinds */
    size_t n_purpose;
    long long runs_seen, skipped_unlabeled, skipped_no_inferences, skipped_no_energy;
    char newest_measurement[32];   /* ISO 8601, the date reports show ("" if none) */
};

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
