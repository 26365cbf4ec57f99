/* The report's data (see report_data.h): the store read once for the report's writers, in
 * the order the report used to read it itself. */
#include "analysis/report_data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/filter.h"
#include "util/array.h"

/* The analyses by task, by model x task (t intervals), load vs query, task vs task, and by
 * model x task over the per-token table's experiments. */
static enum wp_err analyse(struct wp_store *s, const struct wp_report_data_opts *o,
                           struct wp_report_data *r, struct wp_diag *d)
{
    struct wp_analysis_opts a = o->a;
    a.by = WP_BY_TASK;
    enum wp_err e = wp_analysis_get(o->memo, s, &a, &r->tasks, d);
    if (e)
        return e;
    a.by = WP_BY_MODEL_TASK;
    a.boot.resamples = 0; /* the model table shows t intervals */
    if ((e = wp_analysis_get(o->memo, s, &a, &r->models, d)))
        return e;
    if ((e = wp_loading_run(s, &o->a, &r->loading, d)))
        return e;
    if (r->tasks->n_groups >= 2 &&
        (e = wp_analysis_pairwise(s, r->tasks, NULL, 0, &r->pairs, d)))
        return e;
    a = o->a;
    a.by = WP_BY_MODEL_TASK;
    a.boot.resamples = 0;
    a.restate.partial = true; /* the runs with token counts may have none on an idle host */
    if (o->tokens_where_key) {
        a.filter.where_key = o->tokens_where_key;
        a.filter.where_value = o->tokens_where_value;
    }
    return wp_analysis_get(o->memo, s, &a, &r->tokens, d);
}

/* The token-count files behind the per-token table, "path sha256", each once. */
struct token_ctx {
    struct wp_report_data *r;
    bool failed; /* out of memory */
};

static int keep_token_file(void *ctx, const struct wp_token_count *c, bool has_experiment)
{
    struct token_ctx *t = ctx;
    struct wp_report_data *r = t->r;
    if (!has_experiment)
        return 0;
    for (size_t i = 0; i < r->tokens->n_groups; i++) {
        const struct wp_group_stats *g = &r->tokens->groups[i];
        if (g->tokens.n && strcmp(g->model, c->model) == 0) {
            char *line = NULL;
            if (asprintf(&line, "%s %s", c->source_path, c->source_sha256) < 0) {
                t->failed = true;
                return 1;
            }
            for (size_t k = 0; k < r->token_files.n; k++)
                if (strcmp(r->token_files.v[k], line) == 0) {
                    free(line);
                    return 0;
                }
            if (WP_ARRAY_GROW(r->token_files.v, r->token_files.n + 1, r->token_files.cap)) {
                free(line);
                t->failed = true;
                return 1;
            }
            r->token_files.v[r->token_files.n++] = line;
            return 0;
        }
    }
    return 0;
}

static int by_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* What the per-token table rests on: its runs' files, when its filter differs from the
 * report's, and the token-count files. */
static enum wp_err token_sources(struct wp_store *s, const struct wp_report_data_opts *o,
                                 struct wp_report_data *r, struct wp_diag *d)
{
    bool any = false;
    for (size_t i = 0; i < r->tokens->n_groups; i++)
        any |= r->tokens->groups[i].tokens.n > 0;
    if (!any)
        return WP_OK;
    enum wp_err e = WP_OK;
    if (o->tokens_where_key) {
        struct wp_run_filter f = o->a.filter;
        f.where_key = o->tokens_where_key;
        f.where_value = o->tokens_where_value;
        e = wp_facts_collect(s, &f, &r->token_facts, d);
    }
    struct token_ctx t = {.r = r};
    if (!e)
        e = wp_store_each_token_count(s, keep_token_file, &t, d);
    if (!e && t.failed)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && r->token_files.n > 1)
        qsort(r->token_files.v, r->token_files.n, sizeof *r->token_files.v, by_text);
    return e;
}

/* The paper's analyses over --compare-where's selection: by task (the ratios' intervals),
 * by model x task and by model (t intervals over experiments). */
static enum wp_err compare_analyses(struct wp_store *s, const struct wp_report_data_opts *o,
                                    struct wp_report_data *r, struct wp_diag *d)
{
    struct wp_analysis_opts a = o->a;
    a.restate.partial = true; /* --compare-where's runs may have none on an idle host */
    a.filter.where_key = o->compare_where_key;
    a.filter.where_value = o->compare_where_value;
    a.by = WP_BY_TASK;
    a.boot_ratios_only = true; /* the ratios' intervals; the groups' are not shown */
    enum wp_err e = wp_analysis_get(o->memo, s, &a, &r->cmp_tasks, d);
    if (e)
        return e;
    a.boot.resamples = 0; /* t intervals over experiments */
    a.boot_ratios_only = false;
    a.by = WP_BY_MODEL_TASK;
    if ((e = wp_analysis_get(o->memo, s, &a, &r->cmp_models, d)))
        return e;
    a.by = WP_BY_MODEL;
    return wp_analysis_get(o->memo, s, &a, &r->cmp_by_model, d);
}

enum wp_err wp_report_data_collect(struct wp_store *s, const struct wp_report_data_opts *o,
                                   struct wp_report_data *out, struct wp_diag *d)
{
    memset(out, 0, sizeof *out);
    out->memo = o->memo;
    enum wp_err e = analyse(s, o, out, d);
    if (!e)
        e = wp_sources_all(s, &out->sources, d);
    if (!e) {
        struct wp_run_filter f = o->a.filter;
        e = wp_facts_collect(s, &f, &out->facts, d);
    }
    if (!e)
        e = token_sources(s, o, out, d);
    if (!e)
        e = wp_store_counts(s, &out->counts, d);
    out->schema = wp_store_schema_version(s);
    if (e)
        return e;
    out->is_logged = !out->tasks->n_groups && !wp_filter_is_set(&o->a.filter);
    if (out->is_logged) {
        e = wp_logged_collect(s, &o->a.boot, &out->logged, d);
        if (!e && !out->logged.n)
            e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                            "the database holds no run: nothing to report "
                            "(wattprint ingest FILE)");
        if (!e)
            e = wp_store_basis_summary(s, NULL, 0, NULL, &out->logged_basis, d);
    } else if (o->compare_where_key && out->tasks->n_groups) {
        e = compare_analyses(s, o, out, d);
    }
    return e;
}

void wp_report_data_free(struct wp_report_data *r)
{
    const struct wp_analysis *a[] = {r->tasks,     r->models,     r->tokens,
                                     r->cmp_tasks, r->cmp_models, r->cmp_by_model};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        if (a[i])
            wp_analysis_release(r->memo, a[i]);
    wp_loading_free(&r->loading);
    wp_pairwise_free(&r->pairs);
    wp_sources_free(&r->sources);
    wp_facts_free(&r->facts);
    wp_facts_free(&r->token_facts);
    for (size_t i = 0; i < r->token_files.n; i++)
        free(r->token_files.v[i]);
    free(r->token_files.v);
    if (r->is_logged)
        wp_logged_free(&r->logged);
    memset(r, 0, sizeof *r);
}
