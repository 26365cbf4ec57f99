/* The report on logs before any label (see logged.h).  Every cell is formatted once,
 * before the document engine lays the pages out twice, from the structs of
 * analysis/logged.h and the store's file list; nothing here computes a statistic. */
#include "report/logged.h"
#include "analysis/basis.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/groups.h"
#include "analysis/provenance.h"
#include "analysis/logged.h"
#include "util/strpool.h"

#define MM (72.0 / 25.4)
#define ROW_MM 15.0   /* a row of the figure: a group's name on up to 3 lines + its runs */
#define FIG_TOP 12    /* groups in the figure at most */
#define DASH "\xe2\x80\x93"


static const char *keep(struct wp_strpool *s, char *p)
{
    return wp_strpool_keep(s, p);
}

/* Strings made for the pages, freed together (util/strpool.h). */
#define fmt wp_strpool_fmt

static const char *esc(struct wp_strpool *s, const char *text)
{
    return keep(s, wp_doc_escape(text));
}

/* text escaped, each `quoted` part set in monospace */
static const char *code(struct wp_strpool *s, const char *text)
{
    const char *e = esc(s, text);
    size_t n = 0;
    for (const char *p = e; *p; p++)
        n += *p == '`';
    char *out = malloc(strlen(e) + n * 6 + 1), *w = out;
    if (!out)
        return keep(s, NULL);
    bool open = false;
    for (const char *p = e; *p; p++) {
        if (*p != '`') {
            *w++ = *p;
            continue;
        }
        memcpy(w, open ? "</tt>" : "<tt>", open ? 5 : 4);
        w += open ? 5 : 4;
        open = !open;
    }
    if (open) {
        memcpy(w, "</tt>", 5);
        w += 5;
    }
    *w = '\0';
    return keep(s, out);
}

/* A number for people with sig significant digits; a dash when it cannot be known. */
static const char *num(struct wp_strpool *s, double v, int sig)
{
    return isfinite(v) ? fmt(s, "%.*g", sig, v) : DASH;
}

static const char *pct(struct wp_strpool *s, double share)
{
    return isfinite(share) ? fmt(s, "%.0f%%", share * 100) : DASH;
}

/* An interval for people: a t interval's lower end below zero is 0 with a dagger (the one
 * rule of stats.h; the caption carries WP_CI_CUT_NOTE). */
static const char *interval(struct wp_strpool *s, const struct wp_ci *ci)
{
    if (!isfinite(ci->lo) || !isfinite(ci->hi))
        return DASH;
    if (wp_ci_lo_is_cut(ci))
        return fmt(s, "0\u2020 to %.3g", ci->hi);
    return fmt(s, "%.3g to %.3g", ci->lo, ci->hi);
}

static const char *two(struct wp_strpool *s, const char *a, const char *sep, const char *b,
                       size_t distinct)
{
    if (!*a && !*b)
        return DASH;
    return fmt(s, "%s%s%s%s", esc(s, a), *a && *b ? sep : "", esc(s, b),
               distinct > 1 ? fmt(s, " (+%zu more)", distinct - 1) : "");
}

/* A table's cells, row-major. */
struct table {
    const char **cells;
    size_t n_rows;
};

struct ctx {
    const struct wp_report_opts *o;
    const struct wp_logged *l;
    const char *creator, *date;
    struct wp_strpool s;
    const char *title_lines[4];
    size_t n_title_lines;
    const char *summary, *what, *method, *basis, *sources_note, *fig_caption, *per_run_caption;
    struct table totals, per_run, parts, where, files;
    double fig_h; /* 0: no group has an energy to plot, no figure */
};

static enum wp_err draw_groups(cairo_t *cr, double w, double h, void *ctx, struct wp_diag *d)
{
    const struct ctx *c = ctx;
    struct wp_chart_opts o;
    wp_chart_opts_on_page(&o, cr, w / MM, h / MM, c->creator, c->date);
    o.top = FIG_TOP;
    return wp_chart_groups(c->l, &o, d);
}

static const struct wp_doc_col totals_cols[] = {
    {"Group", 0.40, WP_LEFT},    {"Runs", 0.08, WP_RIGHT},
    {"kWh", 0.12, WP_RIGHT},     {"Hours", 0.11, WP_RIGHT},
    {"g CO<sub>2</sub>eq", 0.15, WP_RIGHT}, {"Power (W)", 0.14, WP_RIGHT},
};
static const struct wp_doc_col per_run_cols[] = {
    {"Group", 0.30, WP_LEFT},          {"n", 0.06, WP_RIGHT},
    {"Mean kWh", 0.12, WP_RIGHT},      {"Median kWh", 0.12, WP_RIGHT},
    {"95% CI, t", 0.20, WP_RIGHT},     {"95% CI, bootstrap", 0.20, WP_RIGHT},
};
static const struct wp_doc_col parts_cols[] = {
    {"Group", 0.46, WP_LEFT}, {"CPU", 0.12, WP_RIGHT}, {"GPU", 0.12, WP_RIGHT},
    {"RAM", 0.12, WP_RIGHT},  {"g CO<sub>2</sub>eq per kWh", 0.18, WP_RIGHT},
};
static const struct wp_doc_col where_cols[] = {
    {"Group", 0.28, WP_LEFT},     {"Hardware", 0.32, WP_LEFT}, {"Place", 0.16, WP_LEFT},
    {"First run", 0.12, WP_LEFT}, {"Last run", 0.12, WP_LEFT},
};
static const struct wp_doc_col files_cols[] = {
    {"File", 0.34, WP_LEFT}, {"Format", 0.12, WP_LEFT}, {"Rows", 0.08, WP_RIGHT},
    {"SHA-256", 0.46, WP_LEFT},
};
#define NCOLS(a) (sizeof a / sizeof a[0])

static enum wp_err build(struct wp_doc *doc, void *ctx, struct wp_diag *d)
{
    (void)d;
    struct ctx *c = ctx;
    wp_doc_title_page(doc, c->o->title ? c->o->title : "Energy of the logged runs",
                      c->o->subtitle ? c->o->subtitle : "What the logs say, before any label",
                      c->title_lines, c->n_title_lines);
    wp_doc_heading(doc, 1, "The logged runs");
    wp_doc_heading(doc, 2, "What the runs used");
    wp_doc_para(doc, c->summary);
    wp_doc_para(doc, c->what);
    wp_doc_keep(doc, 80);
    wp_doc_table(doc, totals_cols, NCOLS(totals_cols), c->totals.cells, c->totals.n_rows,
                 "Per group: runs, energy, duration and emissions summed over the runs that "
                 "log them; power is energy over duration. " DASH ": not in the logs.");
    wp_doc_heading(doc, 2, "Energy per run, and how sure it is");
    wp_doc_para(doc, c->method);
    wp_doc_keep(doc, 80);
    wp_doc_table(doc, per_run_cols, NCOLS(per_run_cols), c->per_run.cells,
                 c->per_run.n_rows, c->per_run_caption);
    if (c->fig_h > 0)
        wp_doc_figure(doc, wp_doc_text_width(doc), c->fig_h, draw_groups, c, c->fig_caption);
    wp_doc_heading(doc, 2, "Where the energy went");
    wp_doc_para(doc, c->basis);
    wp_doc_keep(doc, 80);
    wp_doc_table(doc, parts_cols, NCOLS(parts_cols), c->parts.cells, c->parts.n_rows,
                 "Shares of the components' energy summed over the runs that log all three; "
                 "carbon intensity as the logs computed it (emissions over energy).");
    wp_doc_heading(doc, 2, "Hardware and place");
    wp_doc_keep(doc, 80);
    wp_doc_table(doc, where_cols, NCOLS(where_cols), c->where.cells, c->where.n_rows,
                 "The most frequent hardware and place of each group's runs; (+N more) when "
                 "its runs differ. Start times as logged.");
    wp_doc_heading(doc, 2, "The files");
    wp_doc_para(doc, c->sources_note);
    wp_doc_keep(doc, 80);
    wp_doc_table(doc, files_cols, NCOLS(files_cols), c->files.cells, c->files.n_rows, NULL);
    return WP_OK;
}

static bool cells_new(struct table *t, size_t rows, size_t cols)
{
    t->n_rows = rows;
    t->cells = calloc(rows && cols ? rows * cols : 1, sizeof *t->cells);
    return t->cells != NULL;
}

static void fill_tables(struct ctx *c, const struct wp_source_list *src)
{
    const struct wp_logged *l = c->l;
    struct wp_strpool *s = &c->s;
    for (size_t i = 0; i < l->n; i++) {
        const struct wp_logged_group *g = &l->v[i];
        const char *name = esc(s, g->name);
        const char **t = c->totals.cells + i * NCOLS(totals_cols);
        t[0] = name;
        t[1] = fmt(s, "%zu", g->n_runs);
        t[2] = num(s, g->kwh, 4);
        t[3] = num(s, g->hours, 3);
        t[4] = num(s, g->n_emissions ? g->emissions_g : NAN, 4);
        t[5] = num(s, g->power_w, 3);
        const char **p = c->per_run.cells + i * NCOLS(per_run_cols);
        p[0] = name;
        p[1] = fmt(s, "%zu", g->n_energy);
        p[2] = num(s, g->energy_kwh.mean, 3);
        p[3] = num(s, g->energy_kwh.median, 3);
        p[4] = interval(s, &g->energy_t);
        p[5] = interval(s, &g->energy_boot);
        const char **q = c->parts.cells + i * NCOLS(parts_cols);
        q[0] = name;
        q[1] = pct(s, g->cpu_share);
        q[2] = pct(s, g->gpu_share);
        q[3] = pct(s, g->ram_share);
        q[4] = num(s, g->g_per_kwh, 3);
        const char **w = c->where.cells + i * NCOLS(where_cols);
        w[0] = name;
        w[1] = two(s, g->cpu_model, " / ", g->gpu_model, g->n_hardware);
        w[2] = two(s, g->country, " ", g->region, g->n_places);
        w[3] = *g->first_started ? esc(s, g->first_started) : DASH;
        w[4] = *g->last_started ? esc(s, g->last_started) : DASH;
    }
    for (size_t i = 0; i < src->n; i++) {
        const struct wp_source_file *f = &src->v[i];
        const char **r = c->files.cells + i * NCOLS(files_cols);
        r[0] = esc(s, f->name);
        r[1] = esc(s, f->format);
        r[2] = fmt(s, "%lld", f->rows_ingested);
        r[3] = fmt(s, "<tt><small>%s</small></tt>", f->sha256);
    }
}

static void fill_prose(struct ctx *c, const struct wp_basis_summary *b, size_t n_files)
{
    const struct wp_logged *l = c->l;
    struct wp_strpool *s = &c->s;
    c->title_lines[c->n_title_lines++] =
        fmt(s, "%zu run%s in %zu group%s from %zu file%s", l->n_runs, l->n_runs == 1 ? "" : "s",
            l->n, l->n == 1 ? "" : "s", n_files, n_files == 1 ? "" : "s");
    if (*l->newest)
        c->title_lines[c->n_title_lines++] = fmt(s, "Newest run started %s", esc(s, l->newest));
    c->title_lines[c->n_title_lines++] = esc(s, c->creator);
    c->summary = fmt(
        s,
        "The logs hold %zu run%s, grouped here by what the logs name them: CodeCarbon's "
        "<tt>project_name</tt> and <tt>experiment_id</tt>, eco2AI's project and description, "
        "optimum-benchmark's configuration, else the file. Together they used %s kWh over %s "
        "hours and emitted %s g CO<sub>2</sub>eq, as the logs computed it.",
        l->n_runs, l->n_runs == 1 ? "" : "s", num(s, l->kwh, 4), num(s, l->hours, 3),
        num(s, l->n_emissions ? l->emissions_g : NAN, 4));
    c->what = fmt(s, "<b>Not in this report yet.</b> %s That adds energy and emissions per "
                     "1,000 inferences per task and model, with intervals over models, the "
                     "comparison between tasks and the scaling with model size.",
                  code(s, wp_logged_what_to_add()));
    c->method = fmt(s,
                    "The mean energy of a run in each group, with two %g%% confidence "
                    "intervals: Student t over the runs, and a bootstrap percentile interval "
                    "(%d resamples, seed %lu). Each run counts as one unit because the logs "
                    "name no model; runs of one script are often near copies, so the "
                    "intervals are narrower than a comparison between models would be. For "
                    "skewed runs (one long run among short ones) the bootstrap interval is "
                    "the better guide.",
                    l->level * 100, WP_STATS_DEFAULT_RESAMPLES, WP_STATS_DEFAULT_SEED);
    static const char *const comp[] = {"CPU", "GPU", "RAM"};
    static const int which[] = {WP_COMP_CPU, WP_COMP_GPU, WP_COMP_RAM};
    const char *words = "";
    for (int k = 0; k < 3; k++) {
        const char *w = wp_basis_word(b, which[k]);
        if (w)
            words = fmt(s, "%s%s%s: %s", words, *words ? "; " : "", comp[k], w);
    }
    c->basis = fmt(s, "How the logs obtained each component's energy%s%s. A modelled "
                      "component is an estimate (CodeCarbon's RAM from the memory size, a CPU "
                      "from its TDP), not a reading.",
                   *words ? " (over every measurement in the database): " : ": not stated",
                   words);
    c->sources_note = fmt(s, "Every file the database holds, with the SHA-256 of its content "
                             "as ingested: check a copy with <tt>sha256sum</tt>.");
    size_t shown = 0;
    bool any_cut = false;
    for (size_t i = 0; i < l->n; i++) {
        shown += l->v[i].energy_kwh.mean > 0;
        any_cut |= wp_ci_lo_is_cut(&l->v[i].energy_t);
    }
    c->per_run_caption = fmt(s, "kWh per run over the runs with energy (n). " DASH ": one run, "
                                "no interval.%s%s",
                             any_cut ? " \u2020 " : "", any_cut ? WP_CI_CUT_NOTE : "");
    c->fig_caption = fmt(s, "Mean kWh per run and its %g%% bootstrap interval over runs, per "
                            "group, log axis%s.",
                         l->level * 100,
                         shown > FIG_TOP ? fmt(s, "; the %d highest of %zu groups", FIG_TOP,
                                               shown)
                                         : "");
    size_t rows = shown < FIG_TOP ? shown : FIG_TOP;
    c->fig_h = rows ? (25.0 + ROW_MM * (double)rows) * MM : 0;
}

enum wp_err wp_report_logged(const struct wp_logged *l, const struct wp_source_list *src,
                             const struct wp_basis_summary *basis,
                             const struct wp_report_opts *o, enum wp_doc_format format,
                             const char *creator, struct wp_diag *d)
{
    struct ctx c = {.o = o, .l = l, .creator = creator};
    enum wp_err e = WP_OK;
    c.date = o->date ? o->date : l->newest;
    if (!cells_new(&c.totals, l->n, NCOLS(totals_cols)) ||
        !cells_new(&c.per_run, l->n, NCOLS(per_run_cols)) ||
        !cells_new(&c.parts, l->n, NCOLS(parts_cols)) ||
        !cells_new(&c.where, l->n, NCOLS(where_cols)) ||
        !cells_new(&c.files, src->n, NCOLS(files_cols))) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    fill_tables(&c, src);
    fill_prose(&c, basis, src->n);
    if (c.s.failed) {
        e = wp_diag_set(d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    const char *title = o->title ? o->title : "Energy of the logged runs";
    struct wp_doc_opts dopts = {
        .path = o->path,
        .format = format,
        .paper = o->paper,
        .title = title,
        .author = o->organisation,
        .subject = "Energy and emissions of logged runs, before labels",
        .keywords = "energy, emissions, transparency",
        .creator = creator,
        .date = c.date,
        .running_header = title,
    };
    e = wp_doc_render(&dopts, build, &c, d);
out:
    free(c.totals.cells);
    free(c.per_run.cells);
    free(c.parts.cells);
    free(c.where.cells);
    free(c.files.cells);
    wp_strpool_free(&c.s);
    return e;
}
