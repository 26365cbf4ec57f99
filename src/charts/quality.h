/* Chart "quality" (src/charts/quality.c): energy against a published quality score, one
 * point per model and task (stats/paper.h), colour and marker by task, each task's Pareto
 * front drawn as a line through its points.  Drawn from a wp_quality rather than a
 * wp_analysis, so it is not in the chart-kind table; the study report calls it. */
#ifndef WP_CHARTS_QUALITY_H
#define WP_CHARTS_QUALITY_H

#include "charts/charts.h"
#include "stats/paper.h"

/* Draws q into o->path or o->target; WP_ERR_EMPTY when no row has an energy and a score. */
enum wp_err wp_chart_quality(const struct wp_quality *q, const struct wp_chart_opts *o,
                             struct wp_diag *d);

#endif
