/* The PDF transparency report (see report.h): gathers the analyses, provenance and
 * rendered prose once, then lays the document out with the doc engine. */
#include "report/report.h"
#include "analysis/basis.h"
#include "report/page_table.h"
#include "report/pairwise.h"
#include "report/ratings.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "charts/charts.h"
#include "report/basis.h"
#include "report/logged.h"
#include "analysis/provenance.h"
#include "report/report_paper.h"
#include "report/template.h"
#include "analysis/filter.h"
#include "analysis/loading.h"
#include "stats/columns.h"
#include "stats/reference.h"
#include "util/atomic.h"
#include "util/sha256.h"
#include "util/strpool.h"
#include "util/text.h"
#include "util/units.h"
#include "util/array.h"

#define MM 2.834645669

/* Strings made for the pages, freed together (util/strpool.h). */
#define fmt wp_strpool_fmt

/* A number for people: 4 significant digits in fixed notation, thousands separated (one
 * notation in every column: 0.0002810 beside -0.00002230, never 2.23e-05; 1,057, never
 * 1057); "n/a" when unknown or past the range of a double (never "inf"). */
static const char *num(struct wp_strpool *p, double x)
{
    if (!isfinite(x))
        return "n/a";
    char b[64];
    wp_text_sig(x, 4, b, sizeof b);
    return fmt(p, "%s", b);
}

/* A whole number for people, every digit kept, thousands separated: 59,257. */
static const char *count_text(struct wp_strpool *p, double x)
{
    if (!isfinite(x))
        return "n/a";
    x = round(x);
    char b[64];
    wp_text_sig(x, fabs(x) >= 1 ? (int)floor(log10(fabs(x))) + 1 : 1, b, sizeof b);
    return fmt(p, "%s", b);
}

/* A t interval of a mean energy as a cell: "lo–hi", or "0†–hi" where the interval reaches
 * below zero (few values or a wide spread: energy cannot be negative), *cut then set. */
static const char *ci_cell(struct wp_strpool *p, const struct wp_ci *ci, bool *cut)
{
    if (!isfinite(ci->lo) || !isfinite(ci->hi))
        return "n/a";
    if (wp_ci_lo_is_cut(ci)) { /* the one rule (stats.h) */
        *cut = true;
        return fmt(p, "0†–%s", num(p, ci->hi));
    }
    return fmt(p, "%s–%s", num(p, ci->lo), num(p, ci->hi));
}

#define CUT_NOTE " † " WP_CI_CUT_NOTE

/* "= 0.03", "< 1e-16", "n/a": the relation and the number, for "p {{p}}" */
static const char *p_rel(struct wp_strpool *p, double v)
{
    char b[32];
    wp_stats_p_text(v, b, sizeof b);
    return fmt(p, "%s%s", isnan(v) || v < 1e-16 ? "" : "= ", b);
}

/* "95% Student t interval of the mean over each task's models (8 to 10)" and why a group
 * has none: the unit, its count and the method, for a table's caption. */
static const char *unit_caption(struct wp_strpool *p, const struct wp_analysis *a, const char *per)
{
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t i = 0; i < a->n_groups; i++) {
        size_t k = a->groups[i].n_units;
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (!a->n_groups)
        lo = hi = 0;
    const char *count = lo == hi ? fmt(p, "%zu", hi) : fmt(p, "%zu to %zu", lo, hi);
    if (a->unit == WP_UNIT_RUN)
        return fmt(p, "%g%% Student t interval of the mean over each %s's runs (%s), taking "
                      "runs as independent", a->opts.level * 100, per, count);
    return fmt(p, "%g%% Student t interval over each %s's %s (%s; each %s's mean, runs "
                  "nested in experiments)%s", a->opts.level * 100, per,
               wp_unit_name(a->unit, 2), count, wp_unit_name(a->unit, 1),
               lo < 2 ? fmt(p, "; n/a: one %s, no interval", wp_unit_name(a->unit, 1)) : "");
}

/* "<b>95% CI (kWh)</b>": headers follow --level */
static const char *ci_head(struct wp_strpool *p, double level, const char *what)
{
    return fmt(p, "<b>%g%% CI%s</b>", level * 100, what);
}

static const char *esc(struct wp_strpool *p, const char *text)
{
    char *e = wp_doc_escape(text ? text : "");
    const char *r = fmt(p, "%s", e ? e : "");
    g_free(e);
    return r;
}

struct report {
    const struct wp_report_opts *o;
    const struct wp_report_data *in; /* everything the store said (analysis/report_data.h) */
    const struct wp_analysis *tasks, *models; /* in's */
    const struct wp_analysis *tokens; /* by model and task, --tokens-where's experiments */
    char *prose[3];              /* summary, methodology, limitations: rendered markup */
    struct wp_reference ref;     /* published values, when given */
    const char *date, *creator;
    char sums_sha256[65];        /* of the SHA256SUMS list written beside the report */
    struct wp_report_paper *paper; /* the paper's parts (report_paper.c), NULL none */
    char *sums;                  /* that list, written once the report is; malloc'd */
    size_t n_sums, sums_len;     /* files in it, its bytes */
    struct wp_strpool pool;
};

/* ---- prose from templates ------------------------------------------------------------- */

static const struct wp_tpl_name headline_names[] = {
    {"most", NULL}, {"least", NULL}, {"most_kwh", NULL}, {"least_kwh", NULL}, {"ratio", NULL},
    {"ratio_lo", NULL}, {"ratio_hi", NULL}, {"level", NULL}, {"p", NULL}, {"t", NULL},
    {"df", NULL}, {"geo", NULL}, {"geo_lo", NULL}, {"geo_hi", NULL}, {"p_raw", NULL},
    {"t_raw", NULL}, {"df_raw", NULL}, {"n_most", NULL}, {"n_least", NULL}, {"unit", NULL},
    {"most_unit_kwh", NULL}, {"least_unit_kwh", NULL},
    {"units", NULL}, {"method", NULL}, {NULL, NULL}};
static const struct wp_tpl_name equiv_names[] = {
    {"task", NULL}, {"smartphones", NULL}, {"led_hours", NULL}, {"car_km", NULL},
    {NULL, NULL}};
const struct wp_tpl_name wp_report_summary_vocab[] = {
    {"runs", NULL}, {"models", NULL}, {"tasks", NULL}, {"experiments", NULL},
    {"last_date", NULL}, {"over", NULL},
    {"headline", headline_names}, {"equivalents", equiv_names}, {NULL, NULL}};
static const struct wp_tpl_name source_names[] = {{"unit", NULL}, {"source", NULL},
                                                  {NULL, NULL}};
const struct wp_tpl_name wp_report_method_vocab[] = {
    {"tools", NULL}, {"hardware", NULL}, {"locations", NULL}, {"ci_min", NULL},
    {"ci_max", NULL}, {"pue", NULL}, {"inferences", NULL}, {"phase", NULL}, {"over", NULL},
    {"level", NULL}, {"resamples", NULL}, {"seed", NULL}, {"sources", source_names},
    {"unit", NULL}, {"units", NULL}, {"unit_note", NULL}, {"components", NULL},
    {NULL, NULL}};
static const struct wp_tpl_name groups_names[] = {{"groups", NULL}, {NULL, NULL}};
static const struct wp_tpl_name count_names[] = {{"n", NULL}, {NULL, NULL}};
static const struct wp_tpl_name excluded_names[] = {
    {"unlabeled", NULL}, {"no_inferences", NULL}, {"no_energy", NULL},
    {"above_idle", count_names}, {NULL, NULL}};
static const struct wp_tpl_name text_names[] = {{"text", NULL}, {NULL, NULL}};
static const struct wp_tpl_name whatif_names[] = {{"intensity", NULL}, {"pue", NULL},
                                                  {NULL, NULL}};
static const struct wp_tpl_name hourly_names[] = {{"applied", NULL}, {"outside", NULL},
                                                  {NULL, NULL}};
const struct wp_tpl_name wp_report_limits_vocab[] = {
    {"small", groups_names}, {"excluded", excluded_names}, {"no_components", groups_names},
    {"whatif", whatif_names}, {"modelled", text_names}, {"assumptions", NULL},
    {"hourly", hourly_names}, {"no_emissions", NULL}, {NULL, NULL}};

static const char *over_words(const struct wp_report_opts *o)
{
    return o->a.over_experiments ? "over experiments (each the mean of its runs, weighted once)"
                                 : "over runs (every run weighted once)";
}

static void summary_values(struct report *r, struct wp_tval *v)
{
    const struct wp_analysis *a = r->tasks;
    long long runs = 0, exps = 0;
    for (size_t i = 0; i < a->n_groups; i++) {
        runs += (long long)a->groups[i].n_runs;
        exps += (long long)a->groups[i].n_experiments;
    }
    size_t models = 0;
    for (size_t i = 0; i < r->in->facts.n; i++)
        models += r->in->facts.v[i].runs > 0;
    wp_tval_int(v, "runs", runs);
    wp_tval_int(v, "models", (long long)models);
    wp_tval_int(v, "tasks", (long long)a->n_groups);
    wp_tval_int(v, "experiments", exps);
    wp_tval_text(v, "over", over_words(r->o));
    wp_tval_text(v, "last_date", r->date);
    const struct wp_headline *h = &a->headline;
    if (h->has) {
        struct wp_tval *x = wp_tval_item(v, "headline");
        wp_tval_text(x, "most", h->most->task);
        wp_tval_text(x, "least", h->least->task);
        wp_tval_num(x, "most_kwh", h->most->kwh.mean, 4);
        wp_tval_num(x, "least_kwh", h->least->kwh.mean, 4);
        wp_tval_num(x, "ratio", h->ratio.ratio, 4);
        wp_tval_num(x, "ratio_lo", h->ratio.lo, 4);
        wp_tval_num(x, "ratio_hi", h->ratio.hi, 4);
        wp_tval_text(x, "level", fmt(&r->pool, "%g", r->o->a.level * 100));
        /* p as "= 0.03" or "< 1e-16", never "= 0" */
        wp_tval_text(x, "p", p_rel(&r->pool, h->welch.p));
        wp_tval_num(x, "t", h->welch.t, 3);
        wp_tval_text(x, "df", fmt(&r->pool, "%.1f", h->welch.df));
        wp_tval_num(x, "geo", h->geo.ratio, 4);
        wp_tval_num(x, "geo_lo", h->geo.lo, 4);
        wp_tval_num(x, "geo_hi", h->geo.hi, 4);
        wp_tval_text(x, "p_raw", p_rel(&r->pool, h->welch_raw.p));
        wp_tval_num(x, "t_raw", h->welch_raw.t, 3);
        wp_tval_text(x, "df_raw", fmt(&r->pool, "%.1f", h->welch_raw.df));
        wp_tval_num(x, "most_unit_kwh", h->ratio.mean_a, 4);
        wp_tval_num(x, "least_unit_kwh", h->ratio.mean_b, 4);
        wp_tval_int(x, "n_most", (long long)h->ratio.n_a);
        wp_tval_int(x, "n_least", (long long)h->ratio.n_b);
        wp_tval_text(x, "unit", wp_unit_name(a->unit, 1));
        wp_tval_text(x, "units", wp_unit_name(a->unit, 2));
        wp_tval_text(x, "method", a->unit == WP_UNIT_RUN ? "bootstrap (runs taken as independent)"
                                                         : "cluster bootstrap");
        const struct wp_equiv *eq = h->most->equiv; /* from the analysis */
        size_t n = h->most->n_equiv;
        if (n) {
            struct wp_tval *e = wp_tval_item(v, "equivalents");
            wp_tval_text(e, "task", h->most->task);
            wp_tval_num(e, "smartphones", NAN, 3); /* unknown unless computed below */
            wp_tval_num(e, "led_hours", NAN, 3);
            wp_tval_num(e, "car_km", NAN, 3);
            for (size_t i = 0; i < n; i++) {
                const char *k = eq[i].factor->key;
                const char *name = strcmp(k, "smartphone_charges") == 0 ? "smartphones"
                                   : strcmp(k, "led_bulb_hours") == 0   ? "led_hours"
                                   : strcmp(k, "car_km") == 0           ? "car_km"
                                                                        : NULL;
                if (name)
                    wp_tval_num(e, name, eq[i].amount, 3);
            }
        }
    } else {
        wp_tval_list(v, "headline");
        wp_tval_list(v, "equivalents");
    }
}

/* Distinct values over every model's facts, joined. */
static const char *facts_join(struct report *r, size_t off, const char *none)
{
    struct wp_names all = {0};
    char buf[2048];
    for (size_t i = 0; i < r->in->facts.n; i++) {
        const struct wp_names *n = (const struct wp_names *)((const char *)&r->in->facts.v[i] + off);
        for (size_t k = 0; k < n->n; k++) {
            size_t j;
            for (j = 0; j < all.n; j++)
                if (strcmp(all.v[j], n->v[k]) == 0)
                    break;
            if (j == all.n && all.n < 64) {
                if (WP_ARRAY_GROW(all.v, all.n + 1, all.cap))
                    break;
                all.v[all.n++] = n->v[k];
            }
        }
    }
    wp_names_join(&all, none, buf, sizeof buf);
    free(all.v);
    return fmt(&r->pool, "%s", buf);
}

/* "GPU measured (idle GPUs counted), CPU modelled, RAM modelled" from the ingest marks. */
static const char *components_words(struct report *r)
{
    static const char *const names[WP_N_COMP] = {"GPU", "CPU", "RAM"};
    static const int order[WP_N_COMP] = {WP_COMP_GPU, WP_COMP_CPU, WP_COMP_RAM};
    char buf[256] = "";
    size_t used = 0;
    for (int i = 0; i < WP_N_COMP; i++) {
        const char *w = wp_basis_word(&r->tasks->basis, order[i]);
        if (w && used < sizeof buf)
            used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s %s",
                                     used ? ", " : "", names[i], w);
    }
    return used ? fmt(&r->pool, "%s", buf) : "not logged";
}

static enum wp_err method_values(struct report *r, struct wp_tval *v, struct wp_diag *d)
{
    (void)d;
    const struct wp_run_span sp = r->in->facts.span; /* the selection's runs, --where included */
    wp_tval_text(v, "tools", facts_join(r, offsetof(struct wp_model_facts, tools), "unknown tools"));
    wp_tval_text(v, "hardware",
                 facts_join(r, offsetof(struct wp_model_facts, hardware), "unrecorded hardware"));
    wp_tval_text(v, "locations",
                 facts_join(r, offsetof(struct wp_model_facts, locations), "unrecorded places"));
    wp_tval_num(v, "ci_min", sp.ci_min, 4);
    wp_tval_num(v, "ci_max", sp.ci_max, 4);
    wp_tval_num(v, "pue", sp.pue_mixed ? NAN : sp.pue, 3);
    char inf[48];
    /* as many significant digits as the count has: 1,000 */
    wp_tpl_num_prose((double)sp.inferences, snprintf(NULL, 0, "%lld", sp.inferences), inf,
                     sizeof inf);
    wp_tval_text(v, "inferences", sp.inferences_mixed ? "a varying number of"
                                  : sp.inferences ? fmt(&r->pool, "%s", inf)
                                                  : "an unknown number of");
    wp_tval_text(v, "phase", r->o->a.filter.phase); /* NULL: "", the section is left out */
    wp_tval_text(v, "components", components_words(r));
    wp_tval_text(v, "over", over_words(r->o));
    wp_tval_text(v, "level", fmt(&r->pool, "%g", r->o->a.level * 100));
    wp_tval_int(v, "resamples", (long long)r->o->a.boot.resamples);
    wp_tval_int(v, "seed", (long long)r->o->a.boot.seed);
    wp_tval_text(v, "unit", wp_unit_name(r->tasks->unit, 1));
    wp_tval_text(v, "units", wp_unit_name(r->tasks->unit, 2));
    wp_tval_text(v, "unit_note",
                 r->tasks->unit == WP_UNIT_RUN
                     ? " These runs are taken as independent observations (--unit run), which "
                       "repeated runs of one experiment are not: the intervals are narrower "
                       "than the data support."
                     : "");
    size_t n;
    const struct wp_equiv_factor *t = wp_stats_equiv_table(&n);
    for (size_t i = 0; i < n; i++) {
        struct wp_tval *s = wp_tval_item(v, "sources");
        wp_tval_text(s, "unit", t[i].unit);
        wp_tval_text(s, "source", t[i].source);
    }
    return WP_OK;
}

static const char *group_list(struct report *r, bool (*pick)(const struct wp_group_stats *))
{
    char buf[2048] = "";
    size_t used = 0, n = 0;
    for (size_t i = 0; i < r->tasks->n_groups; i++) {
        const struct wp_group_stats *g = &r->tasks->groups[i];
        if (!pick(g))
            continue;
        if (used < sizeof buf)
            used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s (n = %zu)",
                                     n ? ", " : "", g->task, g->n);
        n++;
    }
    return n ? fmt(&r->pool, "%s", buf) : NULL;
}

static bool is_small(const struct wp_group_stats *g)
{
    return g->is_small;
}

static bool no_components(const struct wp_group_stats *g)
{
    return isnan(g->gpu_share);
}

static void limits_values(struct report *r, struct wp_tval *v)
{
    const char *small = group_list(r, is_small), *nc = group_list(r, no_components);
    if (small)
        wp_tval_text(wp_tval_item(v, "small"), "groups", small);
    else
        wp_tval_list(v, "small");
    if (nc)
        wp_tval_text(wp_tval_item(v, "no_components"), "groups", nc);
    else
        wp_tval_list(v, "no_components");
    const struct wp_analysis *a = r->tasks;
    if (a->skipped_unlabeled || a->skipped_no_inferences || a->skipped_no_energy ||
        a->skipped_no_above_idle) {
        struct wp_tval *x = wp_tval_item(v, "excluded");
        wp_tval_int(x, "unlabeled", a->skipped_unlabeled);
        wp_tval_int(x, "no_inferences", a->skipped_no_inferences);
        wp_tval_int(x, "no_energy", a->skipped_no_energy);
        if (a->skipped_no_above_idle)
            wp_tval_int(wp_tval_item(x, "above_idle"), "n", a->skipped_no_above_idle);
        else
            wp_tval_list(x, "above_idle");
    } else {
        wp_tval_list(v, "excluded");
    }
    char text[2048];
    wp_basis_sentences(&a->basis, text, sizeof text);
    if (*text)
        wp_tval_text(wp_tval_item(v, "modelled"), "text", fmt(&r->pool, "%s", text));
    else
        wp_tval_list(v, "modelled");
    double pue = r->o->a.pue;
    if (isnan(pue) && !r->in->facts.span.pue_mixed)
        pue = r->in->facts.span.pue; /* as logged */
    bool emissions = wp_basis_any_emissions(a->groups, a->n_groups);
    wp_basis_assumptions(pue, &a->restate, emissions, text, sizeof text);
    wp_tval_int(v, "no_emissions", !emissions);
    wp_tval_text(v, "assumptions", fmt(&r->pool, "%s", text));
    if (!isnan(r->o->a.carbon_intensity_g_per_kwh)) {
        struct wp_tval *x = wp_tval_item(v, "whatif");
        wp_tval_num(x, "intensity", r->o->a.carbon_intensity_g_per_kwh, 4);
        wp_tval_num(x, "pue", isnan(r->o->a.pue) ? 1.0 : r->o->a.pue, 3);
    } else {
        wp_tval_list(v, "whatif");
    }
    if (a->restate.has_intensity) { /* emissions restated at the grid's hourly intensity */
        struct wp_tval *x = wp_tval_item(v, "hourly");
        wp_tval_int(x, "applied", a->restate.intensity_applied);
        wp_tval_int(x, "outside", a->restate.intensity_outside);
    } else {
        wp_tval_list(v, "hourly");
    }
}

static enum wp_err prose_at(struct report *r, const char *name, const struct wp_tpl_name *vocab,
                            struct wp_tval *vals, char *path, size_t size, char **out,
                            struct wp_diag *d)
{
    if (!wp_tpl_find(r->o->templates_dir, name, path, size))
        return wp_diag_set(d, WP_ERR_IO, path, 0, 0,
                           "cannot find the report template %s (give --templates DIR)", name);
    struct wp_tpl *t;
    enum wp_err e = wp_tpl_load(path, vocab, &t, d);
    if (e)
        return e;
    wp_tpl_set_markup(t);
    size_t len = 0;
    FILE *f = open_memstream(out, &len);
    if (!f) {
        wp_tpl_free(t);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    e = wp_tpl_render(t, vals, f, d);
    if (fclose(f) && !e)
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    wp_tpl_free(t);
    return e;
}

/* Renders templates/report/NAME with the values set by fill into *out (markup).  The
 * template's path lives here only, so an error naming it is detached from it (the CLI
 * printed a dead stack buffer: found by make check-valgrind). */
static enum wp_err prose(struct report *r, const char *name, const struct wp_tpl_name *vocab,
                         struct wp_tval *vals, char **out, struct wp_diag *d)
{
    char path[4096];
    return prose_at(r, name, vocab, vals, path, sizeof path, out, d);
}

static enum wp_err render_prose(struct report *r, struct wp_diag *d)
{
    static const char *const names[3] = {"report/summary.txt", "report/methodology.txt",
                                         "report/limitations.txt"};
    static const struct wp_tpl_name *const vocabs[3] = {
        wp_report_summary_vocab, wp_report_method_vocab, wp_report_limits_vocab};
    enum wp_err e = WP_OK;
    for (int i = 0; i < 3 && !e; i++) {
        struct wp_tval *v = wp_tval_new();
        if (!v)
            return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        if (i == 0)
            summary_values(r, v);
        else if (i == 1)
            e = method_values(r, v, d);
        else
            limits_values(r, v);
        if (!e)
            e = prose(r, names[i], vocabs[i], v, &r->prose[i], d);
        wp_tval_free(v);
    }
    return e;
}

/* Paragraphs of rendered prose are separated by blank lines. */
static void paragraphs(struct wp_doc *doc, const char *text)
{
    const char *p = text;
    while (p && *p) {
        const char *end = strstr(p, "\n\n");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *para = strndup(p, len);
        if (para) {
            size_t k = strspn(para, " \n");
            if (para[k])
                wp_doc_para(doc, para + k);
            free(para);
        }
        p = end ? end + 2 : NULL;
    }
}

/* ---- tables --------------------------------------------------------------------------- */

/* A column of a table over an analysis' groups: a column of the one column model
 * (stats/columns.h) named as `stats --format csv` names it, headed and sized for the page;
 * or, with no name, the report's count (n, or n / units with * below 3 units). */
struct page_col {
    const char *name;
    const char *header; /* pango markup */
    double width;
    enum wp_align align;
};

#define MAX_PAGE_COLS 8

/* The count cell: the values the statistics are over, and the units when not runs. */
static const char *count_cell(struct report *r, const struct wp_analysis *a,
                              const struct wp_group_stats *g)
{
    return a->unit == WP_UNIT_RUN
               ? fmt(&r->pool, "%zu%s", g->n, g->kwh_t.is_small ? "*" : "")
               : fmt(&r->pool, "%zu / %zu%s", g->n, g->n_units, g->kwh_t.is_small ? "*" : "");
}

/* Column c's value for g for people: text escaped, numbers to 4 significant digits, a t
 * interval as lo–hi (its lower end by the rule of stats.h, *cut set when it is cut). */
static const char *group_cell(struct report *r, const struct wp_analysis *a,
                              const struct wp_gcol *c, const struct wp_group_stats *g,
                              bool *cut)
{
    if (!c)
        return count_cell(r, a, g);
    union wp_gcell v = wp_gcol_get(c, a->unit, g);
    switch (c->kind) {
    case WP_GCOL_TEXT: return esc(&r->pool, v.text);
    case WP_GCOL_COUNT: return fmt(&r->pool, "%lld", v.count);
    case WP_GCOL_NUM: return num(&r->pool, v.num);
    case WP_GCOL_CI: return ci_cell(&r->pool, v.ci, cut);
    case WP_GCOL_RANGE: return wp_page_value(&r->pool, c->kind, v, c->sig, NULL);
    case WP_GCOL_BOOL: break;
    }
    return v.flag ? "yes" : "no";
}

/* The page's columns pc[0..n) as the document's, and each one's column of the model (NULL
 * for the count) in gc; false when a name is not in the model. */
static bool page_cols(const struct page_col *pc, size_t n, struct wp_doc_col *cols,
                      const struct wp_gcol **gc)
{
    for (size_t k = 0; k < n; k++) {
        cols[k] = (struct wp_doc_col){pc[k].header, pc[k].width, pc[k].align};
        gc[k] = pc[k].name ? wp_gcol_find(pc[k].name) : NULL;
        if (pc[k].name && !gc[k])
            return false;
    }
    return true;
}

/* Whether some group's mean over its values is not the centre of its t interval, the mean
 * of its units' means (units with unequal runs). */
static bool centre_differs(const struct wp_analysis *a)
{
    if (a->unit == WP_UNIT_RUN)
        return false;
    for (size_t i = 0; i < a->n_groups; i++) {
        double m = a->groups[i].kwh.mean, c = a->groups[i].kwh_t.estimate;
        if (isfinite(m) && isfinite(c) && fabs(m - c) > 1e-9 * fabs(m))
            return true;
    }
    return false;
}

/* The table of a's groups in the columns pc[0..n) (at most MAX_PAGE_COLS), with the
 * caption caption_of gives once the cells say whether an interval was cut. */
static void group_table(struct wp_doc *doc, struct report *r, const struct wp_analysis *a,
                        const struct page_col *pc, size_t n,
                        const char *(*caption_of)(struct report *r, const struct wp_analysis *a,
                                                  bool cut))
{
    struct wp_doc_col cols[MAX_PAGE_COLS];
    const struct wp_gcol *gc[MAX_PAGE_COLS];
    if (n > MAX_PAGE_COLS || !page_cols(pc, n, cols, gc))
        return;
    const char **cells = calloc(a->n_groups * n + 1, sizeof *cells);
    if (!cells)
        return;
    bool cut = false;
    for (size_t i = 0; i < a->n_groups; i++)
        for (size_t k = 0; k < n; k++)
            cells[i * n + k] = group_cell(r, a, gc[k], &a->groups[i], &cut);
    /* where a group's mean is not its interval's centre, the caption says which estimate
     * the interval is about */
    const char *caption = caption_of(r, a, cut);
    if (centre_differs(a))
        caption = fmt(&r->pool, "%s The interval is about the mean of the %s means (each %s "
                                "weighted once), which differs from the mean shown where %s "
                                "have unequal runs; the workbook gives both.", caption,
                      wp_unit_name(a->unit, 1), wp_unit_name(a->unit, 1),
                      wp_unit_name(a->unit, 2));
    wp_doc_table(doc, cols, n, cells, a->n_groups, caption);
    free(cells);
}

static const char *task_caption(struct report *r, const struct wp_analysis *a, bool cut)
{
    return fmt(&r->pool,
               "Table: energy (kWh) and emissions (g CO2eq) per 1,000 "
               "inferences by task, %s%s; %s. * fewer than 3 %s.%s",
               over_words(r->o),
               a->unit == WP_UNIT_RUN ? ""
               : fmt(&r->pool, "; n = runs / %s", wp_unit_name(a->unit, 2)),
               unit_caption(&r->pool, a, "task"), wp_unit_name(a->unit, 2),
               cut ? CUT_NOTE : "");
}

static void task_table(struct wp_doc *doc, struct report *r)
{
    const struct page_col cols[] = {
        {"task", "<b>task</b>", 0.20, WP_LEFT},
        {NULL, "<b>n</b>", 0.09, WP_RIGHT},
        {"mean_kwh_per_1k", "<b>kWh / 1,000</b>", 0.12, WP_RIGHT},
        {"ci_t_lo_kwh_per_1k", ci_head(&r->pool, r->o->a.level, " (kWh)"), 0.22, WP_RIGHT},
        {"sd_kwh_per_1k", "<b>sd (kWh)</b>", 0.12, WP_RIGHT},
        {"median_kwh_per_1k", "<b>median (kWh)</b>", 0.12, WP_RIGHT},
        {"mean_g_co2eq_per_1k", "<b>g CO2eq / 1,000</b>", 0.13, WP_RIGHT},
    };
    group_table(doc, r, r->tasks, cols, sizeof cols / sizeof cols[0], task_caption);
}

/* A comparison that disagrees: its cell in bold. */
static bool differs(const void *row)
{
    const struct wp_ref_cmp *x = row;
    return !x->mean_ok || !x->sd_ok;
}

/* The per-task means and sds set against published values, and what disagrees in words. */
static void reference_table(struct wp_doc *doc, struct report *r)
{
    static const struct wp_page_col cols[] = {
        {"task", "<b>task</b>", 0.24, WP_LEFT, .format = WP_CELL_VALUE},
        {"mean_kwh_per_1k", "<b>mean here</b>", 0.13, WP_RIGHT, .format = WP_CELL_VALUE},
        {"ref_mean_kwh_per_1k", "<b>published</b>", 0.13, WP_RIGHT,
         .format = WP_CELL_PRINTED, .with = "ref_mean_unit"},
        {"diff_kwh_per_1k", "<b>difference</b>", 0.13, WP_RIGHT, .digits = 4},
        {"sd_kwh_per_1k", "<b>sd here</b>", 0.13, WP_RIGHT, .digits = 4},
        {"ref_sd_kwh_per_1k", "<b>published</b>", 0.12, WP_RIGHT, .format = WP_CELL_PRINTED,
         .with = "ref_sd_unit"},
        {"agrees", "<b>agrees</b>", 0.12, WP_LEFT, .strong = differs},
    };
    const struct wp_analysis *a = r->tasks;
    struct wp_ref_cmp *rows = calloc(a->n_groups + 1, sizeof *rows);
    char differ[1024] = "";
    size_t n = 0, used = 0, n_differ = 0;
    if (!rows)
        return;
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        const struct wp_reference_row *ref = wp_reference_find(&r->ref, g->task);
        if (!ref)
            continue;
        bool mean_ok = isnan(ref->mean) || wp_reference_agrees(g->kwh.mean, ref->mean,
                                                                ref->mean_unit);
        bool sd_ok = isnan(ref->sd) || wp_reference_agrees(g->kwh.sd, ref->sd, ref->sd_unit);
        rows[n++] = (struct wp_ref_cmp){
            .task = g->task ? g->task : "", .mean = g->kwh.mean, .ref_mean = ref->mean,
            .diff = g->kwh.mean - ref->mean, .sd = g->kwh.sd, .ref_sd = ref->sd,
            .ref_mean_unit = ref->mean_unit, .ref_sd_unit = ref->sd_unit, .mean_ok = mean_ok,
            .sd_ok = sd_ok};
        if ((!mean_ok || !sd_ok) && used < sizeof differ)
            used += (size_t)snprintf(differ + used, sizeof differ - used,
                                     "%s%s (%.4g kWh here, %.4g published%s%s)",
                                     n_differ++ ? "; " : "", g->task, g->kwh.mean, ref->mean,
                                     *ref->note ? ": " : "", ref->note);
    }
    if (!n) {
        free(rows);
        return;
    }
    wp_doc_heading(doc, 2, "Comparison with published values");
    wp_doc_para(doc, n_differ
                         ? fmt(&r->pool, "%zu of %zu tasks agree with the published values "
                                         "within one unit of the printed digit. These do not: "
                                         "%s. The reproduced figures are shown as computed, "
                                         "beside the published ones.",
                               n - n_differ, n, esc(&r->pool, differ))
                         : fmt(&r->pool, "All %zu tasks agree with the published values within "
                                         "one unit of the printed digit.", n));
    wp_page_table(doc, &r->pool, wp_ref_cols, WP_N_REF_COLS, cols, sizeof cols / sizeof cols[0],
                  rows, sizeof rows[0], n,
                  fmt(&r->pool, "Table: mean and sd of kWh per 1,000 inferences, here and as "
                                "published (%s); agreement within one unit of the printed "
                                "digit.", r->ref.n && r->ref.v[0].source[0]
                                              ? esc(&r->pool, r->ref.v[0].source)
                                              : "reference file"));
    free(rows);
}

static const char *model_caption(struct report *r, const struct wp_analysis *a, bool cut)
{
    return fmt(&r->pool, "Table: per model and task, kWh and g CO2eq per 1,000 "
                         "inferences (n = runs%s); %s. * fewer than 3 %s.%s",
               a->unit == WP_UNIT_RUN ? "" : fmt(&r->pool, " / %s", wp_unit_name(a->unit, 2)),
               unit_caption(&r->pool, a, "model and task"), wp_unit_name(a->unit, 2),
               cut ? CUT_NOTE : "");
}

static void model_table(struct wp_doc *doc, struct report *r)
{
    const struct page_col cols[] = {
        {"model", "<b>model</b>", 0.29, WP_LEFT},
        {"task", "<b>task</b>", 0.21, WP_LEFT},
        {NULL, "<b>n</b>", 0.08, WP_RIGHT},
        {"mean_kwh_per_1k", "<b>kWh / 1,000</b>", 0.11, WP_RIGHT},
        {"ci_t_lo_kwh_per_1k", ci_head(&r->pool, r->o->a.level, " (kWh)"), 0.19, WP_RIGHT},
        {"mean_g_co2eq_per_1k", "<b>g CO2eq / 1,000</b>", 0.12, WP_RIGHT},
    };
    group_table(doc, r, r->models, cols, sizeof cols / sizeof cols[0], model_caption);
}

/* The pooled fit (no task) has no Holm-adjusted p. */
static bool pooled(const void *row)
{
    return !((const struct wp_scaling *)row)->task;
}

static void scaling_table(struct wp_doc *doc, struct report *r)
{
    const struct wp_analysis *a = r->tasks;
    const struct wp_page_col cols[] = {
        {"task", "<b>task</b>", 0.23, WP_LEFT, .none = "<i>all tasks, task term</i>"},
        {"n", "<b>n</b>", 0.05, WP_RIGHT, .format = WP_CELL_VALUE},
        {"slope", "<b>slope</b>", 0.1, WP_RIGHT, .format = WP_CELL_VALUE},
        {"slope_ci", ci_head(&r->pool, a->opts.level, " (slope)"), 0.18, WP_RIGHT,
         .format = WP_CELL_VALUE},
        {"r2", "<b>R²</b>", 0.08, WP_RIGHT, .format = WP_CELL_FIXED, .digits = 3},
        {"p_slope", "<b>p</b>", 0.11, WP_RIGHT, .format = WP_CELL_P},
        {"p_holm", "<b>p (Holm)</b>", 0.11, WP_RIGHT, .format = WP_CELL_P, .blank = pooled},
        {"spearman", "<b>Spearman ρ</b>", 0.14, WP_RIGHT, .format = WP_CELL_FIXED, .digits = 3},
    };
    size_t n_tasks = 0;
    for (size_t i = 0; i < a->n_scaling; i++)
        if (!a->scaling[i].task)
            n_tasks = a->scaling[i].n_tasks;
    wp_page_table(doc, &r->pool, wp_scaling_cols, WP_N_SCALING_COLS, cols,
                  sizeof cols / sizeof cols[0], a->scaling, sizeof a->scaling[0], a->n_scaling,
                  fmt(&r->pool, "Table: least squares of log10(kWh per 1,000 inferences) on "
                                "log10(parameters), one point per %s%s (n = %s) with a known "
                                "parameter count; %g%% t interval of the slope; p of the slope "
                                "and Holm-adjusted over the %zu per-task fits. The last row is "
                                "the slope within tasks (a term per task, %zu tasks; R² within "
                                "tasks): a slope pooled without it would mix differences "
                                "between tasks.",
                      wp_unit_name(a->unit, 1),
                      a->unit == WP_UNIT_MODEL ? " (the mean over its experiments)"
                      : a->unit == WP_UNIT_RUN ? " (runs taken as independent)" : "",
                      wp_unit_name(a->unit, 2), a->opts.level * 100, a->n_scaling - 1,
                      n_tasks));
}

static void purpose_table(struct wp_doc *doc, struct report *r)
{
    const struct wp_analysis *a = r->tasks;
    const struct wp_page_col cols[] = {
        {"task", "<b>task</b>", 0.22, WP_LEFT, .format = WP_CELL_VALUE},
        {"mean_multi_kwh_per_1k", "<b>multi-purpose</b>", 0.16, WP_RIGHT, .with = "n_multi",
         .join = WP_JOIN_N},
        {"mean_spec_kwh_per_1k", "<b>task-specific</b>", 0.16, WP_RIGHT, .with = "n_spec",
         .join = WP_JOIN_N},
        {"ratio", "<b>ratio</b>", 0.1, WP_RIGHT, .format = WP_CELL_VALUE},
        {"ratio_ci", ci_head(&r->pool, a->opts.level, ""), 0.14, WP_RIGHT,
         .format = WP_CELL_VALUE},
        {"p_welch", "<b>p (Welch)</b>", 0.11, WP_RIGHT, .format = WP_CELL_P},
        {"p_holm", "<b>p (Holm)</b>", 0.11, WP_RIGHT, .format = WP_CELL_P},
    };
    wp_page_table(doc, &r->pool, wp_purpose_cols, WP_N_PURPOSE_COLS, cols,
                  sizeof cols / sizeof cols[0], a->purpose, sizeof a->purpose[0], a->n_purpose,
                  fmt(&r->pool, "Table: mean kWh per 1,000 inferences of multi-purpose and "
                                "task-specific models within each task (manifest column "
                                "purpose; n = %s), their ratio with a %g%% %s interval, and "
                                "Welch's t-test on log10 of the %s means, with p Holm-adjusted "
                                "over the %zu tasks.",
                      wp_unit_name(a->unit, 2), a->opts.level * 100,
                      a->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap",
                      wp_unit_name(a->unit, 1), a->n_purpose));
}

static void parity_table(struct wp_doc *doc, struct report *r)
{
    static const struct wp_doc_col cols[] = {
        {"<b>model</b>", 0.34, WP_LEFT},
        {"<b>task</b>", 0.22, WP_LEFT},
        {"<b>training (kWh)</b>", 0.16, WP_RIGHT},
        {"<b>inferences to parity</b>", 0.28, WP_RIGHT},
    };
    const struct wp_analysis *a = r->models;
    const char **cells = calloc(a->n_groups * 4 + 1, sizeof *cells);
    size_t n = 0;
    if (!cells)
        return;
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        if (isnan(g->parity_inferences))
            continue;
        const char **c = cells + n++ * 4;
        c[0] = esc(&r->pool, g->model);
        c[1] = esc(&r->pool, g->task);
        c[2] = count_text(&r->pool, g->training_energy_j / WP_J_PER_KWH);
        c[3] = fmt(&r->pool, "%s million", num(&r->pool, g->parity_inferences / 1e6));
    }
    if (n) {
        wp_doc_heading(doc, 2, "Inferences to parity with training");
        wp_doc_table(doc, cols, 4, cells, n,
                     "Table: the number of inferences after which deployment has used as "
                     "much energy as training (training energy from the manifest).");
    }
    free(cells);
}

/* The columns of a task's loading beside its inferences (struct wp_loading_row). */
#define LOAD(field) WP_ROWCOL_AT(struct wp_loading_row, field)
static const struct wp_rowcol loading_cols[] = {
    {"task", "", WP_GCOL_TEXT, 0, LOAD(task)},
    {"runs_with_loading", "", WP_GCOL_COUNT, 0, LOAD(n_load)},
    {"query_kwh_per_1k", "kWh per 1,000 inferences", WP_GCOL_NUM, 4, LOAD(query_kwh_per_1k)},
    {"load_kwh_per_1k", "kWh per 1,000 inferences", WP_GCOL_NUM, 4, LOAD(load_kwh_per_1k)},
    {"ci_t_load_kwh_per_1k", "kWh per 1,000 inferences", WP_GCOL_RANGE, 4, LOAD(load_lo)},
    {"load_share", "", WP_GCOL_NUM, 3, LOAD(load_share)},
    {"cold_start_inferences", "inferences", WP_GCOL_NUM, 4, LOAD(cold_start_inferences)},
};
_Static_assert(offsetof(struct wp_loading_row, load_hi) ==
                   offsetof(struct wp_loading_row, load_lo) + sizeof(double),
               "a range's lo then hi");

/* Loading the model (CodeCarbon's "load model" phase, once per run) beside the run's
 * inferences ("query model"), per task: what a cold start adds. */
static void loading_table(struct wp_doc *doc, struct report *r)
{
    const struct wp_page_col cols[] = {
        {"task", "<b>task</b>", 0.20, WP_LEFT, .format = WP_CELL_VALUE},
        {"runs_with_loading", "<b>runs</b>", 0.06, WP_RIGHT, .format = WP_CELL_VALUE},
        {"query_kwh_per_1k", "<b>inference kWh / 1,000</b>", 0.13, WP_RIGHT,
         .format = WP_CELL_VALUE},
        {"load_kwh_per_1k", "<b>loading kWh / 1,000</b>", 0.13, WP_RIGHT,
         .format = WP_CELL_VALUE},
        {"ci_t_load_kwh_per_1k", ci_head(&r->pool, r->o->a.level, " of loading (kWh)"), 0.25,
         WP_RIGHT, .format = WP_CELL_VALUE},
        {"load_share", "<b>loading share</b>", 0.10, WP_RIGHT, .format = WP_CELL_PERCENT},
        {"cold_start_inferences", "<b>one load = inferences</b>", 0.13, WP_RIGHT,
         .format = WP_CELL_ROUNDED},
    };
    const struct wp_loading *l = &r->in->loading;
    if (!l->n)
        return;
    wp_doc_keep(doc, 150); /* the heading, its paragraph and the first rows together */
    wp_doc_heading(doc, 2, "Loading the model");
    wp_doc_para(doc, "The logs measure loading the model (the <i>load model</i> phase, once per "
                     "run) apart from querying it (<i>query model</i>, the run's inferences). "
                     "Figures of inference leave loading out; a service that starts cold pays "
                     "it once per start. Both are shown per 1,000 inferences of a run.");
    wp_page_table(doc, &r->pool, loading_cols, sizeof loading_cols / sizeof loading_cols[0],
                  cols, sizeof cols / sizeof cols[0], l->v, sizeof l->v[0], l->n,
                  fmt(&r->pool, "Table: mean kWh per 1,000 inferences of the query model phase "
                                "(inference only) and of the load model phase (one load per "
                                "run, over the run's inferences), with the %g%% Student t "
                                "interval of the loading mean over runs (taken as independent); "
                                "loading share = load / (load + inference); one load = the "
                                "number of inferences that use as much energy as one load.",
                      r->o->a.level * 100));
}

/* The token-count files the per-token table used, with the sha256 of their content. */
static void token_files_table(struct wp_doc *doc, struct report *r)
{
    static const struct wp_doc_col cols[] = {
        {"<b>token-count file</b>", 0.38, WP_LEFT},
        {"<b>sha256</b>", 0.62, WP_LEFT},
    };
    const char **cells = calloc(r->in->token_files.n * 2 + 1, sizeof *cells);
    if (!cells || !r->in->token_files.n) {
        free(cells);
        return;
    }
    for (size_t i = 0; i < r->in->token_files.n; i++) {
        const char *line = r->in->token_files.v[i], *sp = strrchr(line, ' ');
        cells[2 * i] = esc(&r->pool, fmt(&r->pool, "%.*s", (int)(sp - line), line));
        cells[2 * i + 1] = fmt(&r->pool, "<span font_family='DejaVu Sans Mono' "
                                         "size='6100'>%s</span>", sp + 1);
    }
    wp_doc_table(doc, cols, 2, cells, r->in->token_files.n,
                 "Table: the token-count files of the table above (wattprint tokens), with "
                 "the SHA-256 of their content as read.");
    free(cells);
}

/* Energy per token of the models with token counts, per model and task. */
static void token_table(struct wp_doc *doc, struct report *r)
{
    /* widths so that the longest model id, "text_classification" and the headers' words
     * each fit on a line */
    static const struct wp_doc_col cols[] = {
        {"<b>model</b>", 0.23, WP_LEFT},
        {"<b>task</b>", 0.18, WP_LEFT},
        {"<b>kWh / 1,000 inferences</b>", 0.13, WP_RIGHT},
        {"<b>tokens / inference</b>", 0.12, WP_RIGHT},
        {"<b>output tokens / inference</b>", 0.12, WP_RIGHT},
        {"<b>kWh / 1,000 tokens</b>", 0.11, WP_RIGHT},
        {"<b>J / output token</b>", 0.11, WP_RIGHT},
    };
    const struct wp_analysis *a = r->tokens;
    const char **cells = calloc(a->n_groups * 7 + 1, sizeof *cells);
    size_t n = 0;
    if (!cells)
        return;
    for (size_t i = 0; i < a->n_groups; i++) {
        const struct wp_group_stats *g = &a->groups[i];
        if (!g->tokens.n)
            continue;
        const char **c = cells + n++ * 7;
        c[0] = esc(&r->pool, g->model);
        c[1] = esc(&r->pool, g->task);
        c[2] = num(&r->pool, g->kwh.mean);
        c[3] = fmt(&r->pool, "%.1f", g->tokens.tokens_per_inference);
        c[4] = fmt(&r->pool, "%.2f", g->tokens.output_tokens_per_inference);
        c[5] = num(&r->pool, g->tokens.kwh_per_1k_tokens);
        c[6] = num(&r->pool, g->tokens.j_per_output_token);
    }
    if (n) {
        wp_doc_keep(doc, 160);
        wp_doc_heading(doc, 2, "Energy per token");
        wp_doc_para(doc, "Generative models cost more the more they read and write, so for "
                         "the models whose token counts are known (input and output tokens of "
                         "every sample) their energy is also given per 1,000 tokens, input and "
                         "output together, and per output token, beside energy per "
                         "inference.");
        wp_doc_table(doc, cols, 7, cells, n,
                     "Table: per model and task, over the experiments (datasets) with token "
                     "counts: mean kWh per 1,000 inferences, mean tokens per inference (input "
                     "+ output; output alone), kWh per 1,000 tokens = the experiments' summed "
                     "kWh per 1,000 inferences over their summed tokens per inference, and J "
                     "per output token likewise.");
        token_files_table(doc, r);
    }
    free(cells);
}

/* The files a filtered report came from: those of its models' runs, each once. */
static int by_path(const void *a, const void *b)
{
    const struct wp_source_file *x = *(const struct wp_source_file *const *)a;
    const struct wp_source_file *y = *(const struct wp_source_file *const *)b;
    int c = strcmp(x->path, y->path);
    return c ? c : (x->id > y->id) - (x->id < y->id);
}

static size_t used_sources(const struct report *r, const struct wp_source_file ***out)
{
    const struct wp_run_filter *f = &r->o->a.filter;
    bool filtered = f->task || f->model || f->dataset || f->where_key;
    size_t n = 0, cap = filtered ? 0 : r->in->sources.n;
    for (size_t i = 0; filtered && i < r->in->facts.n; i++)
        cap += r->in->facts.v[i].sources.n;
    for (size_t i = 0; filtered && i < r->in->token_facts.n; i++)
        cap += r->in->token_facts.v[i].sources.n;
    const struct wp_source_file **v = calloc(cap + 1, sizeof *v);
    if (!v)
        return 0;
    if (!filtered) {
        for (size_t i = 0; i < r->in->sources.n; i++)
            v[n++] = &r->in->sources.v[i];
    } else {
        for (size_t i = 0; i < r->in->facts.n; i++)
            for (size_t k = 0; k < r->in->facts.v[i].sources.n; k++)
                v[n++] = &r->in->facts.v[i].sources.v[k];
        for (size_t i = 0; i < r->in->token_facts.n; i++) /* the per-token table's own runs */
            for (size_t k = 0; k < r->in->token_facts.v[i].sources.n; k++)
                v[n++] = &r->in->token_facts.v[i].sources.v[k];
        qsort(v, n, sizeof *v, by_path);
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (!m || v[m - 1]->id != v[i]->id)
                v[m++] = v[i];
        n = m;
    }
    *out = v;
    return n;
}

/* The length of the directory part of path ("a/b/c.csv" -> 4, "c.csv" -> 0). */
static size_t dir_len(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

static bool same_group(const struct wp_source_file *a, const struct wp_source_file *b)
{
    size_t n = dir_len(a->path);
    return n == dir_len(b->path) && strncmp(a->path, b->path, n) == 0 &&
           strcmp(a->format, b->format) == 0;
}

/* One group of files (a directory, one format) as a table row: folder, format, files, rows
 * ingested (and rejected), when. Each file's SHA-256 is in SHA256SUMS, not in the report. */
static void provenance_row(struct report *r, const struct wp_source_file *const *g, size_t n,
                           const char **cells)
{
    long long rows = 0, rejected = 0;
    const char *first = g[0]->ingested_at, *last = g[0]->ingested_at;
    for (size_t i = 0; i < n; i++) {
        rows += g[i]->rows_ingested;
        rejected += g[i]->rows_rejected;
        first = strcmp(g[i]->ingested_at, first) < 0 ? g[i]->ingested_at : first;
        last = strcmp(g[i]->ingested_at, last) > 0 ? g[i]->ingested_at : last;
    }
    size_t dl = dir_len(g[0]->path);
    cells[0] = fmt(&r->pool, "<tt>%s</tt>",
                   esc(&r->pool, dl ? fmt(&r->pool, "%.*s", (int)dl, g[0]->path) : "./"));
    cells[1] = esc(&r->pool, g[0]->format);
    cells[2] = fmt(&r->pool, "%zu", n);
    cells[3] = rejected ? fmt(&r->pool, "%lld (%lld rejected)", rows, rejected)
                        : fmt(&r->pool, "%lld", rows);
    cells[4] = strcmp(first, last) == 0
                   ? esc(&r->pool, first)
                   : fmt(&r->pool, "%s \u2013 %s", esc(&r->pool, first), esc(&r->pool, last));
}

/* By folder, then format, then path: a folder's files of one format form one group. */
static int by_group(const void *a, const void *b)
{
    const struct wp_source_file *x = *(const struct wp_source_file *const *)a;
    const struct wp_source_file *y = *(const struct wp_source_file *const *)b;
    size_t nx = dir_len(x->path), ny = dir_len(y->path);
    int c = strncmp(x->path, y->path, nx < ny ? nx : ny);
    if (!c && nx != ny)
        c = nx < ny ? -1 : 1;
    if (!c)
        c = strcmp(x->format, y->format);
    return c ? c : strcmp(x->path, y->path);
}

static void provenance_table(struct wp_doc *doc, struct report *r)
{
    const struct wp_source_file **files = NULL;
    size_t n = used_sources(r, &files);
    if (n > 1)
        qsort(files, n, sizeof *files, by_group);
    size_t n_groups = 0;
    for (size_t i = 0; i < n; i++)
        n_groups += i == 0 || !same_group(files[i - 1], files[i]);
    const char **cells = calloc(5 * n_groups + 1, sizeof *cells);
    if (!cells) {
        r->pool.failed = true;
        free(files);
        return;
    }
    size_t row = 0;
    for (size_t i = 0, k; i < n; i = k, row++) {
        for (k = i + 1; k < n && same_group(files[i], files[k]); k++)
            ;
        provenance_row(r, files + i, k - i, cells + 5 * row);
    }
    static const struct wp_doc_col cols[] = {
        {"<b>folder</b>", 0.38, WP_LEFT},    {"<b>format</b>", 0.14, WP_LEFT},
        {"<b>files</b>", 0.08, WP_RIGHT},    {"<b>rows</b>", 0.14, WP_RIGHT},
        {"<b>ingested</b>", 0.26, WP_LEFT},
    };
    wp_doc_para(doc, fmt(&r->pool, "The figures come from %s input file%s, in %s group%s by "
                                   "folder and format.", count_text(&r->pool, (double)n),
                         n == 1 ? "" : "s", count_text(&r->pool, (double)n_groups),
                         n_groups == 1 ? "" : "s"));
    wp_doc_table(doc, cols, 5, cells, n_groups,
                 "Table: the input files by folder and format, with the rows ingested from "
                 "them and when.");
    wp_doc_para(doc, fmt(&r->pool, "The SHA-256 of each of these %zu files, as ingested, is in "
                                   "<tt>SHA256SUMS</tt> beside this report (paths as given to "
                                   "ingest; check them with <tt>sha256sum -c SHA256SUMS</tt> "
                                   "from where ingest ran). The SHA-256 of that list is "
                                   "<tt>%s</tt>.",
                         r->n_sums, r->sums_sha256));
    free(cells);
    free(files);
}

/* SHA256SUMS beside the report: "SHA-256  path" per input file, sorted by path, in the
 * format of `sha256sum -c` (a path with a backslash or newline escaped as coreutils does),
 * and the SHA-256 of the list for the report to print. Written by write_sums. */
static enum wp_err make_sums(struct report *r, struct wp_diag *d)
{
    const struct wp_source_file **files = NULL;
    size_t n = used_sources(r, &files);
    if (n > 1)
        qsort(files, n, sizeof *files, by_path);
    FILE *m = open_memstream(&r->sums, &r->sums_len);
    if (!m) {
        free(files);
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const char *p = files[i]->path;
        bool escaped = strpbrk(p, "\\\n") != NULL;
        fprintf(m, "%s%s  ", escaped ? "\\" : "", files[i]->sha256);
        for (; *p; p++) {
            if (escaped && (*p == '\\' || *p == '\n'))
                fputs(*p == '\n' ? "\\n" : "\\\\", m);
            else
                fputc(*p, m);
        }
        fputc('\n', m);
    }
    bool ok = !ferror(m);
    ok = fclose(m) == 0 && ok;
    free(files);
    r->n_sums = n;
    struct wp_sha256 *h = ok ? wp_sha256_new() : NULL;
    ok = h && !wp_sha256_update(h, r->sums, r->sums_len) && !wp_sha256_hex(h, r->sums_sha256);
    wp_sha256_free(h);
    return ok ? WP_OK : wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
}

static enum wp_err write_sums(struct report *r, struct wp_diag *d)
{
    const char *slash = strrchr(r->o->path, '/');
    const char *path = fmt(&r->pool, "%.*sSHA256SUMS",
                           slash ? (int)(slash - r->o->path + 1) : 0, r->o->path);
    if (!path)
        return wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    struct wp_atomic a;
    enum wp_err e = wp_atomic_begin(&a, path, d);
    if (!e) {
        fwrite(r->sums, 1, r->sums_len, a.f);
        e = wp_atomic_commit(&a, d);
    }
    return e;
}

/* ---- figures --------------------------------------------------------------------------- */

struct figure {
    struct report *r;
    const char *kind;
    const struct wp_analysis *a;
    /* set by drawable() on the layout pass, kept for the drawing pass */
    bool probed, empty;
    char why[256]; /* the chart's reason when it has nothing to show */
};

static enum wp_err draw_chart(cairo_t *cr, double w, double h, void *ctx, struct wp_diag *d)
{
    const struct figure *f = ctx;
    const struct wp_chart_kind *k = wp_chart_find(f->kind);
    struct wp_chart_opts o;
    wp_chart_opts_defaults(&o);
    o.target = cr;
    o.width_mm = w / MM;
    o.height_mm = h / MM;
    o.no_title = true;
    o.creator = f->r->creator;
    o.date = f->r->date;
    return k ? k->render(f->a, &o, d) : wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "no chart");
}

/* A figure at most w_mm wide (the text width if less) and h_mm high: charts are sized for
 * a journal column or page, and past 130 mm most grow sparse; the box plot's log axis
 * gains from the whole width. */
#define FULL_WIDTH INFINITY /* a figure's width: the text's, whatever the paper */

static void figure(struct wp_doc *doc, struct figure *f, double w_mm, double h_mm,
                   const char *caption)
{
    double w = fmin(wp_doc_text_width(doc), w_mm * MM);
    wp_doc_figure(doc, w, h_mm * MM, draw_chart, f, caption);
}

/* Whether the figure has something to show: its chart is drawn once, at its size, into a
 * recording surface.  Optional data (parameter counts, purpose tags, component energies)
 * may be missing: the chart then says why (WP_ERR_EMPTY) and its section is left out with
 * that reason instead of failing the report.  Other failures are the drawing pass's to
 * report. */
static bool drawable(struct wp_doc *doc, struct figure *f, double w_mm, double h_mm)
{
    if (f->probed)
        return !f->empty;
    f->probed = true;
    double w = fmin(wp_doc_text_width(doc), w_mm * MM), h = h_mm * MM;
    cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
    cairo_t *cr = cairo_create(s);
    struct wp_diag d = {0};
    enum wp_err e = draw_chart(cr, w, h, f, &d);
    cairo_destroy(cr);
    cairo_surface_destroy(s);
    if (e == WP_ERR_EMPTY) {
        f->empty = true;
        snprintf(f->why, sizeof f->why, "%s", d.msg);
    }
    return !f->empty;
}

/* The figure, or in its place a note that says why it is left out. */
static void figure_or_why(struct wp_doc *doc, struct figure *f, double w_mm, double h_mm,
                          const char *caption)
{
    if (drawable(doc, f, w_mm, h_mm))
        figure(doc, f, w_mm, h_mm, caption);
    else
        wp_doc_note(doc, fmt(&f->r->pool, "Figure left out: %s.", esc(&f->r->pool, f->why)));
}

/* ---- the document ----------------------------------------------------------------------- */

static bool any_parity(const struct wp_analysis *a)
{
    for (size_t i = 0; i < a->n_groups; i++)
        if (!isnan(a->groups[i].parity_inferences))
            return true;
    return false;
}

static bool any_tokens(const struct wp_analysis *a)
{
    for (size_t i = 0; i < a->n_groups; i++)
        if (a->groups[i].tokens.n)
            return true;
    return false;
}

/* The optional sections the data cannot fill, each with what would fill it: a report
 * needs none of them, and says which it left out and why (it failed whole on runs without
 * parameter counts). */
static void left_out(struct wp_doc *doc, struct report *r, struct figure *scaling,
                     struct figure *compare)
{
    const char *why[8];
    size_t n = 0;
    if (!r->tasks->n_scaling)
        why[n++] = "Scaling with model size: no task has runs of models with a parameter "
                   "count (manifest column parameters).";
    else if (scaling->empty)
        why[n++] = fmt(&r->pool, "Scaling with model size: %s.", esc(&r->pool, scaling->why));
    if (!r->tasks->n_purpose && !wp_report_paper_has_purpose(r->paper))
        why[n++] = "Task-specific and multi-purpose models: no task has models of both kinds "
                   "(manifest column purpose).";
    else if (compare->empty)
        why[n++] = fmt(&r->pool, "Task-specific and multi-purpose models: %s.",
                       esc(&r->pool, compare->why));
    if (!any_parity(r->models) && !wp_report_paper_has_parity(r->paper))
        why[n++] = "Inferences to parity with training: no model has a training energy "
                   "(manifest column training_kwh).";
    if (!r->in->loading.n)
        why[n++] = "Loading the model: no run has a separate \"load model\" phase (CodeCarbon's "
                   "task tracking).";
    if (!any_tokens(r->tokens))
        why[n++] = "Energy per token: no model and dataset has token counts (wattprint tokens "
                   "FILE).";
    if (!n)
        return;
    wp_doc_heading(doc, 2, "Sections left out");
    wp_doc_para(doc, "These parts of the report need data that the selected runs do not "
                     "have:");
    for (size_t i = 0; i < n; i++)
        wp_doc_para(doc, why[i]);
}

struct build {
    struct report *r;
    struct figure tasks, scaling, components, compare;
};

static enum wp_err build(struct wp_doc *doc, void *ctx, struct wp_diag *d)
{
    (void)d;
    struct build *b = ctx;
    struct report *r = b->r;
    const struct wp_report_opts *o = r->o;
    const char *lines[4];
    size_t n = 0;
    if (o->organisation)
        lines[n++] = esc(&r->pool, o->organisation);
    lines[n++] = fmt(&r->pool, "Date of the newest measurement: %s", esc(&r->pool, r->date));
    lines[n++] = fmt(&r->pool, "Made with %s", esc(&r->pool, r->creator));
    wp_doc_title_page(doc, o->title ? o->title : "Energy transparency report",
                      o->subtitle ? o->subtitle : "Energy and emissions of AI inference", lines,
                      n);
    wp_doc_contents(doc);
    wp_report_paper_summary(doc, r->paper);

    wp_doc_heading(doc, 1, "Summary");
    paragraphs(doc, r->prose[0]);
    task_table(doc, r);

    wp_doc_heading(doc, 1, "Methodology");
    paragraphs(doc, r->prose[1]);

    wp_doc_heading(doc, 1, "Results");
    wp_doc_heading(doc, 2, "Energy per task");
    if (r->tasks->n_groups)
        figure_or_why(doc, &b->tasks, FULL_WIDTH, 110,
               fmt(&r->pool, "Figure: energy per 1,000 inferences by task (log axis), a dot "
                             "per %s%s, the %s the table's intervals are over; boxes of "
                             "their quartiles and whiskers to 1.5 IQR, both computed on "
                             "log10 values.", wp_unit_name(r->tasks->unit, 1),
                   r->tasks->unit == WP_UNIT_MODEL ? " (its mean over its experiments)"
                   : r->tasks->unit == WP_UNIT_EXPERIMENT ? " (the mean of its runs)" : "",
                   wp_unit_name(r->tasks->unit, 2)));
    if (r->tasks->n_groups)
        figure_or_why(doc, &b->components, 130, 85,
               "Figure: share of the logged energy drawn by GPU, CPU and RAM, per task; a "
               "hatched part is modelled, not measured.");
    reference_table(doc, r);
    wp_doc_heading(doc, 2, "Energy per model");
    model_table(doc, r);
    if (!wp_report_ratings(doc, r->models))
        r->pool.failed = true;
    loading_table(doc, r);
    if (r->tasks->n_scaling && drawable(doc, &b->scaling, 130, 150)) {
        wp_doc_keep(doc, 150 * MM + 40); /* the heading on the figure's page */
        wp_doc_heading(doc, 2, "Scaling with model size");
        figure(doc, &b->scaling, 130, 150,
               fmt(&r->pool, "Figure: energy per 1,000 inferences against the number of model "
                             "parameters (log-log), one dot per experiment; lines: the "
                             "least-squares fit per task over one point per %s (table below).",
                   wp_unit_name(r->tasks->unit, 1)));
        scaling_table(doc, r);
    }
    if (r->tasks->n_purpose && drawable(doc, &b->compare, 130, 70)) {
        wp_doc_heading(doc, 2, "Task-specific and multi-purpose models");
        figure(doc, &b->compare, 130, 70,
               fmt(&r->pool, "Figure: mean energy of task-specific and multi-purpose models "
                             "per task, and their ratio with a %g%% %s interval over %s.",
                   r->o->a.level * 100,
                   r->tasks->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap",
                   wp_unit_name(r->tasks->unit, 2)));
        purpose_table(doc, r);
    }
    if (!wp_report_pairwise(doc, &r->in->pairs))
        r->pool.failed = true;
    parity_table(doc, r);
    token_table(doc, r);
    left_out(doc, r, &b->scaling, &b->compare);
    wp_report_paper_sections(doc, r->paper);

    wp_doc_heading(doc, 1, "Limitations");
    paragraphs(doc, r->prose[2]);

    wp_doc_heading(doc, 1, "Provenance");
    wp_doc_para(doc, fmt(&r->pool, "Command: <tt>%s</tt>",
                         esc(&r->pool, o->command_line ? o->command_line : "wattprint report")));
    wp_doc_para(doc, fmt(&r->pool, "Database schema version %d; %s source files, %s runs, "
                                   "%s measurements, %s rejected lines.",
                         r->in->schema, count_text(&r->pool, (double)r->in->counts.sources),
                         count_text(&r->pool, (double)r->in->counts.runs),
                         count_text(&r->pool, (double)r->in->counts.measurements),
                         count_text(&r->pool, (double)r->in->counts.rejected)));
    provenance_table(doc, r);
    return r->pool.failed || wp_report_paper_failed(r->paper)
               ? wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory")
               : WP_OK;
}

/* The PDF: the document engine (doc.c) over the build function. */
/* The document in `format`: the same build calls lay out the PDF and write the HTML page. */
static enum wp_err write_doc(struct report *r, enum wp_doc_format format, struct wp_diag *d)
{
    struct build b = {
        .r = r,
        .tasks = {.r = r, .kind = "tasks", .a = r->tasks}, /* boxes over the table's units */
        .scaling = {.r = r, .kind = "scaling", .a = r->tasks},
        .components = {.r = r, .kind = "components", .a = r->tasks},
        .compare = {.r = r, .kind = "compare", .a = r->tasks},
    };
    struct wp_doc_opts dopts = {
        .path = r->o->path,
        .format = format,
        .paper = r->o->paper,
        .title = r->o->title ? r->o->title : "Energy transparency report",
        .author = r->o->organisation,
        .subject = "Energy and emissions of AI inference",
        .keywords = "energy, emissions, inference, transparency",
        .creator = r->creator,
        .date = r->date,
        .running_header = r->o->title ? r->o->title : "Energy transparency report",
    };
    return wp_doc_render(&dopts, build, &b, d);
}

static enum wp_err write_pdf(struct report *r, struct wp_diag *d)
{
    return write_doc(r, WP_DOC_PDF, d);
}

static enum wp_err write_html(struct report *r, struct wp_diag *d)
{
    return write_doc(r, WP_DOC_HTML, d);
}

/* The formats of a report, by the extension of the output's name.  A name that is none of
 * them is refused, never written as PDF under another name. */
static const struct {
    const char *ext;
    enum wp_report_format format;
    enum wp_err (*write)(struct report *r, struct wp_diag *d);
} formats[] = {
    {".pdf", WP_REPORT_PDF, write_pdf},
    {".html", WP_REPORT_HTML, write_html},
    {".htm", WP_REPORT_HTML, write_html},
};
#define N_FORMATS (sizeof formats / sizeof formats[0])

/* The index in formats[] of path's extension, or N_FORMATS with d filled. */
static size_t format_of(const char *path, struct wp_diag *d)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    char known[64] = "";
    for (size_t i = 0; i < N_FORMATS; i++) {
        if (dot && strcasecmp(dot, formats[i].ext) == 0)
            return i;
        size_t n = strlen(known);
        snprintf(known + n, sizeof known - n, "%s%s", i ? ", " : "", formats[i].ext);
    }
    wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0,
                "%s: a report's file name must end in %s (the extension picks the format)",
                path, known);
    return N_FORMATS;
}

enum wp_err wp_report_format(const char *path, enum wp_report_format *out, struct wp_diag *d)
{
    size_t i = format_of(path, d);
    if (i == N_FORMATS)
        return WP_ERR_USAGE;
    *out = formats[i].format;
    return WP_OK;
}

struct wp_report_data_opts wp_report_data_opts_of(const struct wp_report_opts *o)
{
    return (struct wp_report_data_opts){
        .a = o->a,
        .memo = o->memo,
        .tokens_where_key = o->tokens_where_key,
        .tokens_where_value = o->tokens_where_value,
        .compare_where_key = o->compare_where_key,
        .compare_where_value = o->compare_where_value,
    };
}

enum wp_err wp_report_write(const struct wp_report_data *in, const struct wp_report_opts *o,
                            struct wp_diag *d)
{
    struct report r = {.o = o, .in = in, .tasks = in->tasks, .models = in->models,
                       .tokens = in->tokens};
    size_t format = format_of(o->path, d);
    if (format == N_FORMATS)
        return WP_ERR_USAGE;
    enum wp_err e = o->reference ? wp_reference_load(o->reference, &r.ref, d) : WP_OK;
    r.date = o->date ? o->date : r.tasks->newest_measurement;
    r.creator = "wattprint " WP_VERSION;
    if (!e)
        e = render_prose(&r, d);
    bool logged = !e && in->is_logged;
    if (logged) /* nothing labelled yet: the report on what the logs say (logged.c) */
        e = wp_report_logged(&in->logged, &in->sources, &in->logged_basis, o,
                             formats[format].format == WP_REPORT_HTML ? WP_DOC_HTML : WP_DOC_PDF,
                             r.creator, d);
    else if (!e && !r.tasks->n_groups)
        e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0,
                        "no labelled runs with energy and an inference count: nothing to report");
    if (!e && !logged) {
        struct wp_report_paper_in pin = {o,       r.tasks, r.models, in->cmp_tasks,
                                         in->cmp_models, in->cmp_by_model, &r.ref,
                                         r.creator, r.date};
        e = wp_report_paper_new(&pin, &r.paper, d);
    }
    if (!e && !logged)
        e = make_sums(&r, d);
    if (!e && !logged)
        e = formats[format].write(&r, d);
    if (!e && !logged) /* the list beside a report that was written, never beside none */
        e = write_sums(&r, d);
    free(r.sums);
    wp_report_paper_free(r.paper);
    for (int i = 0; i < 3; i++)
        free(r.prose[i]);
    wp_reference_free(&r.ref);
    wp_strpool_free(&r.pool);
    return e;
}
