/* A before/after gate: a candidate's energy per 1,000 inferences against a baseline's, per
 * task (the model the unit) or per model x task (the experiment, a model on a dataset, the
 * unit), as the ratio of the means of unit means with a paired cluster-bootstrap interval
 * (units matched by name on both sides, so that what differs between models cancels; an
 * independent one when fewer than two units match), a verdict against an equivalence
 * margin, and what differs between the sides' set-ups (hardware, datasets, the components
 * the energy is logged in, batch sizes), so that a ratio that is not the change alone says
 * so.  Reads runs through analysis/runs.h; prints nothing.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_GATE_H
#define WP_ANALYSIS_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/stats.h"
#include "store/store.h"
#include "util/err.h"

/* With the margin m and the interval [lo, hi] of candidate / baseline:
 * lower when hi < 1 - m, costlier when lo > 1 + m, same when 1 - m <= lo and hi <= 1 + m,
 * undecided otherwise (the interval reaches across an end of the margin, or there is no
 * interval because a side has a single unit). */
enum wp_verdict { WP_VERDICT_LOWER, WP_VERDICT_SAME, WP_VERDICT_COSTLIER, WP_VERDICT_UNDECIDED };

/* "lower", "same", "costlier", "undecided"; static. */
const char *wp_verdict_name(enum wp_verdict v);

/* The verdict of the interval [lo, hi] (NaN ends: undecided) against margin m >= 0. */
enum wp_verdict wp_verdict_of(double lo, double hi, double margin);

struct wp_gate_opts {
    bool by_model_task;       /* rows per model x task (unit: experiment); else per task
                                 (unit: model) */
    double margin;            /* relative, e.g. 0.05 */
    struct wp_bootstrap boot; /* seed, resamples, level */
};

/* Whether the two sides of a row were measured on the same hardware (the GPU and CPU models
 * their logs name): per paired unit the same set on both sides, else the sides as a whole;
 * unknown when a log names none. */
enum wp_gate_same { WP_GATE_SAME, WP_GATE_DIFFERS, WP_GATE_UNKNOWN };

enum { WP_GATE_CPU = 1, WP_GATE_GPU = 2, WP_GATE_RAM = 4 };

/* "CPU + GPU + RAM", "GPU or a total alone", ... of a parts_* set, into buf. */
void wp_gate_parts_text(unsigned seen, char *buf, size_t size);

struct wp_gate_row {
    char *task, *model;          /* model NULL when per task; owned */
    size_t runs_candidate, runs_baseline; /* of the paired units */
    bool is_paired;              /* at least 2 units (models, or datasets) on both sides:
                                    the ratio is over those, resampled together; else
                                    over each side's own units, resampled independently */
    size_t unpaired_candidate, unpaired_baseline; /* paired: units one side has alone, left
                                                     out */
    struct wp_ratio ratio;       /* a = candidate, b = baseline; n_a, n_b count units */
    enum wp_verdict verdict;
    const char *undecided_why;   /* why an undecided row is (static text), NULL otherwise */
    /* what the sides were measured on: a ratio across different hardware, or over a model
     * measured on other datasets (per task, paired; per model x task, where the datasets
     * are the units, when the sides' differ) is not the change alone */
    enum wp_gate_same hardware;
    bool is_datasets_differ;
    /* the components the runs' energy is logged in (a meter's scope: CodeCarbon's CPU, GPU
     * and RAM against Zeus' GPU alone): differ when a paired unit's (or, independent, a
     * side's) kinds of component sets differ; parts_*: bit k set for runs whose parts are
     * k (WP_GATE_CPU | WP_GATE_GPU | WP_GATE_RAM), see wp_gate_parts_text */
    bool is_parts_differ;
    unsigned parts_candidate, parts_baseline;
    /* paired: a unit's experiments run at other batch sizes on each side (the batch sizes
     * its experiments name; unknown ones ignored) */
    bool is_batch_differ;
    char *batch_candidate, *batch_baseline; /* "8 + 64" over the units compared; owned */
    char *hardware_candidate, *hardware_baseline; /* "A + B" over the units compared; owned */
};

struct wp_gate {
    struct wp_gate_row *rows;    /* groups both sides have a unit of, by task then model */
    size_t n_rows, cap_rows;
    size_t only_candidate, only_baseline; /* groups with no unit on the other side (not
                                             compared) */
    double margin;
    bool by_model_task;
    size_t n_costlier;
    size_t n_setup_differs;      /* rows whose sides differ in hardware, datasets,
                                    components or batch sizes */
};

/* Compares the runs of `cand` matching fc with those of `base` matching fb (the two stores
 * may be one).  WP_ERR_EMPTY with d set when no group is on both sides.  Free with
 * wp_gate_free. */
enum wp_err wp_gate_run(struct wp_store *cand, const struct wp_run_filter *fc,
                        struct wp_store *base, const struct wp_run_filter *fb,
                        const struct wp_gate_opts *o, struct wp_gate *out, struct wp_diag *d);
void wp_gate_free(struct wp_gate *g);

#endif
