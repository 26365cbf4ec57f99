/* Filters that match nothing (see filter.h): the known values of each filter from the
 * store, the nearest one by edit distance, one message. */
#include "analysis/filter.h"

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/num.h"
#include "util/text.h"

#define LISTED 5 /* known values named in a message (cut to 40 bytes); the rest counted */

size_t wp_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t na = strlen(a), nb = strlen(b);
    if ((na > nb ? na - nb : nb - na) > cap)
        return cap + 1;
    size_t *row = malloc((nb + 1) * sizeof *row);
    if (!row)
        return cap + 1;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0], best = row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            bool same = tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]);
            size_t v = diag + !same;
            if (up + 1 < v)
                v = up + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            row[j] = v;
            diag = up;
            best = v < best ? v : best;
        }
        if (best > cap) { /* every path is already too long */
            free(row);
            return cap + 1;
        }
    }
    size_t d = row[nb];
    free(row);
    return d;
}

struct known {
    const char *want;
    bool found;
    size_t n;
    char listed[LISTED][48];
    char nearest[128];
    size_t nearest_d, cap;
};

static int see(void *ctx, const char *value)
{
    struct known *k = ctx;
    if (strcmp(value, k->want) == 0) {
        k->found = true;
        return 1;
    }
    if (k->n < LISTED)
        wp_strlcpy_utf8(k->listed[k->n], value, 41);
    k->n++;
    size_t dist = wp_edit_distance(k->want, value, k->cap);
    /* a value that differs only in case, or contains what was asked, is near too */
    if (dist > k->cap && strlen(k->want) >= 4 && strlen(value) >= 4 &&
        (strcasestr(value, k->want) || strcasestr(k->want, value)))
        dist = k->cap;
    /* the nearest; among equals the shortest (the plainest name), then the first */
    if (dist <= k->cap && (dist < k->nearest_d ||
                           (dist == k->nearest_d && strlen(value) < strlen(k->nearest)))) {
        k->nearest_d = dist;
        snprintf(k->nearest, sizeof k->nearest, "%s", value);
    }
    return 0;
}

/* " did you mean X? the tasks are: a, b, c and 4 more" into buf. */
static void alternatives(const struct known *k, const char *plural, char *buf, size_t size)
{
    size_t at = 0;
    buf[0] = '\0';
    if (*k->nearest) { /* the suggestion alone: the list is one command away */
        snprintf(buf, size, "; did you mean \"%s\"?", k->nearest);
        return;
    }
    if (!k->n) {
        snprintf(buf + at, size - at, "; no %s in the database yet", plural);
        return;
    }
    at += (size_t)snprintf(buf + at, size - at, "; the %s are: ", plural);
    for (size_t i = 0; i < k->n && i < LISTED && at < size; i++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", i ? ", " : "", k->listed[i]);
    if (k->n > LISTED && at < size)
        snprintf(buf + at, size - at, " and %zu more", k->n - LISTED);
}

static enum wp_err check(struct wp_store *s, enum wp_label_kind kind, const char *key,
                         const char *value, const char *what, const char *plural,
                         bool *found, struct wp_diag *d)
{
    struct known k = {.want = value, .nearest_d = (size_t)-1};
    k.cap = strlen(value) / 3 > 2 ? strlen(value) / 3 : 2;
    enum wp_err e = wp_store_each_label(s, kind, key, see, &k, d);
    if (e)
        return e;
    *found = k.found;
    if (k.found)
        return WP_OK;
    char alt[sizeof d->msg];
    alternatives(&k, plural, alt, sizeof alt);
    return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0, "%s matches nothing%s", what, alt);
}

/* A --where key that is a run's configuration (an extra column of its log): whether the
 * key and the value are there, and a few of the key's values for the message. */
struct extra_scan {
    const char *key, *want;
    bool has_key, found;
    char listed[LISTED][48];
    size_t n_listed;
    bool more;
};

static int see_extra(void *ctx, long long run_id, const char *phase, const char *key,
                     const char *value)
{
    (void)run_id;
    (void)phase;
    struct extra_scan *x = ctx;
    if (strcmp(key, x->key) != 0)
        return 0;
    x->has_key = true;
    double a, b;
    if (strcmp(value, x->want) == 0 || (wp_parse_num(value, &a) == WP_NUM_OK &&
                                        wp_parse_num(x->want, &b) == WP_NUM_OK && a == b)) {
        x->found = true;
        return 1;
    }
    for (size_t i = 0; i < x->n_listed; i++)
        if (strncmp(x->listed[i], value, sizeof x->listed[i] - 1) == 0)
            return 0;
    if (x->n_listed < LISTED)
        wp_strlcpy_utf8(x->listed[x->n_listed++], value, 41);
    else
        x->more = true;
    return 0;
}

/* --where KEY=VALUE on a run's configuration; WP_ERR_EMPTY with the message when the key
 * is there but not the value, *has_key false when no run has the key. */
static enum wp_err check_extra(struct wp_store *s, const struct wp_run_filter *f,
                               bool *has_key, struct wp_diag *d)
{
    struct extra_scan x = {.key = f->where_key, .want = f->where_value ? f->where_value : ""};
    enum wp_err e = wp_store_each_run_extra(s, see_extra, &x, d);
    *has_key = x.has_key;
    if (e || x.found || !x.has_key)
        return e;
    char list[LISTED * 50] = "";
    size_t at = 0;
    for (size_t i = 0; i < x.n_listed && at < sizeof list; i++)
        at += (size_t)snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", x.listed[i]);
    return wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                       "--where %.80s=%.80s matches nothing; the runs' values of %.80s are: "
                       "%s%s", f->where_key, x.want, f->where_key, list,
                       x.more ? " and more" : "");
}

enum wp_err wp_filter_check(struct wp_store *s, const struct wp_run_filter *f,
                            struct wp_diag *d)
{
    static const struct {
        enum wp_label_kind kind;
        size_t offset;
        const char *what, *plural;
    } plain[] = {
        {WP_LABEL_TASK, offsetof(struct wp_run_filter, task), "--task", "tasks"},
        {WP_LABEL_MODEL, offsetof(struct wp_run_filter, model), "--model", "models"},
        {WP_LABEL_DATASET, offsetof(struct wp_run_filter, dataset), "--dataset", "datasets"},
        {WP_LABEL_PHASE, offsetof(struct wp_run_filter, phase), "--phase", "phases"},
    };
    bool found = true;
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        const char *v = *(const char *const *)((const char *)f + plain[i].offset);
        if (!v || !*v)
            continue;
        char what[160];
        snprintf(what, sizeof what, "%s \"%.120s\"", plain[i].what, v);
        enum wp_err e = check(s, plain[i].kind, NULL, v, what, plain[i].plural, &found, d);
        if (e)
            return e;
    }
    if (!f->where_key)
        return WP_OK;
    char what[200];
    snprintf(what, sizeof what, "--where: the manifest column or configuration key \"%.120s\"",
             f->where_key);
    enum wp_err e = check(s, WP_LABEL_ATTR_KEY, NULL, f->where_key, what, "columns", &found, d);
    if (e == WP_ERR_EMPTY) { /* not a manifest column: a key of the runs' logs? */
        struct wp_diag kd = *d;
        bool has_key;
        e = check_extra(s, f, &has_key, d);
        if (!e && !has_key) {
            *d = kd; /* neither: the message about manifest columns */
            e = WP_ERR_EMPTY;
        }
        return e;
    }
    if (e)
        return e;
    const char *v = f->where_value ? f->where_value : "";
    snprintf(what, sizeof what, "--where %.80s=%.80s", f->where_key, v);
    return check(s, WP_LABEL_ATTR_VALUE, f->where_key, v, what, "values of this column", &found,
                 d);
}

bool wp_filter_is_set(const struct wp_run_filter *f)
{
    return (f->task && *f->task) || (f->model && *f->model) || (f->dataset && *f->dataset) ||
           (f->phase && *f->phase) || f->where_key;
}

void wp_filter_describe(const struct wp_run_filter *f, char *buf, size_t size)
{
    const char *const opt[] = {"--task", "--model", "--dataset", "--phase"};
    const char *const val[] = {f->task, f->model, f->dataset, f->phase};
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < 4 && at < size; i++)
        if (val[i] && *val[i])
            at += (size_t)snprintf(buf + at, size - at, "%s%s \"%s\"", at ? " " : "", opt[i],
                                   val[i]);
    if (f->where_key && at < size)
        snprintf(buf + at, size - at, "%s--where %s=%s", at ? " " : "", f->where_key,
                 f->where_value ? f->where_value : "");
}
