/* The report's executive summary and its section of the paper's analyses (see
 * report_paper.h).  Formatting only: every number comes from src/stats/ (analysis.h,
 * paper.h, reference.h); one number format per column (significant digits, thousands
 * separators, en-dash ranges). */
#include "report/report_paper.h"
#include "analysis/basis.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/charts.h"
#include "charts/quality.h"
#include "report/page_table.h"
#include "stats/paper.h"
#include "util/strpool.h"
#include "util/text.h"
#include "util/units.h"

#define MM 2.834645669


struct wp_report_paper {
    struct wp_report_paper_in in;
    const struct wp_analysis *cmp_tasks, *cmp_models, *cmp_by_model; /* --compare-where's
                                                                          (in's), NULL none */
    struct wp_reference model_ref;
    struct wp_quality quality;
    struct wp_parity_row *parity;
    size_t n_parity;
    struct wp_subsets *subsets;          /* per reference row that disagrees and names a
                                            model count */
    const char **subset_task;
    size_t n_subsets;
    struct wp_charge_row charges[3];
    const char *charge_task;             /* the most energy-intensive task, NULL none */
    struct wp_strpool strs;
};

/* ---- strings and numbers ----------------------------------------------------------------- */

/* Strings made for the pages, freed together (util/strpool.h). */
#define fmt wp_strpool_fmt

/* The cells of a table of rows x cols (one more, NULL, at the end), or NULL with the pool
 * marked failed. */
static const char **grid(struct wp_strpool *p, size_t rows, size_t cols)
{
    const char **cells = calloc(rows * cols + 1, sizeof *cells);
    if (!cells)
        p->failed = true;
    return cells;
}

static const char *esc(struct wp_strpool *p, const char *text)
{
    char *e = wp_doc_escape(text ? text : "");
    const char *r = e ? fmt(p, "%s", e) : "";
    g_free(e);
    return r;
}

/* x with `sig` significant digits in fixed notation, thousands separated (util/text.h). */
static const char *num(struct wp_strpool *p, double x, int sig)
{
    char b[64];
    wp_text_sig(x, sig, b, sizeof b);
    return fmt(p, "%s", b);
}

/* A published value with the decimals it was printed with (unit 0.001: 0.026). */
static const char *printed(struct wp_strpool *p, double v, double unit)
{
    int dec = unit > 0 && isfinite(unit) ? (int)lround(-log10(unit)) : 4;
    return fmt(p, "%.*f", dec < 0 ? 0 : dec > 12 ? 12 : dec, v);
}

/* A model or file name in prose: never broken across lines. */
static const char *name(struct wp_strpool *p, const char *text)
{
    return fmt(p, "<span allow_breaks=\"false\">%s</span>", esc(p, text));
}

/* A count with thousands separators: 2,460. */
static const char *count(struct wp_strpool *p, double n)
{
    return isfinite(n) && fabs(n) >= 1 ? num(p, round(n), (int)floor(log10(fabs(n))) + 1)
                                       : num(p, n, 1);
}

/* "lo–hi" (en dash) with sig digits each; "n/a" when either end is unknown; a lower end
 * below zero (a t interval of few values: energy cannot be negative) as "0†". */
static const char *range(struct wp_strpool *p, double lo, double hi, int sig)
{
    if (!isfinite(lo) && !isinf(hi))
        return "n/a";
    if (lo < 0)
        return isinf(hi) ? "0†–unbounded" : fmt(p, "0†–%s", num(p, hi, sig));
    if (isinf(hi))
        return fmt(p, "%s–unbounded", num(p, lo, sig));
    return fmt(p, "%s–%s", num(p, lo, sig), num(p, hi, sig));
}

static const char *task_words(struct wp_strpool *p, const char *task)
{
    char *t = strdup(task ? task : "");
    if (!t) {
        p->failed = true;
        return "";
    }
    wp_text_task_words(t);
    const char *r = esc(p, t);
    free(t);
    return r;
}

/* text with its first letter in capitals (ASCII) */
static const char *capital(struct wp_strpool *p, const char *text)
{
    const char *r = fmt(p, "%s", text);
    if (r[0] >= 'a' && r[0] <= 'z')
        ((char *)r)[0] = (char)(r[0] - 'a' + 'A');
    return r;
}

static const char *selection_words(struct wp_strpool *p, const struct wp_analysis_opts *a,
                                   const char *key, const char *value)
{
    return fmt(p, "phase “%s”, where %s",
               a->filter.phase ? esc(p, a->filter.phase) : "whole run",
               key ? fmt(p, "%s=%s", esc(p, key), esc(p, value ? value : "")) : "any");
}

bool wp_report_paper_failed(const struct wp_report_paper *p)
{
    return p && p->strs.failed;
}

/* ---- building --------------------------------------------------------------------------- */

/* The published per-task values that disagree and say how many models they are over:
 * which subsets of the logged models reproduce them. */
static enum wp_err subsets(struct wp_report_paper *p)
{
    const struct wp_reference *ref = p->in.ref;
    if (!ref || !ref->n)
        return WP_OK;
    if (!(p->subsets = calloc(ref->n, sizeof *p->subsets)) ||
        !(p->subset_task = calloc(ref->n, sizeof *p->subset_task)))
        return WP_ERR_NOMEM;
    for (size_t i = 0; i < ref->n; i++) {
        const struct wp_reference_row *row = &ref->v[i];
        const struct wp_group_stats *g = NULL;
        for (size_t k = 0; k < p->in.tasks->n_groups; k++)
            if (p->in.tasks->groups[k].task &&
                strcmp(p->in.tasks->groups[k].task, row->key) == 0)
                g = &p->in.tasks->groups[k];
        if (!g || !row->models || isnan(row->mean) ||
            wp_reference_agrees(g->kwh.mean, row->mean, row->mean_unit))
            continue;
        struct wp_group_table models = wp_analysis_table(p->in.models);
        enum wp_err e = wp_paper_subsets(&models, row->key, row->models, row,
                                         &p->subsets[p->n_subsets]);
        if (e == WP_ERR_EMPTY || e == WP_ERR_USAGE)
            continue; /* no more models than published, or too many subsets to try */
        if (e)
            return e;
        p->subset_task[p->n_subsets++] = row->key;
    }
    return WP_OK;
}

static int by_model_task(const void *pa, const void *pb)
{
    const struct wp_parity_row *a = pa, *b = pb;
    int c = strcmp(a->model ? a->model : "", b->model ? b->model : "");
    if (c || (!a->task && !b->task))
        return c;
    return !a->task ? 1 : !b->task ? -1 : strcmp(a->task, b->task);
}

/* Parity per model and task, and per model over all its tasks (the paper's figure), sorted
 * by model, its tasks first. */
static enum wp_err parity_rows(struct wp_report_paper *p)
{
    struct wp_parity_row *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    struct wp_group_table models = wp_analysis_table(p->cmp_models);
    enum wp_err e = wp_paper_parity(&models, &a, &na);
    if (!e) {
        struct wp_group_table by_model = wp_analysis_table(p->cmp_by_model);
        e = wp_paper_parity(&by_model, &b, &nb);
    }
    if (!e && na + nb) {
        struct wp_parity_row *v = realloc(a, (na + nb) * sizeof *v);
        if (!v) {
            e = WP_ERR_NOMEM;
        } else {
            a = v;
            memcpy(a + na, b, nb * sizeof *b);
            qsort(a, na + nb, sizeof *a, by_model_task);
            p->parity = a;
            p->n_parity = na + nb;
            a = NULL;
        }
    }
    free(a);
    free(b);
    return e;
}

enum wp_err wp_report_paper_new(const struct wp_report_paper_in *in,
                                struct wp_report_paper **out, struct wp_diag *d)
{
    *out = NULL;
    const struct wp_report_opts *o = in->o;
    if (!o->compare_where_key && !o->model_reference && !o->scores &&
        !(in->ref && in->ref->n))
        return WP_OK;
    struct wp_report_paper *p = calloc(1, sizeof *p);
    if (!p)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    p->in = *in;
    if (o->compare_where_key) {
        p->cmp_tasks = in->cmp_tasks;
        p->cmp_models = in->cmp_models;
        p->cmp_by_model = in->cmp_by_model;
    }
    enum wp_err e = WP_OK;
    if (o->model_reference)
        e = wp_reference_load(o->model_reference, &p->model_ref, d);
    if (!e && o->scores && p->cmp_models) {
        struct wp_group_table models = wp_analysis_table(p->cmp_models);
        e = wp_paper_quality(o->scores, &models, &p->quality, d);
    }
    if (!e && p->cmp_models && parity_rows(p) != WP_OK)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && subsets(p) != WP_OK)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    if (!e && in->tasks->headline.has) {
        p->charge_task = in->tasks->headline.most->task;
        struct wp_group_table tasks = wp_analysis_table(in->tasks),
                              models = wp_analysis_table(in->models);
        if (wp_paper_charges(&tasks, &models, p->charge_task, p->charges) != WP_OK)
            p->charge_task = NULL;
    }
    if (e) {
        wp_report_paper_free(p);
        return e;
    }
    *out = p;
    return WP_OK;
}

void wp_report_paper_free(struct wp_report_paper *p)
{
    if (!p)
        return;
    wp_reference_free(&p->model_ref);
    wp_quality_free(&p->quality);
    free(p->parity);
    for (size_t i = 0; i < p->n_subsets; i++)
        wp_subsets_free(&p->subsets[i]);
    free(p->subsets);
    free(p->subset_task);
    wp_strpool_free(&p->strs);
    free(p);
}

/* ---- the central figure ------------------------------------------------------------------ */

static enum wp_err draw_tasks(cairo_t *cr, double w, double h, void *ctx, struct wp_diag *d)
{
    const struct wp_report_paper *p = ctx;
    const struct wp_chart_kind *k = wp_chart_find("tasks");
    struct wp_chart_opts o;
    wp_chart_opts_on_page(&o, cr, w / MM, h / MM, p->in.creator, p->in.date);
    o.metric = WP_METRIC_EMISSIONS;
    return k ? k->render(p->in.tasks, &o, d) : wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "no chart");
}

static enum wp_err draw_quality(cairo_t *cr, double w, double h, void *ctx, struct wp_diag *d)
{
    const struct wp_report_paper *p = ctx;
    struct wp_chart_opts o;
    wp_chart_opts_on_page(&o, cr, w / MM, h / MM, p->in.creator, p->in.date);
    return wp_chart_quality(&p->quality, &o, d);
}

/* ---- the executive summary ---------------------------------------------------------------- */

static size_t distinct_models(const struct wp_analysis *models)
{
    size_t n = 0;
    for (size_t i = 0; i < models->n_groups; i++) {
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++)
            seen = models->groups[k].model && models->groups[i].model &&
                   strcmp(models->groups[k].model, models->groups[i].model) == 0;
        n += !seen;
    }
    return n;
}

static const char *measured_words(struct wp_strpool *s, const struct wp_analysis *a)
{
    static const char *const names[WP_N_COMP] = {"GPU", "CPU", "RAM"};
    static const int order[WP_N_COMP] = {WP_COMP_GPU, WP_COMP_CPU, WP_COMP_RAM};
    const char *out = "";
    for (int i = 0; i < WP_N_COMP; i++) {
        const char *w = wp_basis_word(&a->basis, order[i]);
        if (w)
            out = fmt(s, "%s%s%s %s", out, out[0] ? ", " : "", names[i], w);
    }
    return out[0] ? out : "not stated in the logs";
}

/* How many tasks the reference covers and how many agree. */
static void agreement(const struct wp_report_paper *p, size_t *n, size_t *agree)
{
    *n = *agree = 0;
    const struct wp_reference *ref = p->in.ref;
    for (size_t i = 0; ref && i < p->in.tasks->n_groups; i++) {
        const struct wp_group_stats *g = &p->in.tasks->groups[i];
        const struct wp_reference_row *row = wp_reference_find(ref, g->task);
        if (!row || isnan(row->mean))
            continue;
        (*n)++;
        *agree += wp_reference_agrees(g->kwh.mean, row->mean, row->mean_unit);
    }
}

static void charges_table(struct wp_doc *doc, struct wp_report_paper *p)
{
    struct wp_strpool *s = &p->strs;
    size_t nf;
    const struct wp_charge_factor *f = wp_paper_charge_factors(&nf);
    struct wp_doc_col cols[3 + WP_PAPER_MAX_FACTORS];
    cols[0] = (struct wp_doc_col){"<b></b>", 0.36, WP_LEFT};
    cols[1] = (struct wp_doc_col){"<b>per</b>", 0.12, WP_LEFT};
    cols[2] = (struct wp_doc_col){"<b>kWh</b>", 0.13, WP_RIGHT};
    for (size_t k = 0; k < nf; k++)
        cols[3 + k] = (struct wp_doc_col){
            fmt(s, "<b>charges at %s kWh</b>", num(s, f[k].kwh_per_charge, 2)),
            0.39 / (double)nf, WP_RIGHT};
    const char *cells[6 * (3 + WP_PAPER_MAX_FACTORS)];
    size_t nc = 3 + nf;
    for (int i = 0; i < 6; i++) {
        const struct wp_charge_row *r = &p->charges[i / 2];
        bool per_one = i % 2 == 0;
        double scale = per_one ? 1.0 / 1000 : 1.0;
        const char **c = cells + (size_t)i * nc;
        c[0] = !per_one ? ""
               : r->model ? fmt(s, "%s: %s", r->what, esc(s, r->model))
                          : fmt(s, "%s (%s)", r->what, task_words(s, p->charge_task));
        c[1] = per_one ? "inference" : "1,000";
        c[2] = num(s, r->kwh_per_1k * scale, 4);
        for (size_t k = 0; k < nf; k++)
            c[3 + k] = num(s, r->charges_per_1k[k] * scale, 2);
    }
    const char *src = "";
    for (size_t k = 0; k < nf; k++)
        src = fmt(s, "%s %s kWh per charge, %s: %s.", src, num(s, f[k].kwh_per_charge, 2),
                  f[k].name, esc(s, f[k].source));
    wp_doc_table(doc, cols, nc, cells, 6,
                 fmt(s, "Table: %s per inference and per 1,000 inferences, in kWh (query model "
                        "phase, mean over runs) and in smartphone charges by each published "
                        "factor: the task mean over its n = %zu models, and its most and least "
                        "energy-hungry model (n = %zu and %zu runs). Factors:%s",
                     task_words(s, p->charge_task), p->charges[0].n_units,
                     p->charges[1].n_runs, p->charges[2].n_runs, src));
}

void wp_report_paper_summary(struct wp_doc *doc, struct wp_report_paper *p)
{
    if (!p)
        return;
    struct wp_strpool *s = &p->strs;
    const struct wp_analysis *t = p->in.tasks;
    const struct wp_report_opts *o = p->in.o;
    wp_doc_heading(doc, 1, "Executive summary");
    long long runs = 0;
    for (size_t i = 0; i < t->n_groups; i++)
        runs += (long long)t->groups[i].n_runs;
    size_t n_ref, agree;
    agreement(p, &n_ref, &agree);
    wp_doc_para(doc, fmt(s, "<b>What this is.</b> The energy and emissions of AI inference per "
                            "task, recomputed from the raw logs: %s runs of %zu models on %zu "
                            "tasks (selection: %s). %s",
                         count(s, (double)runs), distinct_models(p->in.models), t->n_groups,
                         selection_words(s, &o->a, o->a.filter.where_key,
                                         o->a.filter.where_value),
                         n_ref ? fmt(s, "%zu of %zu task means agree with the published "
                                        "ones within one unit of the printed digit%s.",
                                     agree, n_ref,
                                     agree < n_ref ? "; the others are explained in “The "
                                                     "paper's analyses”" : "")
                               : ""));
    const struct wp_headline *h = &t->headline;
    if (h->has && p->charge_task) {
        size_t nf;
        const struct wp_charge_factor *f = wp_paper_charge_factors(&nf);
        const struct wp_charge_row *most = &p->charges[1];
        const char *per_factor = "";
        for (size_t k = 0; k < nf; k++)
            per_factor = fmt(s, "%s%s%s%s at %s %s kWh per charge", per_factor,
                             k ? (k + 1 == nf ? " and " : ", ") : "",
                             num(s, most->charges_per_1k[k] / 1000, 2),
                             k ? "" : " smartphone charges", f[k].name,
                             num(s, f[k].kwh_per_charge, 2));
        wp_doc_para(doc, fmt(s, "<b>Headline.</b> %s is the most energy-intensive task: %s kWh "
                                "per 1,000 inferences (%g%% t interval %s over its n = %zu "
                                "%s), %s times %s (cluster bootstrap interval %s). Its most "
                                "energy-hungry model, %s, uses %s kWh per inference: %s "
                                "(Table %d). “One charge per image” holds only at the "
                                "earlier factor; per 1,000 images the task mean is %s "
                                "charges at the paper's factor.",
                             capital(s, task_words(s, h->most->task)),
                             num(s, h->most->kwh.mean, 4),
                             o->a.level * 100,
                             range(s, h->most->kwh_t.lo, h->most->kwh_t.hi, 3),
                             h->most->n_units, wp_unit_name(t->unit, h->most->n_units),
                             num(s, h->ratio.ratio, 3), task_words(s, h->least->task),
                             range(s, h->ratio.lo, h->ratio.hi, 3), name(s, most->model),
                             num(s, most->kwh_per_1k / 1000, 4), per_factor,
                             wp_doc_next_table(doc), num(s, p->charges[0].charges_per_1k[0], 3)));
    }
    int fig = wp_doc_next_figure(doc);
    wp_doc_para(doc, fmt(s, "Figure %d shows emissions per 1,000 inferences by task, as the "
                            "paper's central figure does; the spread within a task is as wide "
                            "as that between neighbouring tasks.", fig));
    wp_doc_figure(doc, wp_doc_text_width(doc), 78 * MM, draw_tasks, p,
                  fmt(s, "Figure: emissions per 1,000 inferences by task (g CO2eq, log axis), "
                         "one dot per %s (%s), boxes of quartiles and whiskers to 1.5 IQR of "
                         "log10 values. Selection: %s; n = %zu tasks.",
                      wp_unit_name(t->unit, 1),
                      t->unit == WP_UNIT_MODEL ? "its mean over its experiments"
                                               : "the mean of its runs",
                      selection_words(s, &o->a, o->a.filter.where_key,
                                      o->a.filter.where_value),
                      t->n_groups));
    if (p->charge_task)
        charges_table(doc, p);
    wp_doc_para(doc, fmt(s, "<b>Measured and modelled.</b> Energy is what the logging tool "
                            "recorded for the whole machine: %s. Emissions are modelled: "
                            "energy times the grid carbon intensity the tool applied. "
                            "Smartphone charges and inferences to parity are conversions "
                            "with published factors, each cited where it is used.",
                         measured_words(s, t)));
}

/* ---- the paper's analyses -------------------------------------------------------------- */

static void subsets_section(struct wp_doc *doc, struct wp_report_paper *p)
{
    struct wp_strpool *s = &p->strs;
    for (size_t i = 0; i < p->n_subsets; i++) {
        const struct wp_subsets *ss = &p->subsets[i];
        const struct wp_reference_row *row = wp_reference_find(p->in.ref, p->subset_task[i]);
        const char *task = task_words(s, p->subset_task[i]);
        wp_doc_heading(doc, 2, fmt(s, "Which %s models the published value is over", task));
        const char *sd = isnan(row->sd) ? "" : fmt(s, " and sd %s", printed(s, row->sd, row->sd_unit));
        /* what the paper's value is over and what the logs hold: both paragraphs open so */
        const char *held = fmt(s, "The paper's %s mean of %s kWh per 1,000 inferences%s is "
                                  "over %zu models; the logs hold %zu.",
                               task, printed(s, row->mean, row->mean_unit), sd, ss->keep,
                               ss->n_models);
        if (!ss->n_mean) {
            wp_doc_para(doc, fmt(s, "%s None of the %zu subsets of %zu models reproduces the "
                                    "published mean within one unit of its printed digit: "
                                    "the logs do not say which runs the paper used.",
                                 held, ss->n_tried, ss->keep));
            continue;
        }
        wp_doc_para(doc, fmt(s, "%s Of the %zu subsets of %zu models, %zu reproduce the "
                                "published mean within one unit of its printed digit and %zu "
                                "the mean and the sd (Table %d, pooled over each subset's "
                                "runs). %s",
                             held, ss->n_tried, ss->keep, ss->n_mean, ss->n_both,
                             wp_doc_next_table(doc),
                             ss->n_both > 1 ? "Several subsets do: the logs cannot tell which "
                                              "the paper used, so the report keeps all the "
                                              "logged models and shows both numbers."
                             : ss->n_both == 1 ? "One subset does: it is a candidate, not a "
                                                 "proof, of the paper's selection."
                                               : "No subset reproduces both: the published "
                                                 "pair is not a subset of these logs."));
        static const struct wp_doc_col cols[] = {
            {"<b>models left out</b>", 0.58, WP_LEFT},
            {"<b>mean (kWh)</b>", 0.14, WP_RIGHT},
            {"<b>sd (kWh)</b>", 0.14, WP_RIGHT},
            {"<b>sd agrees</b>", 0.14, WP_LEFT},
        };
        const char **cells = grid(s, ss->n_mean, 4);
        if (!cells)
            continue;
        for (size_t k = 0; k < ss->n_mean; k++) {
            const char **c = cells + k * 4;
            c[0] = esc(s, ss->v[k].left_out);
            c[1] = num(s, ss->v[k].mean, 4);
            c[2] = num(s, ss->v[k].sd, 3);
            c[3] = ss->v[k].sd_agrees ? "yes" : "no";
        }
        wp_doc_table(doc, cols, 4, cells, ss->n_mean,
                     fmt(s, "Table: the subsets of %zu of the %zu logged %s models whose mean "
                            "agrees with the published %s kWh per 1,000 inferences; mean and "
                            "sample sd over the runs of the subset's models (n = %s runs of "
                            "all %zu), selection as in the summary.",
                         ss->keep, ss->n_models, task, printed(s, row->mean, row->mean_unit),
                         count(s, (double)ss->n_runs), ss->n_models));
        free(cells);
    }
}

static const struct wp_group_stats *purpose_group(const struct wp_analysis *a, const char *model)
{
    for (size_t i = 0; i < a->n_groups; i++)
        if (a->groups[i].model && strcmp(a->groups[i].model, model) == 0)
            return &a->groups[i];
    return NULL;
}

/* "90" or "80–90": the runs of the multi-purpose models the published table lists */
static const char *runs_range(struct wp_strpool *s, const struct wp_report_paper *p)
{
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t i = 0; i < p->model_ref.n; i++) {
        const struct wp_group_stats *g = purpose_group(p->cmp_by_model, p->model_ref.v[i].key);
        if (!g)
            continue;
        lo = g->n_runs < lo ? g->n_runs : lo;
        hi = g->n_runs > hi ? g->n_runs : hi;
    }
    return lo == hi ? fmt(s, "%zu", hi) : fmt(s, "%zu–%zu", lo, hi);
}

static void purpose_section(struct wp_doc *doc, struct wp_report_paper *p)
{
    struct wp_strpool *s = &p->strs;
    const struct wp_analysis *a = p->cmp_tasks;
    const struct wp_report_opts *o = p->in.o;
    if (!a || !a->n_purpose)
        return;
    wp_doc_keep(doc, 200);
    wp_doc_heading(doc, 2, "Task-specific and multi-purpose models");
    const char *sel = selection_words(s, &a->opts, o->compare_where_key, o->compare_where_value);
    wp_doc_para(doc, fmt(s, "The paper compares the task-specific models of a task with "
                            "multi-purpose models doing the same task zero-shot. Table %d gives "
                            "the ratio of their mean energies per task, with a %g%% cluster "
                            "bootstrap interval over %s (selection: %s).",
                         wp_doc_next_table(doc), a->opts.level * 100,
                         wp_unit_name(a->unit, 2), sel));
    const struct wp_page_col cols[] = {
        {"task", "<b>task</b>", 0.2, WP_LEFT, .format = WP_CELL_WORDS},
        {"mean_multi_kwh_per_1k", "<b>multi-purpose (kWh / 1,000)</b>", 0.17, WP_RIGHT,
         .digits = 3, .with = "n_multi", .join = WP_JOIN_N},
        {"mean_spec_kwh_per_1k", "<b>task-specific (kWh / 1,000)</b>", 0.17, WP_RIGHT,
         .digits = 3, .with = "n_spec", .join = WP_JOIN_N},
        {"ratio", "<b>ratio</b>", 0.1, WP_RIGHT, .digits = 3},
        {"ratio_ci", fmt(s, "<b>%g%% interval</b>", a->opts.level * 100), 0.14, WP_RIGHT,
         .format = WP_CELL_BOUNDS, .digits = 3},
        {"p_welch", "<b>p (Welch, log10)</b>", 0.11, WP_RIGHT, .format = WP_CELL_P_SCI},
        {"p_holm", "<b>p (Holm)</b>", 0.11, WP_RIGHT, .format = WP_CELL_P_SCI},
    };
    wp_page_table(doc, s, wp_purpose_cols, WP_N_PURPOSE_COLS, cols, sizeof cols / sizeof cols[0],
                  a->purpose, sizeof a->purpose[0], a->n_purpose,
                  fmt(s, "Table: mean kWh per 1,000 inferences of the multi-purpose and the "
                         "task-specific models of each task (n = %s), the ratio multi-purpose "
                         "over task-specific with its %g%% cluster bootstrap interval (%s "
                         "resamples, seed %llu), and Welch's t-test on log10 of the %s means "
                         "with p Holm-adjusted over the %zu tasks. Selection: %s.",
                      wp_unit_name(a->unit, 2), a->opts.level * 100,
                      count(s, (double)a->opts.boot.resamples),
                      (unsigned long long)a->opts.boot.seed, wp_unit_name(a->unit, 1),
                      a->n_purpose, sel));
    if (!p->model_ref.n || !p->cmp_by_model)
        return;
    /* the multi-purpose models beside their published figures */
    static const struct wp_page_col zcols[] = {
        {"model", "<b>model</b>", 0.3, WP_LEFT, .format = WP_CELL_VALUE},
        {"mean_kwh_per_1k", "<b>kWh / 1,000</b>", 0.13, WP_RIGHT, .digits = 3},
        {"ref_mean_kwh_per_1k", "<b>published</b>", 0.12, WP_RIGHT, .format = WP_CELL_PRINTED,
         .with = "ref_mean_unit", .none = ""},
        {"mean_g_co2eq_per_1k", "<b>g CO2eq / 1,000</b>", 0.15, WP_RIGHT, .digits = 4},
        {"ref_mean_g_co2eq_per_1k", "<b>published</b>", 0.12, WP_RIGHT,
         .format = WP_CELL_PRINTED, .with = "ref_g_unit", .none = ""},
        {"agrees", "<b>agrees</b>", 0.18, WP_LEFT, .format = WP_CELL_VALUE},
    };
    struct wp_model_ref_cmp *z = calloc(p->model_ref.n + 1, sizeof *z);
    if (!z) {
        s->failed = true;
        return;
    }
    size_t n = 0, n_agree = 0;
    for (size_t i = 0; i < p->model_ref.n; i++) {
        const struct wp_reference_row *row = &p->model_ref.v[i];
        const struct wp_group_stats *g = purpose_group(p->cmp_by_model, row->key);
        if (!g)
            continue;
        bool k_ok = wp_reference_agrees(g->kwh.mean, row->mean, row->mean_unit);
        bool g_ok = isnan(row->g_mean) || wp_reference_agrees(g->g.mean, row->g_mean, row->g_unit);
        n_agree += k_ok && g_ok;
        z[n++] = (struct wp_model_ref_cmp){
            .model = row->key, .kwh = g->kwh.mean, .ref_kwh = row->mean,
            .ref_kwh_unit = row->mean_unit, .g = g->g.mean, .ref_g = row->g_mean,
            .ref_g_unit = row->g_unit, .kwh_ok = k_ok, .g_ok = g_ok};
    }
    if (n) {
        wp_doc_para(doc, fmt(s, "Table %d sets the multi-purpose models' figures, over all "
                                "their zero-shot runs, beside the published ones: %zu of %zu "
                                "agree within one unit of the printed digit.",
                             wp_doc_next_table(doc), n_agree, n));
        wp_page_table(doc, s, wp_model_ref_cols, WP_N_MODEL_REF_COLS, zcols,
                      sizeof zcols / sizeof zcols[0], z, sizeof z[0], n,
                      fmt(s, "Table: kWh and g CO2eq per 1,000 inferences of each "
                             "multi-purpose model over its runs on every task (mean over runs; "
                             "n = %s runs per model), here and as published (%s).",
                          runs_range(s, p), esc(s, p->model_ref.v[0].source)));
    }
    free(z);
}

static void parity_section(struct wp_doc *doc, struct wp_report_paper *p)
{
    struct wp_strpool *s = &p->strs;
    if (!p->n_parity)
        return;
    wp_doc_keep(doc, 250);
    wp_doc_heading(doc, 2, "Inferences to parity with training");
    /* each distinct citation once: the part of a source before its last ": " */
    const char *sources = "";
    for (size_t i = 0; i < p->n_parity; i++) {
        const struct wp_training_energy *t = p->parity[i].published;
        if (!t)
            continue;
        const char *cut = t->source;
        for (const char *c = t->source; (c = strstr(c, ": ")); c++)
            cut = c;
        const char *cite = esc(s, fmt(s, "%.*s", (int)(cut - t->source), t->source));
        if (!strstr(sources, cite))
            sources = fmt(s, "%s%s%s", sources, sources[0] ? "; " : "", cite);
    }
    wp_doc_para(doc, fmt(s, "How many inferences use as much energy as training and "
                            "fine-tuning the model did: the training energy (manifest column "
                            "training_kwh) over the energy of one inference, per task, with "
                            "the interval that the %g%% t interval of the mean energy maps to "
                            "(Table %d). A model without a published training energy has no "
                            "row. Training and fine-tuning energies: %s (the split per model "
                            "in the table).",
                         p->in.o->a.level * 100, wp_doc_next_table(doc),
                         sources[0] ? sources : "from the manifest, no published source"));
    const struct wp_page_col cols[] = {
        {"model", "<b>model</b>", 0.25, WP_LEFT, .format = WP_CELL_VALUE},
        {"task", "<b>task</b>", 0.19, WP_LEFT, .format = WP_CELL_WORDS,
         .none = "<i>all its tasks</i>"},
        {"training_kwh", "<b>training + fine-tuning (kWh)</b>", 0.16, WP_RIGHT,
         .format = WP_CELL_WHOLE, .with = "finetune_kwh", .join = WP_JOIN_PLUS},
        {"mean_kwh_per_1k", "<b>kWh / 1,000</b>", 0.10, WP_RIGHT, .digits = 3},
        {"parity_millions", "<b>parity (millions)</b>", 0.12, WP_RIGHT, .digits = 3},
        {"parity_ci_millions", fmt(s, "<b>%g%% interval (millions)</b>", p->in.o->a.level * 100),
         0.18, WP_RIGHT, .format = WP_CELL_BOUNDS, .digits = 3},
    };
    wp_page_table(doc, s, wp_parity_cols, WP_N_PARITY_COLS, cols, sizeof cols / sizeof cols[0],
                  p->parity, sizeof p->parity[0], p->n_parity,
                  fmt(s, "Table: inferences to parity with training + fine-tuning energy, per "
                         "model and task and over all the model's tasks (millions of "
                         "inferences), from the mean kWh per 1,000 inferences over the task's "
                         "experiments (n = %zu datasets; all tasks: n = %zu); the "
                         "interval maps the mean's %g%% Student t interval over experiments "
                         "(more energy per inference, fewer inferences to parity); unbounded: "
                         "the energy interval reaches 0. Selection: %s.",
                      p->parity[0].n_units, p->parity[p->n_parity - 1].n_units,
                      p->in.o->a.level * 100,
                      selection_words(s, &p->cmp_models->opts, p->in.o->compare_where_key,
                                      p->in.o->compare_where_value)));
}

/* A model on its task's Pareto front: "yes" in bold; off it: nothing. */
static bool on_front(const void *row)
{
    return ((const struct wp_quality_row *)row)->on_front;
}

static bool off_front(const void *row)
{
    return !on_front(row);
}

static void quality_section(struct wp_doc *doc, struct wp_report_paper *p)
{
    struct wp_strpool *s = &p->strs;
    const struct wp_quality *q = &p->quality;
    if (!q->n)
        return;
    wp_doc_keep(doc, 105 * MM + 110); /* the heading, its words and the figure together */
    wp_doc_heading(doc, 2, "Energy against quality");
    size_t front = 0;
    for (size_t i = 0; i < q->n; i++)
        front += q->v[i].on_front;
    wp_doc_para(doc, fmt(s, "The published scores (accuracy, F1, ROUGE) of the models the "
                            "study's scores file lists, multi-purpose and task-specific, beside "
                            "their energy per task (Figure %d, Table %d). A model is on the Pareto front of its task when "
                            "no other model of the task uses less energy for a score at least "
                            "as high; %zu of the %zu model-task pairs are. A higher score "
                            "costs energy only along the front: off it, a model is both "
                            "costlier and worse than some other.",
                         wp_doc_next_figure(doc), wp_doc_next_table(doc), front, q->n));
    wp_doc_figure(doc, fmin(wp_doc_text_width(doc), 150 * MM), 105 * MM, draw_quality, p,
                  fmt(s, "Figure: energy per 1,000 inferences (kWh, log axis; mean over runs) "
                         "against the published score (the mean over the task's datasets), "
                         "one point per model and task (n = %zu), the Pareto front of each task "
                         "as a line through its larger points. Selection: %s.",
                      q->n, selection_words(s, &p->cmp_models->opts, p->in.o->compare_where_key,
                                            p->in.o->compare_where_value)));
    const struct wp_page_col cols[] = {
        {"task", "<b>task</b>", 0.17, WP_LEFT, .format = WP_CELL_WORDS},
        {"model", "<b>model</b>", 0.34, WP_LEFT, .format = WP_CELL_VALUE},
        {"mean_kwh_per_1k", "<b>kWh / 1,000</b>", 0.11, WP_RIGHT, .digits = 3},
        {"ci_t_kwh_per_1k", fmt(s, "<b>%g%% CI (kWh)</b>", p->in.o->a.level * 100), 0.20,
         WP_RIGHT, .format = WP_CELL_BOUNDS, .digits = 3},
        {"score", "<b>score</b>", 0.08, WP_RIGHT, .format = WP_CELL_FIXED, .digits = 3},
        {"pareto_front", "<b>Pareto front</b>", 0.10, WP_LEFT, .blank = off_front,
         .strong = on_front},
    };
    const char *metrics = "";
    for (size_t i = 0; i < q->n; i++) {
        const struct wp_quality_row *r = &q->v[i];
        if (!strstr(metrics, esc(s, r->metrics)))
            metrics = fmt(s, "%s%s%s: %s", metrics, metrics[0] ? "; " : "",
                          task_words(s, r->task), esc(s, r->metrics));
    }
    wp_page_table(doc, s, wp_quality_cols, WP_N_QUALITY_COLS, cols, sizeof cols / sizeof cols[0],
                  q->v, sizeof q->v[0], q->n,
                  fmt(s, "Table: energy (kWh per 1,000 inferences, mean over runs, with its "
                         "%g%% Student t interval over the model's experiments, n = %zu "
                         "datasets) against the mean published score over the task's datasets "
                         "(%s; metrics differ between tasks: compare within a task only); "
                         "Pareto front: lowest energy for its score; † the t interval's lower "
                         "end is below zero, shown as 0. Selection: %s.",
                      p->in.o->a.level * 100,
                      p->cmp_models->n_groups ? p->cmp_models->groups[0].n_units : 0, metrics,
                      selection_words(s, &p->cmp_models->opts, p->in.o->compare_where_key,
                                      p->in.o->compare_where_value)));
}

bool wp_report_paper_has_purpose(const struct wp_report_paper *p)
{
    return p && p->cmp_tasks && p->cmp_tasks->n_purpose;
}

bool wp_report_paper_has_parity(const struct wp_report_paper *p)
{
    return p && p->n_parity;
}

void wp_report_paper_sections(struct wp_doc *doc, struct wp_report_paper *p)
{
    if (!p || (!p->n_subsets && !p->cmp_tasks && !p->quality.n))
        return;
    wp_doc_heading(doc, 1, "The paper's analyses");
    subsets_section(doc, p);
    purpose_section(doc, p);
    parity_section(doc, p);
    quality_section(doc, p);
}
