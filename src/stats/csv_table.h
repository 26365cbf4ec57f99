/* A small CSV table read by its header: the loop of the files a user hands the statistics
 * (published reference values, leaderboard snapshots), read with the ingest CSV reader.
 * The caller says what its header must have and what a row becomes.
 * Layer: src/stats/, no SQL, no store, no analysis: includes only stats/, util/ and the
 * CSV reader of ingest/csv.h. */
#ifndef WP_STATS_CSV_TABLE_H
#define WP_STATS_CSV_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "ingest/csv.h"
#include "util/err.h"

struct wp_csv_table {
    const char *path;
    /* finds the columns in the header record, filling col[0 .. n_col) (-1: none), or
     * fills d when one it needs is missing */
    enum wp_err (*header)(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d);
    /* one record that has every column found */
    enum wp_err (*row)(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d);
    void *ctx;
    const long *col;
    size_t n_col;
};

/* Reads t->path: the first record is the header, each next one a row; a row shorter than
 * the columns the header found is "too few fields".  *has_header: whether there was a
 * first record.  The caller frees what its rows made when this fails. */
enum wp_err wp_csv_table_read(const struct wp_csv_table *t, bool *has_header,
                              struct wp_diag *d);

#endif
