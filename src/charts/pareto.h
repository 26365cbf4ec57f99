/* Chart "pareto" (src/charts/pareto.c): drawn from generative configurations rather than
 * a wp_analysis, so it is not in the chart-kind table; `wattprint chart pareto` calls it. */
#ifndef WP_CHARTS_PARETO_H
#define WP_CHARTS_PARETO_H

#include "charts/charts.h"
#include "analysis/genai.h"

struct wp_pareto_in {
    const struct wp_gen_set *set;
    const struct wp_gen_column *x, *y; /* x: latency or throughput; y: an energy metric */
    const bool *on_front;              /* wp_gen_pareto over (x, y), set->n elements */
};

/* Draws the configurations into o->path; WP_ERR_EMPTY when none has both values. */
enum wp_err wp_chart_pareto(const struct wp_pareto_in *in, const struct wp_chart_opts *o,
                            struct wp_diag *d);

#endif
