/* The chart-kind table: each kind's name, what it shows, and the analysis it needs. */
#include <string.h>

#include "charts/charts.h"

const struct wp_chart_kind wp_chart_kinds[] = {
    {"tasks", "energy per 1,000 inferences per task: boxes and experiments, log axis",
     WP_BY_TASK, true, true, wp_chart_tasks},
    {"scaling", "energy per 1,000 inferences vs model parameters, log-log, fits per task",
     WP_BY_TASK, false, false, wp_chart_scaling},
    {"models", "mean energy per model with confidence intervals over experiments, top N",
     WP_BY_MODEL_TASK, false, true, wp_chart_models},
    {"components", "share of energy by CPU, GPU and RAM per task",
     WP_BY_TASK, false, false, wp_chart_components},
    {"compare", "task-specific vs multi-purpose models per task",
     WP_BY_TASK, false, false, wp_chart_compare},
    {"label", "an energy label card for one model on one task",
     WP_BY_MODEL_TASK, false, false, wp_chart_label},
    {NULL, NULL, WP_BY_TASK, false, false, NULL},
};

const struct wp_chart_kind *wp_chart_find(const char *name)
{
    for (const struct wp_chart_kind *k = wp_chart_kinds; k->name; k++)
        if (strcmp(k->name, name) == 0)
            return k;
    return NULL;
}
