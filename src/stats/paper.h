/* A reproduction set against its paper: which subsets of a task's models reproduce a
 * published per-task mean and sd, inferences to parity with training energy with an
 * interval, energy against a published quality score with the Pareto front, and the
 * headline per inference and per 1,000 in smartphone charges by each published factor.
 * Pure functions over an analysis' groups (stats/groups.h: wp_analysis_table of an
 * analysis); renderers print what they return.  Layer: src/stats/ (no SQL; the quality
 * scores are read from a CSV file); includes only stats/, ingest/csv.h and util/. */
#ifndef WP_STATS_PAPER_H
#define WP_STATS_PAPER_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/groups.h"
#include "stats/reference.h"

/* ---- which models a published per-task value is over --------------------------------- */

/* One subset of a task's models that agrees with the published mean (and maybe sd). */
struct wp_subset_match {
    char *left_out;       /* the models left out, joined with " + " (owned) */
    double mean, sd;      /* kWh per 1,000 inferences over the subset's runs (sample sd) */
    bool sd_agrees;
};

struct wp_subsets {
    size_t n_models;      /* models of the task in the analysis */
    size_t keep;          /* models the published value is over */
    size_t n_tried;       /* subsets of `keep` models tried (all of them) */
    size_t n_mean;        /* whose mean agrees with the published one */
    size_t n_both;        /* whose mean and sd agree */
    size_t n_runs;        /* runs of all n_models models */
    struct wp_subset_match *v; /* the n_mean subsets whose mean agrees, in order of
                                  enumeration (lexicographic on the left-out models) */
};

/* Tries every subset of `keep` of the task's models in `models` (grouped by model x task,
 * statistics over runs) against ref: pooled mean and sample sd over the subset's runs,
 * agreement within one unit of the printed digit (wp_reference_agrees).  WP_ERR_EMPTY when
 * the task has no more models than keep, WP_ERR_USAGE past 100,000 subsets.  Free with
 * wp_subsets_free. */
enum wp_err wp_paper_subsets(const struct wp_group_table *models, const char *task,
                             size_t keep, const struct wp_reference_row *ref,
                             struct wp_subsets *out);
void wp_subsets_free(struct wp_subsets *s);

/* Mean and sample sd (n-1) over all values of k groups from their counts, means and sample
 * sds (exact: the pooled sums of squares). */
enum wp_err wp_paper_pool(const size_t *n, const double *mean, const double *sd, size_t k,
                          double *pooled_mean, double *pooled_sd);

/* ---- inferences to parity ------------------------------------------------------------ */

struct wp_parity_row {
    const char *model, *task;        /* not owned: the analysis' */
    double training_j;               /* training + fine-tuning, from the manifest */
    const struct wp_training_energy *published; /* the split and its source, NULL none */
    double kwh_per_1k, kwh_lo, kwh_hi; /* the mean and its t interval over experiments */
    double parity, parity_lo, parity_hi; /* inferences; the interval maps the mean's
                                            (parity_hi infinite when kwh_lo <= 0) */
    size_t n_units;
};

/* One row per model x task group of `models` with a training energy, in its order.  *out
 * is malloc'd (free()); *n may be 0. */
enum wp_err wp_paper_parity(const struct wp_group_table *models, struct wp_parity_row **out,
                            size_t *n);

/* ---- energy against a published quality score --------------------------------------- */

struct wp_quality_row {
    char *model, *task;     /* the task as the analysis names it (owned) */
    double score;           /* mean of the published scores over the task's datasets */
    size_t n_scores;
    char *metrics;          /* the score columns averaged, e.g. "sst2 (acc), imdb (acc)" */
    double kwh_per_1k, kwh_lo, kwh_hi; /* the model x task mean and its t interval */
    bool on_front;          /* no other model of the task uses less energy for a score at
                               least as high (one of the two strictly) */
};

struct wp_quality {
    struct wp_quality_row *v;
    size_t n;
};

/* Reads a published scores CSV (model, task, then one column per dataset and metric, e.g.
 * "sst2 (acc)"; empty where a dataset is not the row's) and sets each row's mean score
 * beside the model x task energy of `models`.  The file's task names sentiment, qa and
 * summarization are the tasks text_classification, extractive_qa and summarization; other
 * names are taken as written.  Rows with no energy are left out.  Sorted by task, then
 * energy.  Free with wp_quality_free. */
enum wp_err wp_paper_quality(const char *path, const struct wp_group_table *models,
                             struct wp_quality *out, struct wp_diag *d);
void wp_quality_free(struct wp_quality *q);

/* ---- the headline in smartphone charges ---------------------------------------------- */

struct wp_charge_factor {
    const char *name;       /* for people: "the paper's", ... */
    double kwh_per_charge;
    const char *source;
};

/* The kWh per smartphone charge each source gives: the paper's (EPA, January 2024), its
 * earlier version's (EPA before 2024) and EPA's current figure (stats/equiv.c).  Static. */
const struct wp_charge_factor *wp_paper_charge_factors(size_t *n);

#define WP_PAPER_MAX_FACTORS 4

struct wp_charge_row {
    const char *what;       /* "task mean", "most energy-hungry model", ... (static) */
    const char *model;      /* NULL for the task mean; not owned */
    double kwh_per_1k;
    size_t n_runs, n_units;  /* what the mean is over */
    double charges_per_1k[WP_PAPER_MAX_FACTORS]; /* by wp_paper_charge_factors, in order */
};

/* The task mean (from tasks, grouped by task) and its most and least energy-hungry model
 * (from models, grouped by model x task) in charges per 1,000 inferences: out[0..3).
 * WP_ERR_EMPTY when the task is in neither. */
enum wp_err wp_paper_charges(const struct wp_group_table *tasks,
                             const struct wp_group_table *models, const char *task,
                             struct wp_charge_row out[3]);

#endif
