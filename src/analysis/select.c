/* The runs an export discloses (see select.h): the runs statistics use (the one rule of
 * analysis/runs.h), copied out of the store's rows, grouped by model and task, with the
 * hashes of the files each group's figures came from.  No statistics here. */
#include "analysis/select.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/runs.h"
#include "util/array.h"
#include "util/cmp.h"

static enum wp_err nomem(struct wp_diag *d)
{
    return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

struct collect {
    struct wp_export_sel *sel;
    const struct wp_run_filter *f; /* its adjust hook, applied here (the store does not) */
    bool failed;
    /* --where KEY=VALUE: the experiments that have it, sorted (statistics read the same) */
    long long *allowed;
    size_t n_allowed, cap_allowed;
    bool has_where;
};

static int keep_allowed(void *ctx, long long experiment_id, const char *value)
{
    struct collect *c = ctx;
    (void)value;
    if (WP_ARRAY_GROW(c->allowed, c->n_allowed + 1, c->cap_allowed)) {
        c->failed = true;
        return 1;
    }
    c->allowed[c->n_allowed++] = experiment_id;
    return 0;
}

struct where_value {
    struct collect *c;
    const char *value;
};

static int where_match(void *ctx, long long experiment_id, const char *value)
{
    struct where_value *w = ctx;
    return w->value && strcmp(value, w->value) == 0 ? keep_allowed(w->c, experiment_id, value)
                                                    : 0;
}

static bool allowed(const struct collect *c, long long experiment_id)
{
    if (!c->has_where)
        return true;
    size_t i = wp_ids_lower_bound(c->allowed, c->n_allowed, experiment_id);
    return i < c->n_allowed && c->allowed[i] == experiment_id;
}

/* A stored mark as its static WP_BASIS_* string ("" for none or one not known). */
static const char *mark(const char *basis)
{
    static const char *const marks[] = {WP_BASIS_MEASURED, WP_BASIS_ALL_GPUS,
                                        WP_BASIS_RAM_MODEL, WP_BASIS_TDP};
    int k = wp_basis_kind(basis);
    return k < 4 ? marks[k] : "";
}

static char *dup(const char *s, bool *failed)
{
    char *c = strdup(s ? s : "");
    if (!c)
        *failed = true;
    return c;
}

static int on_run(void *ctx, const struct wp_run_row *row)
{
    struct collect *c = ctx;
    struct wp_export_sel *sel = c->sel;
    if (!allowed(c, row->experiment_id))
        return 0;
    struct wp_run_row restated = *row, *r = &restated; /* above idle, hourly intensity */
    if (c->f->adjust)
        c->f->adjust(c->f->adjust_ctx, r);
    sel->runs_seen++;
    enum wp_run_use use = wp_run_use(r);
    sel->skipped_no_inferences += use == WP_RUN_NO_INFERENCES;
    sel->skipped_no_energy += use == WP_RUN_NO_ENERGY;
    sel->skipped_no_above_idle += use == WP_RUN_NO_ENERGY_ABOVE_IDLE;
    if (use != WP_RUN_USED)
        return 0;
    if (WP_ARRAY_GROW(sel->runs, sel->n + 1, sel->cap)) {
        c->failed = true;
        return 1;
    }
    struct wp_export_run *x = &sel->runs[sel->n++];
    bool *f = &c->failed;
    *x = (struct wp_export_run){
        .run_id = r->run_id, .inferences = r->inferences, .parameters = r->parameters,
        .token_samples = r->token_samples, .input_tokens = r->input_tokens,
        .output_tokens = r->output_tokens,
        .run_uid = dup(r->run_uid, f), .model = dup(r->model, f), .task = dup(r->task, f),
        .dataset = dup(r->dataset, f), .started_at = dup(r->started_at, f),
        .tool = dup(r->tool, f), .tool_version = dup(r->tool_version, f),
        .gpu_model = dup(r->gpu_model, f), .cpu_model = dup(r->cpu_model, f),
        .country_iso_code = dup(r->country_iso_code, f), .region = dup(r->region, f),
        .os = dup(r->os, f), .python_version = dup(r->python_version, f),
        .cpu_count = r->cpu_count, .gpu_count = r->gpu_count,
        .ram_total_bytes = r->ram_total_bytes,
        .duration_s = r->duration_s, .energy_j = r->energy_j,
        .cpu_energy_j = r->cpu_energy_j, .gpu_energy_j = r->gpu_energy_j,
        .ram_energy_j = r->ram_energy_j, .emissions_g = r->emissions_g,
        .carbon_intensity_g_per_kwh = r->carbon_intensity_g_per_kwh,
        .training_energy_j = r->training_energy_j,
        .cpu_basis = mark(r->cpu_basis), .gpu_basis = mark(r->gpu_basis),
        .ram_basis = mark(r->ram_basis),
    };
    return c->failed;
}

static int by_model_task_id(const void *pa, const void *pb)
{
    const struct wp_export_run *a = pa, *b = pb;
    int c = strcmp(a->model, b->model);
    if (!c)
        c = strcmp(a->task, b->task);
    return c ? c : wp_cmp_ll(a->run_id, b->run_id);
}

struct hashes {
    struct wp_export_group *g;
    bool failed;
};

static int on_source(void *ctx, const char *model, const struct wp_source_row *r)
{
    (void)model;
    struct hashes *h = ctx;
    struct wp_export_group *g = h->g;
    for (size_t i = 0; i < g->n_sha256; i++)
        if (strcmp(g->sha256[i], r->sha256) == 0)
            return 0;
    if (WP_ARRAY_GROW(g->sha256, g->n_sha256 + 1, g->cap_sha256) ||
        !(g->sha256[g->n_sha256] = strdup(r->sha256))) {
        h->failed = true;
        return 1;
    }
    g->n_sha256++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum wp_err make_groups(struct wp_store *s, const struct wp_run_filter *f,
                               struct wp_export_sel *sel, struct wp_diag *d)
{
    if (sel->n > 1)
        qsort(sel->runs, sel->n, sizeof *sel->runs, by_model_task_id);
    for (size_t i = 0; i < sel->n; i++) {
        const struct wp_export_run *r = &sel->runs[i];
        struct wp_export_group *last = sel->n_groups ? &sel->groups[sel->n_groups - 1] : NULL;
        if (last && strcmp(last->model, r->model) == 0 && strcmp(last->task, r->task) == 0) {
            last->n++;
            continue;
        }
        if (WP_ARRAY_GROW(sel->groups, sel->n_groups + 1, sel->cap_groups))
            return nomem(d);
        sel->groups[sel->n_groups++] = (struct wp_export_group){
            .model = r->model, .task = r->task, .first = i, .n = 1};
    }
    for (size_t i = 0; i < sel->n_groups; i++) {
        struct wp_export_group *g = &sel->groups[i];
        struct wp_run_filter gf = *f;
        gf.model = g->model;
        gf.task = g->task;
        gf.labeled_only = true;
        struct hashes h = {g, false};
        enum wp_err e = wp_store_each_model_source(s, &gf, on_source, &h, d);
        if (e)
            return e;
        if (h.failed)
            return nomem(d);
        if (g->n_sha256 > 1)
            qsort(g->sha256, g->n_sha256, sizeof *g->sha256, cmp_str);
    }
    return WP_OK;
}

enum wp_err wp_export_select(struct wp_store *s, const struct wp_run_filter *f,
                             struct wp_export_sel *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    struct collect c = {.sel = out, .f = f};
    struct wp_run_filter rf = *f;
    rf.labeled_only = true;
    rf.by_run_id = true; /* sorted here */
    enum wp_err e = WP_OK;
    if (f->where_key) {
        /* the attribute's experiments with that value, as statistics read them */
        c.has_where = true;
        e = wp_store_each_experiment_attr(s, f->where_key, where_match,
                                          &(struct where_value){&c, f->where_value}, d);
        if (!e && c.failed)
            e = nomem(d);
        if (!e && c.n_allowed > 1)
            qsort(c.allowed, c.n_allowed, sizeof *c.allowed, wp_cmp_ll_at);
    }
    if (!e)
        e = wp_store_each_run(s, &rf, on_run, &c, d);
    if (!e && c.failed)
        e = nomem(d);
    if (!e)
        e = make_groups(s, f, out, d);
    free(c.allowed);
    if (e)
        wp_export_sel_free(out);
    return e;
}

void wp_export_sel_free(struct wp_export_sel *sel)
{
    for (size_t i = 0; i < sel->n; i++) {
        struct wp_export_run *r = &sel->runs[i];
        char *const strs[] = {r->run_uid, r->model, r->task, r->dataset, r->started_at,
                              r->tool, r->tool_version, r->gpu_model, r->cpu_model,
                              r->country_iso_code, r->region, r->os, r->python_version};
        for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++)
            free(strs[k]);
    }
    for (size_t i = 0; i < sel->n_groups; i++) {
        for (size_t k = 0; k < sel->groups[i].n_sha256; k++)
            free(sel->groups[i].sha256[k]);
        free(sel->groups[i].sha256);
    }
    free(sel->runs);
    free(sel->groups);
    memset(sel, 0, sizeof *sel);
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t wp_export_distinct(const struct wp_export_sel *sel, const char *model, const char *task,
                          size_t field, const char **v)
{
    size_t n = 0;
    for (size_t i = 0; i < sel->n; i++) {
        const struct wp_export_run *r = &sel->runs[i];
        if ((model && strcmp(r->model, model) != 0) || (task && strcmp(r->task, task) != 0))
            continue;
        const char *s = *(char *const *)((const char *)r + field);
        if (*s)
            v[n++] = s;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_text);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || strcmp(v[m - 1], v[i]) != 0)
            v[m++] = v[i];
    return m;
}

void wp_export_join(const char *const *v, size_t n, const char *none, char *buf, size_t size)
{
    size_t k = 0;
    if (!size)
        return;
    buf[0] = '\0';
    if (!n)
        snprintf(buf, size, "%s", none);
    for (size_t i = 0; i < n && k < size; i++) {
        size_t need = strlen(v[i]) + (i ? 2 : 0);
        if (k + need + 4 >= size) {
            snprintf(buf + k, size - k, "%s...", i ? ", " : "");
            return;
        }
        k += (size_t)snprintf(buf + k, size - k, "%s%s", i ? ", " : "", v[i]);
    }
}

const char *wp_export_newest(const struct wp_export_sel *sel, const char *model)
{
    const char *newest = "";
    for (size_t i = 0; i < sel->n; i++)
        if ((!model || strcmp(sel->runs[i].model, model) == 0) &&
            strcmp(sel->runs[i].started_at, newest) > 0)
            newest = sel->runs[i].started_at;
    return newest;
}
