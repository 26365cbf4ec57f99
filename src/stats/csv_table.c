/* The CSV table loop (csv_table.h) that reference.c and leaderboard.c share. */
#include "stats/csv_table.h"

#include "ingest/reader.h"

enum wp_err wp_csv_table_read(const struct wp_csv_table *t, bool *has_header,
                              struct wp_diag *d)
{
    struct wp_reader *rd = NULL;
    struct wp_csv *csv = NULL;
    *has_header = false;
    enum wp_err e = wp_reader_open(t->path, &rd, d);
    if (!e)
        e = wp_csv_open(rd, &csv, d);
    while (!e) {
        struct wp_csv_record *rec;
        bool done;
        if ((e = wp_csv_next(csv, &rec, &done, d)) || done)
            break;
        if (!*has_header) {
            *has_header = true;
            e = t->header(t->ctx, rec, d);
            continue;
        }
        long last = 0;
        for (size_t k = 0; k < t->n_col; k++)
            last = t->col[k] > last ? t->col[k] : last;
        e = rec->n <= (size_t)last
                ? wp_diag_set(d, WP_ERR_PARSE, t->path, rec->line, 0, "too few fields")
                : t->row(t->ctx, rec, d);
    }
    wp_csv_close(csv);
    wp_reader_close(rd);
    return e;
}
