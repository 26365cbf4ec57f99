/* The results of an analysis as the pure estimators and every writer see them: the unit
 * intervals are over, each group's statistics, the headline, scaling, purpose and
 * task-vs-task comparisons, and a group table (the groups with their grouping and unit) for
 * the pure functions over groups (columns.h, rating.h, paper.h).  Only types and the unit's
 * names: src/analysis/ computes them from the store, src/stats/ and the writers read them.
 * Layer: src/stats/ (pure: no SQL, no files); includes only stats/ and util/. */
#ifndef WP_STATS_GROUPS_H
#define WP_STATS_GROUPS_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/stats.h"

#define WP_MAX_QUANTILES 8

/* How runs are grouped for statistics. */
enum wp_group_by { WP_BY_TASK, WP_BY_MODEL, WP_BY_MODEL_TASK, WP_BY_DATASET, WP_BY_HARDWARE,
                   WP_BY_MODEL_HARDWARE /* a model on each GPU (else CPU) model */ };

/* The independent unit of intervals, tests and fits.  Runs nest in experiments (a model
 * on a dataset), experiments in models; repeated runs of one experiment are near copies.
 * WP_UNIT_AUTO is the highest level below the grouping: the model when grouping by task,
 * dataset or hardware, the experiment when grouping by model or model x task. */
enum wp_unit { WP_UNIT_AUTO = 0, WP_UNIT_MODEL, WP_UNIT_EXPERIMENT, WP_UNIT_RUN };

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
/* A group's hardware (the GPU model its logs name, else the CPU's) where they name neither:
 * what every output shows in place of an empty name. */
#define WP_NO_HARDWARE_NAMED "no hardware named"

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

/* The groups of one analysis with how they are grouped and the unit of their intervals:
 * what the pure functions over groups read (wp_analysis_table makes one). */
struct wp_group_table {
    const struct wp_group_stats *groups;
    size_t n_groups;
    enum wp_group_by by;
    enum wp_unit unit;
};

#endif
