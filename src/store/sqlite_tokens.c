/* SQLite backend, token counts: per model and dataset, the samples and token sums that a
 * token-count file gave (schema/004_token_count.sql).  Replaced one file at a time. */
#include "store/sqlite_int.h"

#include <stdio.h>

/* WP_ERR_CONFLICT when another file already gave c's model and dataset. */
static enum wp_err check_owner(struct wp_sq *s, const char *source_path,
                               const struct wp_token_count *c, struct wp_diag *d)
{
    sqlite3_stmt *st = wp_sq_stmt(s, ST_TOKENS_OWNER, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, c->model);
    wp_sq_text(st, 2, c->dataset);
    int rc = sqlite3_step(st);
    enum wp_err e = WP_OK;
    if (rc == SQLITE_ROW)
        e = wp_diag_set(d, WP_ERR_CONFLICT, source_path, 0, 0,
                        "token counts of %s on %s (logged as %s, %s) already come from %s "
                        "(logged as %s, %s): a model and dataset take their counts from one "
                        "file", c->model, c->dataset, c->logged_model, c->logged_dataset,
                        wp_sq_col_text(st, 0), wp_sq_col_text(st, 1), wp_sq_col_text(st, 2));
    else if (rc != SQLITE_DONE)
        e = wp_sq_fail(s, d, "read token counts");
    sqlite3_reset(st);
    return e;
}

enum wp_err wp_sq_tokens_put(struct wp_store *b, const char *source_path,
                                const struct wp_token_count *v, size_t n, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_TOKENS_DEL, d);
    if (!st)
        return WP_ERR_DB;
    wp_sq_text(st, 1, source_path);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return wp_sq_fail(s, d, "replace token counts");
    for (size_t i = 0; i < n; i++) {
        const struct wp_token_count *c = &v[i];
        enum wp_err e = check_owner(s, source_path, c, d);
        if (e)
            return e;
        if (!(st = wp_sq_stmt(s, ST_TOKENS_NEW, d)))
            return WP_ERR_DB;
        wp_sq_text(st, 1, c->model);
        wp_sq_text(st, 2, c->dataset);
        sqlite3_bind_int64(st, 3, c->samples);
        sqlite3_bind_int64(st, 4, c->input_tokens);
        sqlite3_bind_int64(st, 5, c->output_tokens);
        wp_sq_text(st, 6, c->logged_model);
        wp_sq_text(st, 7, c->logged_dataset);
        wp_sq_text(st, 8, source_path);
        wp_sq_text(st, 9, c->source_sha256);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return wp_sq_fail(s, d, "store token counts");
    }
    return WP_OK;
}

enum wp_err wp_sq_each_token_count(struct wp_store *b,
                                      int (*fn)(void *ctx, const struct wp_token_count *c,
                                                bool has_experiment),
                                      void *ctx, struct wp_diag *d)
{
    struct wp_sq *s = wp_sq_of(b);
    sqlite3_stmt *st = wp_sq_stmt(s, ST_TOKENS_ALL, d);
    if (!st)
        return WP_ERR_DB;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct wp_token_count c = {
            .model = wp_sq_col_text(st, 0),
            .dataset = wp_sq_col_text(st, 1),
            .samples = sqlite3_column_int64(st, 2),
            .input_tokens = sqlite3_column_int64(st, 3),
            .output_tokens = sqlite3_column_int64(st, 4),
            .logged_model = wp_sq_col_text(st, 5),
            .logged_dataset = wp_sq_col_text(st, 6),
            .source_path = wp_sq_col_text(st, 7),
            .source_sha256 = wp_sq_col_text(st, 8),
        };
        if (fn(ctx, &c, sqlite3_column_int(st, 9) != 0))
            break;
    }
    enum wp_err e = rc == SQLITE_ROW || rc == SQLITE_DONE ? WP_OK
                                                           : wp_sq_fail(s, d, "read token counts");
    sqlite3_reset(st);
    return e;
}
