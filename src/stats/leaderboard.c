/* Leaderboard snapshots (see leaderboard.h), read as a CSV table (csv_table.h). */
#include "stats/leaderboard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/csv_table.h"
#include "util/num.h"
#include "util/array.h"

static const char *const columns[] = {"model", "total_gpu_energy", "energy_score", "class",
                                      "test date"};
#define N_COLS (sizeof columns / sizeof columns[0])

static enum wp_err add_row(struct wp_leaderboard *l, const struct wp_csv_record *rec,
                           const long col[N_COLS], const char *path, struct wp_diag *d)
{
    if (WP_ARRAY_GROW(l->v, l->n + 1, l->cap))
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    struct wp_leaderboard_row *r = &l->v[l->n];
    memset(r, 0, sizeof *r);
    r->model = strdup(rec->fields[col[0]]);
    r->class = strdup(rec->fields[col[3]]);
    r->edition = strdup(rec->fields[col[4]]);
    l->n++;
    if (!r->model || !r->class || !r->edition)
        return wp_diag_set(d, WP_ERR_NOMEM, path, 0, 0, "out of memory");
    double stars;
    const char *e = rec->fields[col[1]], *s = rec->fields[col[2]];
    if (wp_parse_num(e, &r->kwh_per_1k) != WP_NUM_OK || !(r->kwh_per_1k >= 0))
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, col[1] + 1,
                           "total_gpu_energy: \"%.40s\" is not an energy", e);
    if (wp_parse_num(s, &stars) != WP_NUM_OK || stars < 1 || stars > 5 || stars != (int)stars)
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, col[2] + 1,
                           "energy_score: \"%.40s\" is not 1 to 5 stars", s);
    r->stars = (int)stars;
    return WP_OK;
}

struct loading {
    const char *path;
    struct wp_leaderboard *out;
    long col[N_COLS];
};

static enum wp_err header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct loading *l = ctx;
    for (size_t i = 0; i < rec->n; i++)
        for (size_t k = 0; k < N_COLS; k++)
            if (strcmp(rec->fields[i], columns[k]) == 0 && l->col[k] < 0)
                l->col[k] = (long)i;
    for (size_t k = 0; k < N_COLS; k++)
        if (l->col[k] < 0)
            return wp_diag_set(d, WP_ERR_PARSE, l->path, rec->line, 0,
                               "a leaderboard snapshot needs the columns model, "
                               "total_gpu_energy, energy_score, class and test date "
                               "(no \"%s\")", columns[k]);
    return WP_OK;
}

static enum wp_err row(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct loading *l = ctx;
    return add_row(l->out, rec, l->col, l->path, d);
}

enum wp_err wp_leaderboard_load(const char *path, struct wp_leaderboard *out,
                                struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct loading l = {path, out, {-1, -1, -1, -1, -1}};
    struct wp_csv_table t = {path, header, row, &l, l.col, N_COLS};
    bool has_header;
    enum wp_err e = wp_csv_table_read(&t, &has_header, d);
    if (!e && !out->n)
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "no model in the leaderboard snapshot");
    if (e)
        wp_leaderboard_free(out);
    return e;
}

void wp_leaderboard_free(struct wp_leaderboard *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].model);
        free(l->v[i].class);
        free(l->v[i].edition);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* "Feb 25" -> 202502; -1 when not "Mon YY". */
static long edition_key(const char *s)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char mon[4];
    int yy, used = 0;
    if (sscanf(s, "%3s %2d%n", mon, &yy, &used) != 2 || s[used] != '\0' || yy < 0)
        return -1;
    for (int m = 0; m < 12; m++)
        if (strcmp(mon, months[m]) == 0)
            return (2000L + yy) * 100 + m + 1;
    return -1;
}

enum wp_err wp_leaderboard_select(const struct wp_leaderboard *l, const char *cls,
                                  struct wp_leaderboard_set *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    long newest = -1;
    for (size_t i = 0; i < l->n; i++) {
        long k = edition_key(l->v[i].edition);
        if (k < 0)
            return wp_diag_set(d, WP_ERR_PARSE, NULL, 0, 0,
                               "test date \"%.40s\" is not a month and year such as \"Feb 25\"",
                               l->v[i].edition);
        if (k > newest) {
            newest = k;
            out->edition = l->v[i].edition;
        }
    }
    char classes[256] = "";
    size_t n_classes = 0, used = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->v[i].edition, out->edition) != 0)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(l->v[j].edition, out->edition) == 0 &&
                   strcmp(l->v[j].class, l->v[i].class) == 0;
        if (!seen) {
            n_classes++;
            if (used < sizeof classes)
                used += (size_t)snprintf(classes + used, sizeof classes - used, "%s%s",
                                         used ? ", " : "", l->v[i].class);
            if (!cls && n_classes == 1)
                out->class = l->v[i].class;
        }
        if (cls && strcmp(l->v[i].class, cls) == 0)
            out->class = l->v[i].class;
    }
    if (!cls && n_classes > 1)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "the %s edition rates several classes (%s): give one with "
                           "--against-class", out->edition, classes);
    if (!out->class)
        return wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                           "class \"%s\" has no model in the %s edition (classes: %s)", cls,
                           out->edition, classes);
    out->kwh_per_1k = malloc(l->n * sizeof *out->kwh_per_1k);
    if (!out->kwh_per_1k)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].edition, out->edition) == 0 &&
            strcmp(l->v[i].class, out->class) == 0)
            out->kwh_per_1k[out->n++] = l->v[i].kwh_per_1k;
    return WP_OK;
}

void wp_leaderboard_set_free(struct wp_leaderboard_set *s)
{
    free(s->kwh_per_1k);
    memset(s, 0, sizeof *s);
}
