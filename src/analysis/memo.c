/* Analyses kept by their options, so that one process writing many outputs from one
 * database (wattprint batch: reports, workbooks, cards, tables and figures per entry)
 * computes each distinct analysis once.  A linear list: a batch holds a few dozen. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis.h"
#include "util/array.h"

struct memo_entry {
    struct wp_analysis a; /* a.opts is the key, its strings owned by the entry */
    char *strs[8];
    long long *exclude; /* the filter's exclude_run_ids, owned */
};

struct wp_analysis_memo {
    struct memo_entry **v;
    size_t n, cap;
    size_t hits; /* analyses served without computing them again */
    struct wp_boot_draws *draws; /* bootstrap indices every analysis shares */
};

struct wp_analysis_memo *wp_analysis_memo_new(void)
{
    struct wp_analysis_memo *m = calloc(1, sizeof *m);
    if (m && !(m->draws = wp_boot_draws_new())) {
        free(m);
        return NULL;
    }
    return m;
}

void wp_analysis_memo_free(struct wp_analysis_memo *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++) {
        wp_analysis_free(&m->v[i]->a);
        for (size_t k = 0; k < sizeof m->v[i]->strs / sizeof m->v[i]->strs[0]; k++)
            free(m->v[i]->strs[k]);
        free(m->v[i]->exclude);
        free(m->v[i]);
    }
    free(m->v);
    wp_boot_draws_free(m->draws);
    free(m);
}

size_t wp_analysis_memo_hits(const struct wp_analysis_memo *m)
{
    return m ? m->hits : 0;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static bool same_num(double a, double b)
{
    return a == b || (isnan(a) && isnan(b)); /* NAN means "as measured" in the what-if */
}

static bool same_filter(const struct wp_run_filter *a, const struct wp_run_filter *b)
{
    return same_str(a->task, b->task) && same_str(a->model, b->model) &&
           same_str(a->dataset, b->dataset) && same_str(a->phase, b->phase) &&
           same_str(a->where_key, b->where_key) && same_str(a->where_value, b->where_value) &&
           a->measured_only == b->measured_only &&
           /* a filter restated by its caller (analysis/restate.h) is never shared: its
            * context is the command's */
           !a->adjust && !b->adjust &&
           a->labeled_only == b->labeled_only && a->by_run_id == b->by_run_id &&
           a->n_exclude_run_ids == b->n_exclude_run_ids &&
           (!a->n_exclude_run_ids || memcmp(a->exclude_run_ids, b->exclude_run_ids,
                                            a->n_exclude_run_ids * sizeof(long long)) == 0);
}

/* Every option that can change a number: two analyses with equal options are equal. */
static bool same_opts(const struct wp_analysis_opts *a, const struct wp_analysis_opts *b)
{
    if (!same_filter(&a->filter, &b->filter) || a->by != b->by ||
        a->over_experiments != b->over_experiments || a->unit != b->unit ||
        !same_num(a->level, b->level) ||
        a->boot.seed != b->boot.seed || a->boot.resamples != b->boot.resamples ||
        a->boot_ratios_only != b->boot_ratios_only ||
        !same_num(a->boot.level, b->boot.level) || a->n_quantiles != b->n_quantiles ||
        !same_num(a->carbon_intensity_g_per_kwh, b->carbon_intensity_g_per_kwh) ||
        !same_num(a->pue, b->pue) || a->restate.above_idle != b->restate.above_idle ||
        !same_str(a->restate.intensity_path, b->restate.intensity_path) ||
        !same_str(a->restate.intensity.zone, b->restate.intensity.zone) ||
        a->restate.intensity.prefer_lca != b->restate.intensity.prefer_lca ||
        a->restate.intensity.basis != b->restate.intensity.basis)
        return false;
    for (size_t i = 0; i < a->n_quantiles && i < WP_MAX_QUANTILES; i++)
        if (!same_num(a->quantiles[i], b->quantiles[i]))
            return false;
    return true;
}

/* Points the entry's key at its own copies of the filter's strings: the caller's may not
 * outlive the command that asked. */
static bool own_strings(struct memo_entry *e)
{
    const char **f[] = {&e->a.opts.filter.task,      &e->a.opts.filter.model,
                        &e->a.opts.filter.dataset,   &e->a.opts.filter.phase,
                        &e->a.opts.filter.where_key, &e->a.opts.filter.where_value,
                        &e->a.opts.restate.intensity_path, &e->a.opts.restate.intensity.zone};
    for (size_t k = 0; k < sizeof f / sizeof f[0]; k++) {
        if (!*f[k])
            continue;
        if (!(e->strs[k] = strdup(*f[k])))
            return false;
        *f[k] = e->strs[k];
    }
    size_t n = e->a.opts.filter.n_exclude_run_ids;
    if (n) {
        if (!(e->exclude = malloc(n * sizeof *e->exclude)))
            return false;
        memcpy(e->exclude, e->a.opts.filter.exclude_run_ids, n * sizeof *e->exclude);
        e->a.opts.filter.exclude_run_ids = e->exclude;
    }
    return true;
}

static enum wp_err keep(struct wp_analysis_memo *m, struct memo_entry *e)
{
    if (WP_ARRAY_GROW(m->v, m->n + 1, m->cap))
        return WP_ERR_NOMEM;
    m->v[m->n++] = e;
    return WP_OK;
}

/* Whether the cached analysis of options c may serve a request for r: a part of a
 * selection above idle (restate.partial) was not refused for holding no run with energy
 * above idle, so it never serves a whole selection, which must be. */
static bool checked_enough(const struct wp_analysis_opts *c, const struct wp_analysis_opts *r)
{
    return !c->restate.above_idle || !c->restate.partial || r->restate.partial;
}

enum wp_err wp_analysis_get(struct wp_analysis_memo *m, struct wp_store *s,
                            const struct wp_analysis_opts *o, const struct wp_analysis **out,
                            struct wp_diag *d)
{
    *out = NULL;
    for (size_t i = 0; m && i < m->n; i++)
        if (same_opts(&m->v[i]->a.opts, o) && checked_enough(&m->v[i]->a.opts, o)) {
            m->hits++;
            *out = &m->v[i]->a;
            return WP_OK;
        }
    struct memo_entry *e = calloc(1, sizeof *e);
    if (!e)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_analysis_opts shared = *o;
    if (m)
        shared.boot.draws = m->draws;
    enum wp_err err = wp_analysis_run(s, &shared, &e->a, d);
    if (err) {
        free(e);
        return err;
    }
    if (m && (!own_strings(e) || keep(m, e))) {
        wp_analysis_free(&e->a);
        for (size_t k = 0; k < sizeof e->strs / sizeof e->strs[0]; k++)
            free(e->strs[k]);
        free(e->exclude);
        free(e);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    *out = &e->a;
    return WP_OK;
}

void wp_analysis_release(struct wp_analysis_memo *m, const struct wp_analysis *a)
{
    if (m || !a)
        return; /* the memo keeps it */
    /* without a memo, a is the first member of the entry wp_analysis_get allocated */
    struct memo_entry *e = (struct memo_entry *)(void *)a;
    wp_analysis_free(&e->a);
    free(e);
}
