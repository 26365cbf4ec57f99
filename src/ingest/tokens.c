/* Token-count files and the names map (see tokens.h): streamed row by row, summed per
 * (model, dataset) in a small table, then handed to the store in one transaction. */
#include "ingest/tokens.h"

#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ingest/csv.h"
#include "util/array.h"
#include "util/num.h"

/* ---- the names map -------------------------------------------------------------------- */

struct name_entry {
    char *field, *logged, *label;
    long line;
};

struct wp_token_names {
    struct name_entry *v;
    size_t n, cap;
};

void wp_token_names_free(struct wp_token_names *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        free(n->v[i].field);
        free(n->v[i].logged);
        free(n->v[i].label);
    }
    free(n->v);
    free(n);
}

static const struct name_entry *name_find(const struct wp_token_names *n, const char *field,
                                          const char *logged)
{
    for (size_t i = 0; n && i < n->n; i++)
        if (strcmp(n->v[i].field, field) == 0 && strcmp(n->v[i].logged, logged) == 0)
            return &n->v[i];
    return NULL;
}

const char *wp_token_names_label(const struct wp_token_names *n, const char *field,
                                 const char *logged)
{
    const struct name_entry *e = name_find(n, field, logged);
    return e ? e->label : logged;
}

/* The index of each wanted column in a header, by name (case-insensitive); -1 absent. */
static void columns_of(const struct wp_csv_record *rec, const char *const *want, size_t n_want,
                       long *col)
{
    for (size_t k = 0; k < n_want; k++) {
        col[k] = -1;
        for (size_t i = 0; i < rec->n; i++)
            if (strcasecmp(rec->fields[i], want[k]) == 0) {
                col[k] = (long)i;
                break;
            }
    }
}

/* WP_ERR_PARSE naming the first wanted column the header lacks. */
static enum wp_err need_columns(const char *path, long line, const char *const *want,
                                const long *col, size_t n, struct wp_diag *d)
{
    for (size_t k = 0; k < n; k++)
        if (col[k] < 0)
            return wp_diag_set(d, WP_ERR_PARSE, path, line, 0,
                               "header has no %s column (want %s)", want[k],
                               n == 3 ? "field,logged,label" : "Input,Output,model,dataset");
    return WP_OK;
}

static enum wp_err names_add(struct wp_token_names *n, const char *path,
                             const struct wp_csv_record *rec, const long *col,
                             struct wp_diag *d)
{
    const char *field = rec->fields[col[0]], *logged = rec->fields[col[1]];
    const char *label = rec->fields[col[2]];
    if (strcmp(field, "model") && strcmp(field, "dataset"))
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, col[0] + 1,
                           "field: \"%.40s\" is neither model nor dataset", field);
    if (!*logged || !*label)
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, (*logged ? col[2] : col[1]) + 1,
                           "%s is empty", *logged ? "label" : "logged");
    const struct name_entry *old = name_find(n, field, logged);
    if (old)
        return wp_diag_set(d, WP_ERR_CONFLICT, path, rec->line, col[1] + 1,
                           "%s \"%.80s\" is mapped already at line %ld", field, logged,
                           old->line);
    if (WP_ARRAY_GROW(n->v, n->n + 1, n->cap))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct name_entry *e = &n->v[n->n];
    e->field = strdup(field);
    e->logged = strdup(logged);
    e->label = strdup(label);
    e->line = rec->line;
    n->n++; /* counted before the check, so that free releases what was copied */
    if (!e->field || !e->logged || !e->label)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return WP_OK;
}

/* Reads the CSV file at path: its header must name every column of want (found in col),
 * every row has the header's width, and fn gets each row.  *has_header says whether the
 * file had one; sha256, when not NULL, receives the hash of the content. */
typedef enum wp_err (*row_fn)(void *ctx, const char *path, const struct wp_csv_record *rec,
                              const long *col, struct wp_diag *d);

struct table {
    const char *path;
    const char *const *want;
    size_t n_want, width;
    long *col;
    row_fn fn;
    void *ctx;
};

static enum wp_err on_header(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    struct table *t = ctx;
    columns_of(rec, t->want, t->n_want, t->col);
    t->width = rec->n;
    return need_columns(t->path, rec->line, t->want, t->col, t->n_want, d);
}

static enum wp_err on_row(void *ctx, const struct wp_csv_record *rec, struct wp_diag *d)
{
    const struct table *t = ctx;
    if (rec->n != t->width)
        return wp_diag_set(d, WP_ERR_PARSE, t->path, rec->line, 0,
                           "expected %zu fields, found %zu", t->width, rec->n);
    return t->fn(t->ctx, t->path, rec, t->col, d);
}

static enum wp_err each_row(const char *path, const char *const *want, size_t n_want,
                            long *col, row_fn fn, void *ctx, bool *has_header,
                            char sha256[65], struct wp_diag *d)
{
    struct table t = {path, want, n_want, 0, col, fn, ctx};
    struct wp_csv_each each = {on_header, on_row, &t};
    return wp_csv_each(path, &each, has_header, sha256, d);
}

static enum wp_err on_name(void *ctx, const char *path, const struct wp_csv_record *rec,
                           const long *col, struct wp_diag *d)
{
    return names_add(ctx, path, rec, col, d);
}

enum wp_err wp_token_names_load(const char *path, struct wp_token_names **out,
                                struct wp_diag *d)
{
    static const char *const want[3] = {"field", "logged", "label"};
    *out = NULL;
    struct wp_token_names *n = calloc(1, sizeof *n);
    if (!n)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    long col[3];
    bool has_header;
    enum wp_err e = each_row(path, want, 3, col, on_name, n, &has_header, NULL, d);
    if (!e && !has_header)
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "empty names map");
    if (e) {
        wp_token_names_free(n);
        return e;
    }
    *out = n;
    return WP_OK;
}

/* ---- token-count files ---------------------------------------------------------------- */

/* One (model, dataset) of a file while reading. */
struct pair {
    struct wp_token_count c;
    long first_line;
};

struct sums {
    struct pair *v;
    size_t n, cap;
    size_t last;
};

static void sums_free(struct sums *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free((char *)s->v[i].c.model);
        free((char *)s->v[i].c.dataset);
        free((char *)s->v[i].c.logged_model);
        free((char *)s->v[i].c.logged_dataset);
    }
    free(s->v);
}

/* A whole number >= 0 in field `col` of rec, or a diagnostic. */
static enum wp_err count_of(const char *path, const struct wp_csv_record *rec, long col,
                            const char *name, long long *out, struct wp_diag *d)
{
    const char *v = rec->fields[col];
    double x;
    enum wp_num k = wp_parse_num(v, &x);
    if (k != WP_NUM_OK || x < 0 || x != floor(x) || x > 9e15)
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, col + 1,
                           "%s: \"%.40s\" is not a token count (a whole number >= 0)", name,
                           *v ? v : "");
    *out = (long long)x;
    return WP_OK;
}

/* The pair of (model, dataset) under their labels; a second spelling of one label pair in
 * the same file is an error (the map would merge two things the file keeps apart). */
static enum wp_err pair_of(struct sums *s, const char *path, const struct wp_csv_record *rec,
                           const long *col, const struct wp_token_names *names,
                           struct pair **out, struct wp_diag *d)
{
    const char *lm = rec->fields[col[2]], *ld = rec->fields[col[3]];
    if (s->last < s->n && strcmp(s->v[s->last].c.logged_model, lm) == 0 &&
        strcmp(s->v[s->last].c.logged_dataset, ld) == 0) {
        *out = &s->v[s->last];
        return WP_OK;
    }
    if (!*lm || !*ld)
        return wp_diag_set(d, WP_ERR_PARSE, path, rec->line, (*lm ? col[3] : col[2]) + 1,
                           "%s is empty", *lm ? "dataset" : "model");
    const char *m = wp_token_names_label(names, "model", lm);
    const char *ds = wp_token_names_label(names, "dataset", ld);
    for (size_t i = 0; i < s->n; i++) {
        struct wp_token_count *c = &s->v[i].c;
        if (strcmp(c->model, m) || strcmp(c->dataset, ds))
            continue;
        if (strcmp(c->logged_model, lm) || strcmp(c->logged_dataset, ld))
            return wp_diag_set(d, WP_ERR_CONFLICT, path, rec->line, col[2] + 1,
                               "%s, %s and %s, %s (line %ld) both map to %s, %s: fix the "
                               "names map", lm, ld, c->logged_model, c->logged_dataset,
                               s->v[i].first_line, m, ds);
        s->last = i;
        *out = &s->v[i];
        return WP_OK;
    }
    if (WP_ARRAY_GROW(s->v, s->n + 1, s->cap))
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct pair *p = &s->v[s->n++];
    memset(p, 0, sizeof *p);
    p->first_line = rec->line;
    p->c.model = strdup(m);
    p->c.dataset = strdup(ds);
    p->c.logged_model = strdup(lm);
    p->c.logged_dataset = strdup(ld);
    if (!p->c.model || !p->c.dataset || !p->c.logged_model || !p->c.logged_dataset)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    s->last = s->n - 1;
    *out = p;
    return WP_OK;
}

static enum wp_err add_row(struct sums *s, const char *path, const struct wp_csv_record *rec,
                           const long *col, const struct wp_token_names *names,
                           struct wp_diag *d)
{
    long long in, out;
    struct pair *p = NULL;
    enum wp_err e = count_of(path, rec, col[0], "Input", &in, d);
    if (!e)
        e = count_of(path, rec, col[1], "Output", &out, d);
    if (!e)
        e = pair_of(s, path, rec, col, names, &p, d);
    if (e)
        return e;
    if (p->c.input_tokens > LLONG_MAX - in || p->c.output_tokens > LLONG_MAX - out)
        return wp_diag_set(d, WP_ERR_LIMIT, path, rec->line, 0,
                           "token sums past %lld", LLONG_MAX);
    p->c.input_tokens += in;
    p->c.output_tokens += out;
    p->c.samples++;
    return WP_OK;
}

struct sums_ctx {
    struct sums *s;
    const struct wp_token_names *names;
    long long rows;
};

static enum wp_err on_count(void *ctx, const char *path, const struct wp_csv_record *rec,
                            const long *col, struct wp_diag *d)
{
    struct sums_ctx *c = ctx;
    c->rows++;
    return add_row(c->s, path, rec, col, c->names, d);
}

/* Reads the file into s; *sha256 receives the content hash. */
static enum wp_err read_sums(const char *path, const struct wp_token_names *names,
                             struct sums *s, long long *rows, char sha256[65],
                             struct wp_diag *d)
{
    static const char *const want[4] = {"Input", "Output", "model", "dataset"};
    long col[4];
    bool has_header;
    struct sums_ctx c = {s, names, 0};
    enum wp_err e = each_row(path, want, 4, col, on_count, &c, &has_header, sha256, d);
    *rows += c.rows;
    if (!e && !has_header)
        e = wp_diag_set(d, WP_ERR_PARSE, path, 0, 0, "empty file: no Input,Output,model,dataset "
                                                     "header");
    else if (!e && !s->n)
        e = wp_diag_set(d, WP_ERR_EMPTY, path, 0, 0, "no token counts below the header");
    return e;
}

enum wp_err wp_ingest_tokens(struct wp_store *s, const char *path,
                             const struct wp_token_names *names, struct wp_tokens_result *res,
                             struct wp_diag *d)
{
    struct sums sums = {0};
    char sha256[65] = "";
    memset(res, 0, sizeof *res);
    enum wp_err e = read_sums(path, names, &sums, &res->samples, sha256, d);
    for (size_t i = 0; !e && i < sums.n; i++)
        sums.v[i].c.source_sha256 = sha256;
    bool in_tx = false;
    if (!e && !(e = wp_store_begin(s, d)))
        in_tx = true;
    /* the store keeps one file's rows under one key: the path as given */
    struct wp_token_count *v = NULL;
    if (!e && !(v = malloc((sums.n ? sums.n : 1) * sizeof *v)))
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; !e && i < sums.n; i++) {
        v[i] = sums.v[i].c;
        v[i].source_path = path;
    }
    if (!e)
        e = wp_store_tokens_put(s, path, v, sums.n, d);
    if (!e)
        e = wp_store_commit(s, d);
    if (e && in_tx)
        wp_store_rollback(s);
    if (!e)
        res->pairs = sums.n;
    free(v);
    sums_free(&sums);
    return e;
}
