/* Ratings within each task (see rating.h).  Groups of one task are contiguous in an
 * analysis (sorted by task, then model), so each task is one slice.  Pure. */
#include "stats/rating.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool same_task(const struct wp_group_stats *a, const struct wp_group_stats *b)
{
    return a->task && b->task && strcmp(a->task, b->task) == 0;
}

enum wp_err wp_rating_by_task(const struct wp_group_table *a, enum wp_star_method method,
                              int *stars, size_t *rated, struct wp_diag *d)
{
    if (a->by != WP_BY_MODEL_TASK)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "ratings need statistics grouped by model and task");
    double *energy = malloc((a->n_groups ? a->n_groups : 1) * sizeof *energy);
    if (!energy)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < a->n_groups;) {
        size_t j = i, n_rated = 0;
        for (; j < a->n_groups && same_task(&a->groups[i], &a->groups[j]); j++) {
            energy[j] = a->groups[j].gpu_kwh_per_1k; /* kWh per 1,000 queries */
            n_rated += isfinite(energy[j]) != 0;
        }
        if (j == i)
            j = i + 1; /* a group without a task: rated alone */
        for (size_t k = i; k < j; k++) {
            stars[k] = 0;
            rated[k] = n_rated;
        }
        if (n_rated >= 2) /* a model alone in its task has nothing to be rated against */
            wp_stats_stars(energy + i, j - i, method, stars + i);
        i = j;
    }
    free(energy);
    return WP_OK;
}
