/* stats --best (src/cli/stats_best.c), internal to src/cli/. */
#ifndef WP_CLI_STATS_BEST_H
#define WP_CLI_STATS_BEST_H

#include <string.h>

#include "cli/cli.h"

struct wp_best_opts {
    double max_latency_ms;
    const char *latency, *energy;    /* column names; NULL: itl_p50_s, j_per_output_token */
    const char *task, *model, *gpu;  /* NULL = any */
    const char *where_key, *where_value; /* a configuration's KEY=VALUE (genai.h) */
    enum wp_outfmt fmt;
};

/* Prints the lowest-energy configuration per model and task within the latency limit;
 * returns the exit code.  Prints to out. */
int wp_cli_stats_best(struct wp_cli *c, const struct wp_best_opts *o, FILE *out);

#endif
