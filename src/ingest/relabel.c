/* Relabelling the runs of a file ingested before (see relabel.h): the sources by content,
 * their runs' labels before, the command-line rule replaced and applied, the labels after,
 * and the differences counted. */
#include "ingest/relabel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/label.h"
#include "util/array.h"
#include "util/cmp.h"

#define N_FIELDS 5
static const char *const fields[N_FIELDS] = {"model", "task", "dataset", "inferences",
                                             "batch_size"};

struct ids {
    long long *v;
    size_t n, cap;
    bool oom;
};

static bool ids_add(struct ids *x, long long id)
{
    if (x->n && x->v[x->n - 1] == id) /* keys come grouped by run */
        return true;
    if (WP_ARRAY_GROW(x->v, x->n + 1, x->cap))
        return !(x->oom = true);
    x->v[x->n++] = id;
    return true;
}

static void ids_sort_unique(struct ids *x)
{
    if (x->n < 2)
        return;
    qsort(x->v, x->n, sizeof *x->v, wp_cmp_ll_at);
    size_t k = 1;
    for (size_t i = 1; i < x->n; i++)
        if (x->v[i] != x->v[k - 1])
            x->v[k++] = x->v[i];
    x->n = k;
}

struct find {
    const char *sha256;
    struct ids sources;
};

static int on_source_sha(void *ctx, const struct wp_source_row *r)
{
    struct find *f = ctx;
    if (strcmp(r->sha256, f->sha256) == 0 && !ids_add(&f->sources, r->id))
        return 1;
    return 0;
}

static int on_key(void *ctx, const struct wp_run_keys *k)
{
    return ids_add(ctx, k->run_id) ? 0 : 1;
}

/* The labels of the runs in ids, as text per field ("" none), in the order of ids. */
struct labels {
    const struct ids *ids;
    char **v; /* ids->n x N_FIELDS */
    bool oom;
};

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct labels *l = ctx;
    const long long *hit =
        bsearch(&r->run_id, l->ids->v, l->ids->n, sizeof *l->ids->v, wp_cmp_ll_at);
    if (!hit)
        return 0;
    char **row = l->v + (size_t)(hit - l->ids->v) * N_FIELDS;
    char inf[32] = "", batch[32] = "";
    if (r->inferences > 0)
        snprintf(inf, sizeof inf, "%lld", r->inferences);
    if (r->batch_size > 0)
        snprintf(batch, sizeof batch, "%lld", r->batch_size);
    const char *vals[N_FIELDS] = {r->model, r->task, r->dataset, inf, batch};
    for (int f = 0; f < N_FIELDS; f++) {
        free(row[f]);
        if (!(row[f] = strdup(vals[f])))
            l->oom = true;
    }
    return l->oom;
}

static enum wp_err read_labels(struct wp_store *s, struct labels *l, struct wp_diag *d)
{
    l->v = calloc(l->ids->n * N_FIELDS + 1, sizeof *l->v);
    if (!l->v)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_run_filter all = {.by_run_id = true};
    enum wp_err e = wp_store_each_run(s, &all, on_run, l, d);
    if (!e && l->oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    return e;
}

static void labels_free(struct labels *l)
{
    for (size_t i = 0; l->v && i < l->ids->n * N_FIELDS; i++)
        free(l->v[i]);
    free(l->v);
}

/* The command-line rule of one source, merged into *into (the first found). */
struct old_rule {
    long long source_id;
    bool found;
    char *model, *task, *dataset;
    long long inferences, batch_size, parameters;
    bool oom;
};

static int on_rule(void *ctx, long long id, const struct wp_label_rule *r)
{
    (void)id;
    struct old_rule *o = ctx;
    if (o->found || strcmp(r->origin, "command line") != 0 ||
        r->match_source_id != o->source_id || r->match_experiment)
        return 0;
    o->found = true;
    o->model = r->model ? strdup(r->model) : NULL;
    o->task = r->task ? strdup(r->task) : NULL;
    o->dataset = r->dataset ? strdup(r->dataset) : NULL;
    o->oom = (r->model && !o->model) || (r->task && !o->task) || (r->dataset && !o->dataset);
    o->inferences = r->inferences;
    o->batch_size = r->batch_size;
    o->parameters = r->parameters;
    return 0;
}

static enum wp_err replace_rule(struct wp_store *s, long long source_id,
                                const struct wp_ingest_labels *l,
                                const struct wp_reporter *rep, struct wp_diag *d)
{
    struct old_rule o = {.source_id = source_id};
    enum wp_err e = wp_store_rules_each(s, on_rule, &o, d);
    if (!e && o.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e)
        e = wp_store_rules_drop_source(s, source_id, d);
    struct wp_label_rule rule = {
        .origin = "command line",
        .match_source_id = source_id,
        .model = l->model ? l->model : o.model,
        .task = l->task ? l->task : o.task,
        .dataset = l->dataset ? l->dataset : o.dataset,
        .inferences = l->inferences ? l->inferences : o.inferences,
        .batch_size = l->batch_size ? l->batch_size : o.batch_size,
        .parameters = l->parameters ? l->parameters : o.parameters,
        .training_energy_j = 0.0 / 0.0,
    };
    if (!e)
        e = wp_store_rules_put(s, NULL, &rule, 1, d);
    if (!e)
        e = wp_label_apply(s, source_id, rep, NULL, d);
    free(o.model);
    free(o.task);
    free(o.dataset);
    return e;
}

static int cmp_change(const void *a, const void *b)
{
    const struct wp_relabel_change *x = a, *y = b;
    int fx = 0, fy = 0;
    for (int f = 0; f < N_FIELDS; f++) {
        fx = x->field == fields[f] ? f : fx;
        fy = y->field == fields[f] ? f : fy;
    }
    if (fx != fy)
        return fx - fy;
    int r = strcmp(x->from, y->from);
    return r ? r : strcmp(x->to, y->to);
}

static enum wp_err diff(const struct labels *before, const struct labels *after,
                        struct wp_relabel *out, struct wp_diag *d)
{
    size_t n = before->ids->n, cap = out->n;
    for (size_t i = 0; i < n; i++) {
        bool changed = false;
        for (int f = 0; f < N_FIELDS; f++) {
            const char *a = before->v[i * N_FIELDS + f], *b = after->v[i * N_FIELDS + f];
            a = a ? a : "";
            b = b ? b : "";
            if (strcmp(a, b) == 0)
                continue;
            changed = true;
            size_t k;
            for (k = 0; k < out->n; k++)
                if (out->v[k].field == fields[f] && strcmp(out->v[k].from, a) == 0 &&
                    strcmp(out->v[k].to, b) == 0)
                    break;
            if (k == out->n) {
                if (WP_ARRAY_GROW(out->v, out->n + 1, cap))
                    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
                out->v[k] = (struct wp_relabel_change){fields[f], strdup(a), strdup(b), 0};
                out->n++;
                if (!out->v[k].from || !out->v[k].to)
                    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
            }
            out->v[k].runs++;
        }
        out->runs += changed;
    }
    if (out->n > 1)
        qsort(out->v, out->n, sizeof *out->v, cmp_change);
    return WP_OK;
}

enum wp_err wp_ingest_relabel(struct wp_store *s, const char *sha256,
                              const struct wp_ingest_labels *l, const struct wp_reporter *rep,
                              struct wp_relabel *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct find f = {.sha256 = sha256};
    struct ids runs = {0};
    struct labels before = {.ids = &runs}, after = {.ids = &runs};
    bool in_tx = false;
    enum wp_err e = wp_store_each_source(s, on_source_sha, &f, d);
    if (!e && f.sources.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (e || !f.sources.n)
        goto out;
    out->found = true;
    out->sources = (long long)f.sources.n;
    for (size_t i = 0; i < f.sources.n && !e; i++)
        e = wp_store_run_keys_each(s, f.sources.v[i], on_key, &runs, d);
    if (!e && runs.oom)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (e)
        goto out;
    ids_sort_unique(&runs);
    if ((e = read_labels(s, &before, d)) || (e = wp_store_begin(s, d)))
        goto out;
    in_tx = true;
    for (size_t i = 0; i < f.sources.n && !e; i++)
        e = replace_rule(s, f.sources.v[i], l, rep, d);
    if (e || (e = wp_store_commit(s, d)))
        goto out;
    in_tx = false;
    if (!(e = read_labels(s, &after, d)))
        e = diff(&before, &after, out, d);
out:
    if (in_tx)
        wp_store_rollback(s);
    labels_free(&before);
    labels_free(&after);
    free(runs.v);
    free(f.sources.v);
    return e;
}

void wp_relabel_free(struct wp_relabel *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->v[i].from);
        free(r->v[i].to);
    }
    free(r->v);
    memset(r, 0, sizeof *r);
}
