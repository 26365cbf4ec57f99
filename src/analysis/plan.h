/* Repetitions needed (issue 29, item 3): from a nested design's variance components
 * (between units, between experiments within a unit, between runs within an experiment),
 * how many runs per experiment, experiments per unit or units would make the t interval of
 * the mean over units as narrow as +/- a share of the mean, and whether the data already
 * do.  Pure functions over struct wp_design (stats.h), plus the per-group driver.
 * Layer: src/analysis/, reads the store through store/store.h (never SQL) and computes with
 * src/stats/; nothing above it (report/, export/, charts/, cli/). */
#ifndef WP_ANALYSIS_PLAN_H
#define WP_ANALYSIS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/analysis.h"
#include "stats/stats.h"

#define WP_PLAN_MAX 100000 /* the largest count a plan proposes; beyond: not reachable */

/* Variance components by moments (ANOVA, unbalanced designs approximated with the mean of
 * 1/n): var_run the pooled within-experiment variance (n-1); var_exp the pooled variance of
 * experiment means within units less var_run x mean(1/runs), floored at 0; var_unit the
 * variance of unit means less the average of var_exp / E_u + var_run x mean(1/n) / E_u,
 * floored at 0.  A component no level of the data can show (no experiment with 2 runs, no
 * unit with 2 experiments) is 0 with its has_ flag false. */
struct wp_plan {
    double mean;              /* of the unit means */
    size_t n_units;
    double exps_per_unit, runs_per_exp; /* averages over the design */
    double var_unit, var_exp, var_run;
    bool has_var_exp, has_var_run;
    double target;            /* the share asked, e.g. 0.05 */
    double half_now;          /* the t interval's half-width over the unit means, as a
                                 share of the mean (NAN with fewer than 2 units) */
    bool is_reached;          /* half_now <= target */
    /* the smallest count that reaches the target with the others as now, 0 when no count
     * up to WP_PLAN_MAX does (or the component it acts on is not shown by the data) */
    size_t runs_needed, exps_needed, units_needed;
};

/* Fills p for design d at confidence `level` and target share `target` (> 0). */
enum wp_err wp_stats_plan(const struct wp_design *d, double level, double target,
                          struct wp_plan *p);

/* One plan per group of the analysis options o (grouping, unit, filter; level): free the
 * result with wp_plans_free. */
struct wp_plans {
    struct wp_plan_row {
        char *task, *model, *dataset, *hardware; /* NULL where not grouped by; owned */
        struct wp_plan plan;
    } *v;
    size_t n;
    enum wp_unit unit;
};
enum wp_err wp_plans_run(struct wp_store *s, const struct wp_analysis_opts *o, double target,
                         struct wp_plans *out, struct wp_diag *d);
void wp_plans_free(struct wp_plans *p);

#endif
