/* Provenance for reports (see provenance.h): copies of source rows and, per model, the
 * distinct labels, hardware, places and tools of the runs statistics use. */
#include "analysis/provenance.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runs.h"
#include "util/sha256.h"
#include "stats/stats.h"
#include "util/text.h"
#include "util/time.h"
#include "util/array.h"

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

/* ---- source files ------------------------------------------------------------------------ */

static int add_source(struct wp_source_list *l, const struct wp_source_row *r)
{
    if (WP_ARRAY_GROW(l->v, l->n + 1, l->cap))
        return -1;
    struct wp_source_file *f = &l->v[l->n];
    *f = (struct wp_source_file){
        .id = r->id, .size_bytes = r->size_bytes, .rows_ingested = r->rows_ingested,
        .rows_rejected = r->rows_rejected,
        .path = strdup(r->path), .name = strdup(r->name), .format = strdup(r->format),
        .sha256 = strdup(r->sha256), .ingested_at = strdup(r->ingested_at),
    };
    l->n++; /* counted even when a copy failed, so that free sees it */
    return f->path && f->name && f->format && f->sha256 && f->ingested_at ? 0 : -1;
}

struct source_copy {
    struct wp_source_list *l;
    bool failed;
};

static int on_source(void *ctx, const struct wp_source_row *r)
{
    struct source_copy *c = ctx;
    c->failed = add_source(c->l, r) != 0;
    return c->failed;
}

void wp_sources_free(struct wp_source_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        struct wp_source_file *f = &l->v[i];
        free(f->path);
        free(f->name);
        free(f->format);
        free(f->sha256);
        free(f->ingested_at);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

enum wp_err wp_sources_all(struct wp_store *s, struct wp_source_list *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct source_copy c = {out, false};
    enum wp_err e = wp_store_each_source(s, on_source, &c, d);
    if (!e && c.failed)
        e = nomem(d);
    if (e)
        wp_sources_free(out);
    return e;
}

static int cmp_sha(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum wp_err wp_sources_digest(const struct wp_source_list *l, char hex[65], struct wp_diag *d)
{
    const char **v = malloc((l->n ? l->n : 1) * sizeof *v);
    struct wp_sha256 *h = wp_sha256_new();
    enum wp_err e = v && h ? WP_OK : nomem(d);
    for (size_t i = 0; !e && i < l->n; i++)
        v[i] = l->v[i].sha256 ? l->v[i].sha256 : "";
    if (!e)
        qsort(v, l->n, sizeof *v, cmp_sha);
    for (size_t i = 0; !e && i < l->n; i++)
        if (wp_sha256_update(h, v[i], strlen(v[i])) || wp_sha256_update(h, "\n", 1))
            e = nomem(d);
    if (!e && wp_sha256_hex(h, hex))
        e = nomem(d);
    wp_sha256_free(h);
    free(v);
    return e;
}

/* ---- distinct names ---------------------------------------------------------------------- */

/* Adds s unless present (linear: a model has a handful of each). */
static int add_name(struct wp_names *n, const char *s)
{
    if (!*s)
        return 0;
    for (size_t i = n->n; i-- > 0;)
        if (strcmp(n->v[i], s) == 0)
            return 0;
    if (WP_ARRAY_GROW(n->v, n->n + 1, n->cap))
        return -1;
    if (!(n->v[n->n] = strdup(s)))
        return -1;
    n->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sort_names(struct wp_names *n)
{
    if (n->n > 1)
        qsort(n->v, n->n, sizeof *n->v, cmp_str);
}

static void free_names(struct wp_names *n)
{
    for (size_t i = 0; i < n->n; i++)
        free(n->v[i]);
    free(n->v);
    memset(n, 0, sizeof *n);
}

void wp_names_join(const struct wp_names *n, const char *none, char *buf, size_t size)
{
    if (!size)
        return;
    buf[0] = '\0';
    if (!n->n) {
        snprintf(buf, size, "%s", none);
        return;
    }
    size_t k = 0;
    for (size_t i = 0; i < n->n; i++) {
        size_t need = strlen(n->v[i]) + (i ? 2 : 0);
        if (k + need + 4 >= size) {
            snprintf(buf + k, size - k, "%s...", i ? ", " : "");
            return;
        }
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", n->v[i]);
    }
}

/* ---- per-model facts --------------------------------------------------------------------- */

struct collector {
    struct wp_facts *f;
    struct wp_model_facts *last;
    int err;
    bool has_where;  /* --where: only runs of the experiments in `where` count */
    const char *where_value;
    long long *where; /* those experiments' ids, ascending */
    size_t n_where, cap_where;
};

static int keep_where(void *ctx, long long experiment_id, const char *value)
{
    struct collector *c = ctx;
    if (strcmp(value, c->where_value) != 0)
        return 0;
    if (WP_ARRAY_GROW(c->where, c->n_where + 1, c->cap_where)) {
        c->err = 1;
        return 1;
    }
    c->where[c->n_where++] = experiment_id;
    return 0;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

static struct wp_model_facts *model_for(struct collector *c, const char *model)
{
    if (c->last && strcmp(c->last->model, model) == 0)
        return c->last;
    struct wp_facts *f = c->f;
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->v[i].model, model) == 0)
            return c->last = &f->v[i];
    if (f->n == f->cap) {
        if (WP_ARRAY_GROW(f->v, f->n + 1, f->cap))
            return NULL;
        c->last = NULL; /* it pointed into the old block */
    }
    struct wp_model_facts *m = &f->v[f->n];
    memset(m, 0, sizeof *m);
    if (!(m->model = strdup(model)))
        return NULL;
    f->n++;
    return c->last = m;
}

static struct wp_task_facts *task_for(struct wp_model_facts *m, const char *task)
{
    for (size_t i = m->n_tasks; i-- > 0;)
        if (strcmp(m->tasks[i].task, task) == 0)
            return &m->tasks[i];
    if (WP_ARRAY_GROW(m->tasks, m->n_tasks + 1, m->cap_tasks))
        return NULL;
    struct wp_task_facts *t = &m->tasks[m->n_tasks];
    memset(t, 0, sizeof *t);
    if (!(t->task = strdup(task)))
        return NULL;
    m->n_tasks++;
    return t;
}

/* "United States (USA), virginia": the grid table names the country. */
static void location(const struct wp_run_row *r, char *buf, size_t size)
{
    const struct wp_grid *g = NULL;
    const char *iso = r->country_iso_code;
    buf[0] = '\0';
    if (!*iso && !*r->region)
        return;
    /* "United States (USA, region oregon)": places join with ", " */
    if (*iso && wp_stats_grid_lookup(iso, &g) == WP_OK)
        snprintf(buf, size, "%s (%s%s%s)", g->country, g->iso3, *r->region ? ", region " : "",
                 r->region);
    else if (*iso)
        snprintf(buf, size, "%s%s%s%s", iso, *r->region ? " (region " : "", r->region,
                 *r->region ? ")" : "");
    else
        snprintf(buf, size, "region %s", r->region);
}

static int on_run(void *ctx, const struct wp_run_row *r)
{
    struct collector *c = ctx;
    if (wp_run_use(r) != WP_RUN_USED)
        return 0;
    if (c->has_where && (!c->n_where || !bsearch(&r->experiment_id, c->where, c->n_where,
                                                  sizeof *c->where, cmp_ll)))
        return 0;
    struct wp_model_facts *m = model_for(c, r->model);
    struct wp_task_facts *t = m ? task_for(m, r->task) : NULL;
    if (!t) {
        c->err = 1;
        return 1;
    }
    struct wp_run_span *sp = &c->f->span;
    double ci = r->carbon_intensity_g_per_kwh;
    if (!isnan(ci)) {
        sp->ci_min = isnan(sp->ci_min) || ci < sp->ci_min ? ci : sp->ci_min;
        sp->ci_max = isnan(sp->ci_max) || ci > sp->ci_max ? ci : sp->ci_max;
    }
    if (!isnan(r->pue)) {
        sp->pue_mixed |= !isnan(sp->pue) && sp->pue != r->pue;
        sp->pue = r->pue;
    }
    if (r->inferences > 0) {
        sp->inferences_mixed |= sp->inferences && sp->inferences != r->inferences;
        sp->inferences = r->inferences;
    }
    m->runs++;
    m->inferences += r->inferences;
    wp_iso8601_keep_newest(m->newest, sizeof m->newest, &m->newest_s, r->started_at);
    t->runs++;
    t->inferences += r->inferences;
    char buf[512];
    location(r, buf, sizeof buf);
    char tool[256];
    snprintf(tool, sizeof tool, "%s%s%s", wp_tool_display(r->tool), *r->tool_version ? " " : "",
             r->tool_version);
    if (add_name(&t->datasets, r->dataset) ||
        add_name(&m->hardware, *r->gpu_model ? r->gpu_model : r->cpu_model) ||
        add_name(&m->locations, buf) || add_name(&m->tools, tool)) {
        c->err = 1;
        return 1;
    }
    return 0;
}

static int by_model(const void *a, const void *b)
{
    return strcmp(((const struct wp_model_facts *)a)->model,
                  ((const struct wp_model_facts *)b)->model);
}

static int by_task(const void *a, const void *b)
{
    return strcmp(((const struct wp_task_facts *)a)->task,
                  ((const struct wp_task_facts *)b)->task);
}

struct model_sources {
    struct wp_facts *f;
    bool failed;
};

static int on_model_source(void *ctx, const char *model, const struct wp_source_row *r)
{
    struct model_sources *c = ctx;
    struct wp_model_facts *m = (struct wp_model_facts *)wp_facts_find(c->f, model);
    if (!m)
        return 0; /* a model without a used run: no card */
    c->failed = add_source(&m->sources, r) != 0;
    return c->failed;
}

const struct wp_model_facts *wp_facts_find(const struct wp_facts *f, const char *model)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(f->v[mid].model, model);
        if (c == 0)
            return &f->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

enum wp_err wp_facts_collect(struct wp_store *s, const struct wp_run_filter *f,
                             struct wp_facts *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->span = (struct wp_run_span){.ci_min = NAN, .ci_max = NAN, .pue = NAN};
    struct collector c = {.f = out, .has_where = f->where_key != NULL,
                          .where_value = f->where_value ? f->where_value : ""};
    struct wp_run_filter rf = *f;
    rf.labeled_only = true;
    rf.by_run_id = true; /* cheaper; the names are sorted here */
    /* --where selects experiments (as the statistics do): the facts count only theirs */
    enum wp_err e = c.has_where ? wp_store_each_experiment_attr(s, f->where_key, keep_where,
                                                                &c, d)
                                : WP_OK;
    if (!e && c.n_where > 1)
        qsort(c.where, c.n_where, sizeof *c.where, cmp_ll);
    if (!e && !c.err)
        e = wp_store_each_run(s, &rf, on_run, &c, d);
    if (!e && c.err)
        e = nomem(d);
    if (!e) {
        if (out->n > 1)
            qsort(out->v, out->n, sizeof *out->v, by_model);
        for (size_t i = 0; i < out->n; i++) {
            struct wp_model_facts *m = &out->v[i];
            if (m->n_tasks > 1)
                qsort(m->tasks, m->n_tasks, sizeof *m->tasks, by_task);
            for (size_t k = 0; k < m->n_tasks; k++)
                sort_names(&m->tasks[k].datasets);
            sort_names(&m->hardware);
            sort_names(&m->locations);
            sort_names(&m->tools);
        }
        struct model_sources ms = {out, false};
        e = wp_store_each_model_source(s, &rf, on_model_source, &ms, d);
        if (!e && ms.failed)
            e = nomem(d);
    }
    free(c.where);
    if (e)
        wp_facts_free(out);
    return e;
}

void wp_facts_free(struct wp_facts *f)
{
    for (size_t i = 0; i < f->n; i++) {
        struct wp_model_facts *m = &f->v[i];
        free(m->model);
        for (size_t k = 0; k < m->n_tasks; k++) {
            free(m->tasks[k].task);
            free_names(&m->tasks[k].datasets);
        }
        free(m->tasks);
        free_names(&m->hardware);
        free_names(&m->locations);
        free_names(&m->tools);
        wp_sources_free(&m->sources);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}
