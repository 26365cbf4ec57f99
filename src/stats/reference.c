/* Published reference values (see reference.h), read as a CSV table (csv_table.h). */
#include "stats/reference.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/csv_table.h"
#include "util/num.h"
#include "util/array.h"

static enum wp_err add_row(struct wp_reference *r, const struct wp_csv_record *rec,
                           const long col[7], const char *path, struct wp_diag *d)
{
    if (WP_ARRAY_GROW(r->v, r->n + 1, r->cap))
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    struct wp_reference_row *row = &r->v[r->n];
    memset(row, 0, sizeof *row);
    row->mean = row->sd = row->g_mean = NAN;
    const char *src = col[3] >= 0 ? rec->fields[col[3]] : "";
    row->key = strdup(rec->fields[col[0]]);
    row->source = strdup(src);
    row->note = strdup(col[5] >= 0 ? rec->fields[col[5]] : "");
    r->n++;
    if (!row->key || !row->source || !row->note)
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    if (col[6] >= 0 && rec->fields[col[6]][0]) {
        double m;
        enum wp_num ne = wp_parse_num(rec->fields[col[6]], &m);
        if (ne != WP_NUM_OK || m < 1 || m > 1e9 || m != floor(m))
            return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, col[6] + 1,
                               "models: \"%.40s\" is not a count", rec->fields[col[6]]);
        row->models = (size_t)m;
    }
    double *out[3] = {&row->mean, &row->sd, &row->g_mean};
    double *unit[3] = {&row->mean_unit, &row->sd_unit, &row->g_unit};
    const long num_col[3] = {col[1], col[2], col[4]};
    for (int k = 0; k < 3; k++) {
        if (num_col[k] < 0)
            continue;
        const char *t = rec->fields[num_col[k]];
        enum wp_num e = wp_parse_num(t, out[k]);
        if (e == WP_NUM_INVALID || e == WP_NUM_RANGE)
            return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, num_col[k] + 1,
                               "\"%.40s\" is not a number", t);
        *unit[k] = 2 * wp_num_half_unit(t);
    }
    return WP_OK;
}

struct loading {
    const char *path;
    struct wp_reference *out;
    long col[7]; /* key, mean, sd, source, g mean, note, models */
};

static enum wp_err header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct loading *l = ctx;
    long *col = l->col;
    static const char *const keys[] = {"task", "model", "dataset"};
    for (size_t i = 0; i < rec->n; i++) {
        const char *f = rec->fields[i];
        for (int k = 0; k < 3; k++)
            if (strcmp(f, keys[k]) == 0 && col[0] < 0)
                col[0] = (long)i;
        if (strcmp(f, "mean_kwh_per_1k") == 0)
            col[1] = (long)i;
        else if (strcmp(f, "sd_kwh_per_1k") == 0)
            col[2] = (long)i;
        else if (strcmp(f, "source") == 0)
            col[3] = (long)i;
        else if (strcmp(f, "mean_g_co2eq_per_1k") == 0)
            col[4] = (long)i;
        else if (strcmp(f, "note") == 0)
            col[5] = (long)i;
        else if (strcmp(f, "models") == 0)
            col[6] = (long)i;
    }
    if (col[0] < 0 || (col[1] < 0 && col[2] < 0 && col[4] < 0))
        return wp_diag_set(d, WP_ERR_PARSE, l->path, rec->line, 0,
                           "a reference needs a task, model or dataset column and "
                           "mean_kwh_per_1k, sd_kwh_per_1k or mean_g_co2eq_per_1k");
    return WP_OK;
}

static enum wp_err row(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct loading *l = ctx;
    return add_row(l->out, rec, l->col, l->path, d);
}

enum wp_err wp_reference_load(const char *path, struct wp_reference *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct loading l = {path, out, {-1, -1, -1, -1, -1, -1, -1}};
    struct wp_csv_table t = {path, header, row, &l, l.col, 7};
    bool has_header;
    enum wp_err e = wp_csv_table_read(&t, &has_header, d);
    if (!e && !has_header)
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "empty reference file");
    if (e)
        wp_reference_free(out);
    return e;
}

void wp_reference_free(struct wp_reference *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].key);
        free(r->v[i].source);
        free(r->v[i].note);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}

const struct wp_reference_row *wp_reference_find(const struct wp_reference *r, const char *key)
{
    for (size_t i = 0; key && i < r->n; i++)
        if (strcmp(r->v[i].key, key) == 0)
            return &r->v[i];
    return NULL;
}

bool wp_reference_agrees(double value, double printed, double unit)
{
    /* a little slack for the binary representation of the printed decimal */
    return fabs(value - printed) <= unit * (1 + 1e-9);
}
