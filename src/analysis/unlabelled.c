/* The unlabelled runs' groups (see unlabelled.h): the runs' ids from the store, their
 * match keys grouped, sorted and made distinct. */
#include "analysis/unlabelled.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/logged.h"
#include "analysis/runs.h"
#include "util/array.h"
#include "util/cmp.h"

struct collect {
    long long *ids; /* unlabelled runs, ascending */
    size_t n_ids, cap_ids;
    struct wp_unlabelled_group *v; /* one per run, then sorted and made distinct */
    size_t n, cap;
    long long last_run;
    long long *idle;  /* experiments marked idle (ingest --idle): no labels to fill in */
    size_t n_idle;
    bool oom;
};

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
    if (WP_ARRAY_GROW(c->ids, c->n_ids + 1, c->cap_ids)) {
        c->oom = true;
        return 1;
    }
    c->ids[c->n_ids++] = r->run_id;
    return 0;
}

static int on_keys(void *ctx, const struct wp_run_keys *k)
{
    struct collect *c = ctx;
    /* one call per measurement: the first of each run is enough */
    if (k->run_id == c->last_run ||
        !bsearch(&k->run_id, c->ids, c->n_ids, sizeof *c->ids, wp_cmp_ll_at))
        return 0;
    c->last_run = k->run_id;
    if (WP_ARRAY_GROW(c->v, c->n + 1, c->cap)) {
        c->oom = true;
        return 1;
    }
    /* what the log names its runs by; a log that names nothing (or only its tool's
     * defaults) is matched by its file: the groups summary and stats show */
    struct wp_logged_key lk;
    wp_logged_key_of(k->project_name, k->experiment_label, k->file_name, &lk);
    struct wp_unlabelled_group *g = &c->v[c->n];
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
    const struct wp_unlabelled_group *x = a, *y = b;
    int r = strcmp(x->file, y->file);
    if (!r)
        r = strcmp(x->project, y->project);
    return r ? r : strcmp(x->experiment, y->experiment);
}

static void free_group(struct wp_unlabelled_group *g)
{
    free(g->file);
    free(g->project);
    free(g->experiment);
}

enum wp_err wp_unlabelled_collect(struct wp_store *s, struct wp_unlabelled *out,
                                  struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct collect c = {.last_run = -1};
    struct wp_run_filter all = {.by_run_id = true};
    enum wp_err e = wp_store_idle_experiments(s, &c.idle, &c.n_idle, d);
    if (!e)
        e = wp_store_each_run(s, &all, on_run, &c, d);
    if (!e && !c.oom && c.n_ids) {
        qsort(c.ids, c.n_ids, sizeof *c.ids, wp_cmp_ll_at);
        e = wp_store_run_keys_each(s, 0, on_keys, &c, d);
    }
    if (!e && c.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && c.n > 1) /* qsort's base must not be NULL, even for no rows */
        qsort(c.v, c.n, sizeof *c.v, cmp_group);
    size_t rows = 0;
    for (size_t i = 0; i < c.n; i++) {
        if (!e && (i == 0 || cmp_group(&c.v[i], &c.v[rows - 1]) != 0))
            c.v[rows++] = c.v[i];
        else
            free_group(&c.v[i]);
    }
    free(c.ids);
    free(c.idle);
    out->v = c.v;
    out->n = rows;
    out->n_runs = e ? 0 : c.n_ids;
    return e;
}

void wp_unlabelled_free(struct wp_unlabelled *u)
{
    for (size_t i = 0; i < u->n; i++)
        free_group(&u->v[i]);
    free(u->v);
    memset(u, 0, sizeof *u);
}
