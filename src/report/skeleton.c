/* The manifest skeleton (see skeleton.h): the unlabelled runs' ids from the store, their
 * match keys grouped and sorted, one CSV row per group. */
#include "report/skeleton.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis/logged.h"

struct group {
    char *file, *project, *experiment; /* the match keys; "" where the row leaves one out */
};

struct collect {
    long long *ids; /* unlabelled runs, ascending */
    size_t n_ids, cap_ids;
    struct group *v;
    size_t n, cap;
    long long last_run;
    long long *idle;  /* experiments marked idle (ingest --idle): no labels to fill in */
    size_t n_idle, cap_idle;
    bool oom;
};

static int on_idle(void *ctx, long long experiment_id, const char *value)
{
    struct collect *c = ctx;
    if (strcasecmp(value, "yes") && strcasecmp(value, "true") && strcmp(value, "1"))
        return 0;
    if (c->n_idle == c->cap_idle) {
        size_t cap = c->cap_idle ? 2 * c->cap_idle : 16;
        long long *v = realloc(c->idle, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return 1;
        }
        c->idle = v;
        c->cap_idle = cap;
    }
    c->idle[c->n_idle++] = experiment_id; /* ordered by experiment id */
    return 0;
}

static bool is_idle(const struct collect *c, long long experiment_id)
{
    size_t lo = 0, hi = c->n_idle;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->idle[mid] < experiment_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return experiment_id && lo < c->n_idle && c->idle[lo] == experiment_id;
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct collect *c = ctx;
    if ((*r->task && *r->model && *r->dataset) /* labelled, as `runs --unlabeled` says */
        || is_idle(c, r->experiment_id))
        return 0;
    if (c->n_ids == c->cap_ids) {
        size_t cap = c->cap_ids ? 2 * c->cap_ids : 256;
        long long *v = realloc(c->ids, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return 1;
        }
        c->ids = v;
        c->cap_ids = cap;
    }
    c->ids[c->n_ids++] = r->run_id;
    return 0;
}

static int cmp_id(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static int on_keys(void *ctx, const struct wp_run_keys *k)
{
    struct collect *c = ctx;
    /* one call per measurement: the first of each run is enough */
    if (k->run_id == c->last_run ||
        !bsearch(&k->run_id, c->ids, c->n_ids, sizeof *c->ids, cmp_id))
        return 0;
    c->last_run = k->run_id;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        struct group *v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            c->oom = true;
            return 1;
        }
        c->v = v;
        c->cap = cap;
    }
    /* what the log names its runs by; a log that names nothing (or only its tool's
     * defaults) is matched by its file: the groups summary and stats show */
    struct wp_logged_key lk;
    wp_logged_key_of(k->project_name, k->experiment_label, k->file_name, &lk);
    struct group *g = &c->v[c->n];
    g->file = strdup(lk.file);
    g->project = strdup(lk.project);
    g->experiment = strdup(lk.experiment);
    if (!g->file || !g->project || !g->experiment) {
        free(g->file);
        free(g->project);
        free(g->experiment);
        c->oom = true;
        return 1;
    }
    c->n++;
    return 0;
}

static int cmp_group(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    int r = strcmp(x->file, y->file);
    if (!r)
        r = strcmp(x->project, y->project);
    return r ? r : strcmp(x->experiment, y->experiment);
}

/* A CSV field, quoted only when it must be (RFC 4180), and never read as a comment. */
static void field(FILE *out, const char *s, bool last)
{
    bool quote = strpbrk(s, ",\"\r\n") || *s == '#' || *s == ' ' ||
                 (*s && s[strlen(s) - 1] == ' ');
    if (!quote) {
        fputs(s, out);
    } else {
        fputc('"', out);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', out);
            fputc(*s, out);
        }
        fputc('"', out);
    }
    fputc(last ? '\n' : ',', out);
}

static const char *const help[] = {
    "file: the log's file name (a shell glob such as qa_*.csv may cover many files)",
    "project_name, experiment_id: as the log writes them (CodeCarbon's columns)",
    "model: the model measured, e.g. its Hugging Face id (bert-base-uncased)",
    /* parenthesised: one string on two lines, not a missing comma (clang) */
    ("task: what it did, in wattprint's words: text_classification, extractive_qa, "
     "summarization, image_generation, ... (wattprint summary lists the tasks it knows)"),
    "dataset: the data it ran on (imdb, squad, ...)",
    "inferences: inferences per run (queries, images, samples): energy per 1,000 needs it",
    "parameters: the model's parameter count (110000000), for the scaling fit",
    "purpose: task-specific or multi-purpose, for that comparison",
    "empty cells give no label; more columns become attributes (--where KEY=VALUE)",
};

enum wp_err wp_manifest_skeleton(struct wp_store *s, FILE *out, struct wp_skeleton_counts *n,
                                 struct wp_diag *d)
{
    struct collect c = {.last_run = -1};
    struct wp_run_filter all = {.by_run_id = true};
    enum wp_err e = wp_store_each_experiment_attr(s, "idle", on_idle, &c, d);
    if (!e && !c.oom)
        e = wp_store_each_run(s, &all, on_run, &c, d);
    if (!e && !c.oom && c.n_ids) {
        qsort(c.ids, c.n_ids, sizeof *c.ids, cmp_id);
        e = wp_store_run_keys_each(s, 0, on_keys, &c, d);
    }
    if (!e && c.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    size_t rows = 0;
    if (!e) {
        if (c.n > 1) /* qsort's base must not be NULL, even for no rows */
            qsort(c.v, c.n, sizeof *c.v, cmp_group);
        for (size_t i = 0; i < c.n; i++)
            rows += i == 0 || cmp_group(&c.v[i], &c.v[i - 1]) != 0;
        fprintf(out, "# wattprint manifest skeleton: %zu rows for %zu unlabelled runs. Fill in "
                     "the empty cells, then: wattprint manifest FILE\n", rows, c.n_ids);
        for (size_t i = 0; i < sizeof help / sizeof help[0]; i++)
            fprintf(out, "# %s\n", help[i]);
        fputs("file,project_name,experiment_id,model,task,dataset,inferences,parameters,"
              "purpose\n", out);
        for (size_t i = 0; i < c.n; i++) {
            if (i && cmp_group(&c.v[i], &c.v[i - 1]) == 0)
                continue;
            field(out, c.v[i].file, false);
            field(out, c.v[i].project, false);
            field(out, c.v[i].experiment, false);
            fputs(",,,,,\n", out);
        }
        if (ferror(out))
            e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "cannot write the skeleton");
    }
    if (n)
        *n = (struct wp_skeleton_counts){(long long)c.n_ids, (long long)rows};
    for (size_t i = 0; i < c.n; i++) {
        free(c.v[i].file);
        free(c.v[i].project);
        free(c.v[i].experiment);
    }
    free(c.v);
    free(c.ids);
    free(c.idle);
    return e;
}
