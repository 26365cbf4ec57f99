/* Chart "groups" (src/charts/groups.c): the runs before any label, by what their logs name
 * them (analysis/logged.h).  Drawn from a struct wp_logged rather than a wp_analysis, so it is
 * not in the chart-kind table; `wattprint chart groups` and the report on unlabelled runs
 * call it. */
#ifndef WP_CHARTS_GROUPS_H
#define WP_CHARTS_GROUPS_H

#include "charts/charts.h"
#include "analysis/logged.h"

/* Per group, the mean kWh per run (a dot on a log axis) with its bootstrap interval over
 * runs (a whisker) and the run count in the label, highest first, at most o->top groups
 * (0: WP_CHART_TOP_DEFAULT).  o->date NULL: l->newest.  WP_ERR_EMPTY when no group has an
 * energy. */
enum wp_err wp_chart_groups(const struct wp_logged *l, const struct wp_chart_opts *o,
                            struct wp_diag *d);

#endif
