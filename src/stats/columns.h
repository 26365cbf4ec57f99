/* The columns of a per-group statistics table, described once: each column's name (with
 * its unit, as machine formats print it), its unit for people, its kind, its significant
 * digits for people and how its value is read from a group.  Every writer of a group table
 * renders these: `stats` (table, CSV, JSON) and the LaTeX tables; a writer chooses which
 * columns it shows and how it heads them, never where a value comes from.
 * Layer: src/stats/ (pure: no SQL, no files); includes only stats/ and util/. */
#ifndef WP_STATS_COLUMNS_H
#define WP_STATS_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/groups.h"

/* WP_GCOL_CI: a t interval (its lower end is the column): people see the rule of stats.h,
 * 0 and a dagger where it reaches below zero (wp_ci_lo_shown); machines its exact lo. */
enum wp_gcol_kind { WP_GCOL_TEXT, WP_GCOL_COUNT, WP_GCOL_NUM, WP_GCOL_BOOL, WP_GCOL_CI };

/* One value of a column: the member its kind names. */
union wp_gcell {
    const char *text; /* never NULL: "" where the group has none */
    long long count;
    double num;       /* NAN unknown */
    bool flag;
    const struct wp_ci *ci;
};

struct wp_gcol {
    const char *name;       /* mean_kwh_per_1k */
    const char *unit;       /* "kWh per 1,000 inferences"; "" for text, counts, factors */
    enum wp_gcol_kind kind;
    int sig;                /* significant digits for people (NUM) */
    size_t off;             /* where the value is in struct wp_group_stats ... */
    union wp_gcell (*get)(enum wp_unit unit, const struct wp_group_stats *g);
                            /* ... or, when not NULL, how it is computed */
};

/* Every column, in the order of `stats --format csv`. */
#define WP_N_GROUP_COLS 41
extern const struct wp_gcol wp_group_cols[WP_N_GROUP_COLS];

/* Columns a group also has that `stats` leaves out of its table: the model's facts
 * (parameters, purpose, mean GPU energy, training energy), for the workbook. */
#define WP_N_GROUP_MORE_COLS 4
extern const struct wp_gcol wp_group_more_cols[WP_N_GROUP_MORE_COLS];

/* The column named name (in either table), NULL if none. */
const struct wp_gcol *wp_gcol_find(const char *name);
/* Column c's value for group g of an analysis whose intervals are over unit. */
union wp_gcell wp_gcol_get(const struct wp_gcol *c, enum wp_unit unit,
                           const struct wp_group_stats *g);
/* A NUM or COUNT value as a double, a CI's exact lower end (NAN for text and flags). */
double wp_gcol_num(const struct wp_gcol *c, enum wp_unit unit,
                   const struct wp_group_stats *g);

#endif
