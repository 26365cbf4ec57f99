/* The static leaderboard: DIR/index.html (one self-contained page: no external resource,
 * a CSP that allows only its inline script by hash, accessible tables sortable and
 * filterable by task, size class and hardware) and DIR/leaderboard.json (schema_version 1,
 * documented in README.md), from configurations src/analysis/genai.c computed.  Formatting
 * only: no SQL, no statistic.  Same configurations, same bytes. */
#ifndef WP_REPORT_LEADERBOARD_H
#define WP_REPORT_LEADERBOARD_H

#include "analysis/genai.h"
#include "util/err.h"

#define WP_LEADERBOARD_SCHEMA_VERSION 1

struct wp_leaderboard_opts {
    const char *dir;                  /* written: DIR/index.html, DIR/leaderboard.json */
    const char *title;                /* NULL: "Energy leaderboard" */
    const struct wp_gen_filter *selection; /* as stated in the outputs; NULL = everything */
};

/* Writes both files atomically (the folder made if needed); the first error in d. */
enum wp_err wp_leaderboard_write(const struct wp_gen_set *set,
                                 const struct wp_leaderboard_opts *o, struct wp_diag *d);

#endif
