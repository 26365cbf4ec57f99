/* The CSV table loop (csv_table.h) that reference.c and leaderboard.c share. */
#include "stats/csv_table.h"

static enum wp_err on_header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    const struct wp_csv_table *t = ctx;
    return t->header(t->ctx, rec, d);
}

static enum wp_err on_row(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    const struct wp_csv_table *t = ctx;
    long last = 0;
    for (size_t k = 0; k < t->n_col; k++)
        last = t->col[k] > last ? t->col[k] : last;
    return rec->n <= (size_t)last
               ? wp_diag_set(d, WP_ERR_PARSE, t->path, rec->line, 0, "too few fields")
               : t->row(t->ctx, rec, d);
}

enum wp_err wp_csv_table_read(const struct wp_csv_table *t, bool *has_header,
                              struct wp_diag *d)
{
    struct wp_csv_each each = {on_header, on_row, (void *)t};
    return wp_csv_each(t->path, &each, has_header, NULL, d);
}
