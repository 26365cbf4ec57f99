/* Star ratings of every model within its task, from an analysis grouped by model and task:
 * the AI Energy Score rule (wp_stats_stars) on mean GPU energy per 1,000 inferences, the
 * leaderboard's unit.  The same rating the energy label shows, for tables and cards.
 * Layer: src/stats/ (pure: no SQL, no files); includes only stats/ and util/. */
#ifndef WP_STATS_RATING_H
#define WP_STATS_RATING_H

#include <stddef.h>

#include "stats/groups.h"
#include "stats/stats.h"

/* stars[i] (1..5; 0 when group i has no GPU energy, or no other model of its task has one
 * to rate it against) and rated[i] (models of group i's task with a GPU energy) for each
 * of a->n_groups groups (wp_analysis_table of an analysis); both arrays caller-owned.
 * WP_ERR_USAGE unless a is grouped by model and task. */
enum wp_err wp_rating_by_task(const struct wp_group_table *a, enum wp_star_method method,
                              int *stars, size_t *rated, struct wp_diag *d);

#endif
