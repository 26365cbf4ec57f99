/* The tables of runs before any label (analysis/logged.h) for `summary` and `stats --by
 * project`: what the logs say per group, and the one sentence saying what to add. */
#ifndef WP_CLI_LOGGED_H
#define WP_CLI_LOGGED_H

#include <stdbool.h>

#include "cli/cli.h"
#include "stats/stats.h"

/* Prints the groups of the runs that statistics per 1,000 inferences cannot use yet: with
 * `with_ci` the mean energy per run and its intervals (stats), else the totals (summary).
 * boot NULL = the defaults.  Returns the exit code; *n_groups (when not NULL) receives how
 * many groups there were (0: nothing printed as a table; csv and json print their header
 * or an empty array, which a reader of them expects). */
int wp_cli_logged(struct wp_cli *c, struct wp_store *s, enum wp_outfmt fmt, bool with_ci,
                  const struct wp_bootstrap *boot, size_t *n_groups);

/* Notes (not with -q) that n runs are left out of a table per 1,000 inferences for want of
 * labels, and where they are shown. */
void wp_cli_logged_note(const struct wp_cli *c, long long n_unlabelled);

#endif
