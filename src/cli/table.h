/* Tabular output for listing commands: aligned text for people (buffered to measure the
 * columns), CSV (RFC 4180 quoting, numbers with %.17g) or JSON (an array of objects),
 * streamed row by row. */
#ifndef WP_CLI_TABLE_H
#define WP_CLI_TABLE_H

#include <stdio.h>

#include "cli/cli.h"

/* WP_COL_CI_LO: a t interval's lower end, the cell a const struct wp_ci *: people read
 * "0†" where it is below zero (the one rule of stats.h), CSV and JSON the exact value. */
/* WP_COL_COUNT: a long long count where 0 or less means unknown (an unlabelled run's
 * inference count): "-" for people, empty in CSV, null in JSON, never a 0. */
enum wp_coltype { WP_COL_TEXT, WP_COL_INT, WP_COL_NUM, WP_COL_BOOL, WP_COL_CI_LO, WP_COL_COUNT };

struct wp_col {
    const char *name;      /* with its unit: energy_kwh, emissions_g */
    enum wp_coltype type;
    int sig;               /* significant digits in the table format (NUM) */
};

struct wp_table; /* opaque */

/* Returns NULL on out-of-memory.  cols must outlive the table. */
struct wp_table *wp_table_new(FILE *out, enum wp_outfmt fmt, const struct wp_col *cols,
                              size_t n_cols);
/* One row: cells[i] is a const char * for TEXT, a long long * for INT, a double * for NUM
 * (NAN and +-inf print "-" / empty / null: never "nan" or "inf", which JSON has not; the
 * infinite ones are counted and wp_table_end warns about them), a bool * for BOOL (true /
 * false in JSON; "yes" / "" in the table and CSV).  A TEXT cell's control characters are
 * escaped in the table for people, kept exact in CSV and JSON. */
int wp_table_row(struct wp_table *t, const void *const *cells);
/* Writes what is buffered and frees the table; returns non-zero on a write error. */
int wp_table_end(struct wp_table *t);
/* wp_table_end for a JSON array that is a member of an object the caller writes around
 * it: no line end after the closing bracket (the other formats as wp_table_end). */
int wp_table_end_member(struct wp_table *t);

#endif
