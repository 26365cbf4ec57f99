/* stats --pairwise / --pair A,B (src/cli/stats_pairwise.c), internal to src/cli/: the
 * task-vs-task comparisons of src/analysis/analysis.c for people, CSV and JSON. */
#ifndef WP_CLI_STATS_PAIRWISE_H
#define WP_CLI_STATS_PAIRWISE_H

#include <stdio.h>

#include "cli/cli.h"
#include "analysis/analysis.h"

#define WP_MAX_PAIRS 64

#define WP_MAX_PAIR_NAME 256

/* The pairs the user asked for: names[2k] vs names[2k + 1] (no allocation: nothing to free). */
struct wp_pair_req {
    bool all;                          /* --pairwise: every pair */
    char buf[2 * WP_MAX_PAIRS][WP_MAX_PAIR_NAME];
    const char *names[2 * WP_MAX_PAIRS];
    size_t n;
};

/* Adds "A,B" (--pair); false after a usage message. */
bool wp_cli_pair_add(struct wp_pair_req *r, const char *arg);

/* The comparisons: a table for people (with what the columns mean), CSV, or a JSON array;
 * non-zero on a write error. */
int wp_cli_pairwise_print(enum wp_outfmt fmt, const struct wp_pairwise *p, FILE *out);

#endif
