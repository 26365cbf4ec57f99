/* wattprint chart KIND -o FILE: parses the options, computes the analysis with the
 * grouping the kind needs (src/charts/kinds.c), gathers the label's provenance through the
 * store API, and hands everything to the chart. */
#include <pthread.h>
#include <stdatomic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "charts/charts.h"
#include "cli/chart_pareto.h"
#include "charts/groups.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "analysis/provenance.h"
#include "util/options.h"
#include "analysis/analysis.h"
#include "stats/leaderboard.h"
#include "util/atomic.h"
#include "util/num.h"
#include "util/text.h"

#define CMD "chart"

/* A number option in [lo, hi] or a usage error. */
static bool num_opt(const char *opt, const char *v, double lo, double hi, double *out)
{
    if (wp_parse_num(v, out) != WP_NUM_OK || *out < lo || *out > hi) {
        wp_cli_usage(CMD, "%s: \"%s\" must be a number from %g to %g", opt, v, lo, hi);
        return false;
    }
    return true;
}

static bool kind_list(char *buf, size_t size)
{
    size_t k = 0;
    buf[0] = '\0';
    for (const struct wp_chart_kind *c = wp_chart_kinds; c->name && k < size; c++)
        k += (size_t)snprintf(buf + k, size - k, "%s%s", k ? ", " : "", c->name);
    return k < size;
}

enum { OPT_TASK = 256, OPT_MODEL, OPT_PHASE, OPT_DATASET, OPT_WHERE, OPT_METRIC, OPT_WIDTH, OPT_HEIGHT, OPT_SIZE,
       OPT_DPI, OPT_SCALE, OPT_TITLE, OPT_NO_TITLE, OPT_PALETTE, OPT_THEME, OPT_TOP,
       OPT_STARS, OPT_FORMATS, OPT_JOBS, OPT_UNIT, OPT_AGAINST, OPT_AGAINST_CLASS, OPT_X,
       OPT_Y, OPT_GPU };

/* --formats png,svg,pdf: each at most once, in the order given. */
static int parse_formats(char *list, struct wp_chart_cmd *c)
{
    static const char *const known[] = {"png", "svg", "pdf"};
    c->n_formats = 0;
    for (char *save = NULL, *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        size_t k = 0;
        while (k < 3 && strcmp(f, known[k]) != 0)
            k++;
        if (k == 3)
            return wp_cli_usage(CMD, "--formats: \"%s\" is not png, svg or pdf", f);
        for (size_t i = 0; i < c->n_formats; i++)
            if (c->formats[i] == known[k])
                return wp_cli_usage(CMD, "--formats: %s given twice", f);
        c->formats[c->n_formats++] = known[k];
    }
    if (!c->n_formats)
        return wp_cli_usage(CMD, "--formats: give one or more of png, svg, pdf");
    return 0;
}

static int parse_opt(int opt, char *arg, struct wp_chart_cmd *c)
{
    struct wp_chart_opts *o = &c->o;
    long long top;
    switch (opt) {
    case 'o':
        if (c->n_outputs == WP_CHART_CMD_MAX_OUTPUTS)
            return wp_cli_usage(CMD, "at most %d output files", WP_CHART_CMD_MAX_OUTPUTS);
        c->outputs[c->n_outputs++] = arg;
        break;
    case OPT_TASK: o->task = arg; break;
    case OPT_MODEL: o->model = arg; break;
    case OPT_PHASE: c->phase = arg; break;
    case OPT_DATASET: c->dataset = arg; break;
    case OPT_WHERE: {
        char *eq = strchr(arg, '=');
        if (!eq || eq == arg)
            return wp_cli_usage(CMD, "--where: give KEY=VALUE (a manifest column)");
        *eq = '\0';
        c->where_key = arg;
        c->where_value = eq + 1;
        break;
    }
    case OPT_AGAINST: c->against = strcmp(arg, "db") == 0 ? NULL : arg; break;
    case OPT_AGAINST_CLASS: c->against_class = arg; break;
    case OPT_UNIT:
        if (!wp_unit_parse(arg, &c->unit))
            return wp_cli_usage(CMD, "--unit: give model, experiment or run");
        break;
    case OPT_TITLE: o->title = arg; break;
    case OPT_NO_TITLE: o->no_title = true; break;
    case OPT_METRIC:
        if (!wp_chart_metric_parse(arg, &o->metric))
            return wp_cli_usage(CMD, "--metric: \"%s\" is not energy or emissions", arg);
        break;
    case OPT_SIZE:
        c->has_size = true;
        if (!wp_chart_size_parse(arg, &o->size))
            return wp_cli_usage(CMD, "--size: \"%s\" is not column, page or slide", arg);
        break;
    case OPT_WIDTH:
        c->has_size = true;
        return num_opt("--width", arg, 20, 2000, &o->width_mm) ? 0 : WP_EXIT_USAGE;
    case OPT_HEIGHT:
        c->has_size = true;
        return num_opt("--height", arg, 20, 2000, &o->height_mm) ? 0 : WP_EXIT_USAGE;
    case OPT_DPI: return num_opt("--dpi", arg, 10, 1200, &o->dpi) ? 0 : WP_EXIT_USAGE;
    case OPT_SCALE: return num_opt("--scale", arg, 0.25, 16, &o->scale) ? 0 : WP_EXIT_USAGE;
    case OPT_PALETTE:
        if (!wp_palette_parse(arg, &o->palette))
            return wp_cli_usage(CMD, "--palette: \"%s\" is not okabe-ito, viridis or grey",
                                arg);
        break;
    case OPT_THEME:
        if (!wp_theme_parse(arg, &o->theme))
            return wp_cli_usage(CMD, "--theme: \"%s\" is not light or dark", arg);
        break;
    case OPT_TOP:
        if (!wp_cli_count(CMD, "--top", arg, &top))
            return WP_EXIT_USAGE;
        o->top = (size_t)top;
        break;
    case OPT_STARS:
        if (strcmp(arg, "equal") == 0)
            o->stars = WP_STARS_EQUAL_WIDTH;
        else if (strcmp(arg, "quintile") == 0)
            o->stars = WP_STARS_QUINTILE;
        else
            return wp_cli_usage(CMD, "--stars: \"%s\" is not equal or quintile", arg);
        break;
    case OPT_FORMATS: return parse_formats(arg, c);
    case OPT_JOBS:
        if (!wp_cli_count(CMD, "--jobs", arg, &top))
            return WP_EXIT_USAGE;
        if (top > 64)
            return wp_cli_usage(CMD, "--jobs: at most 64");
        c->jobs = (size_t)top;
        break;
    case OPT_X: c->x_key = arg; break;
    case OPT_Y: c->y_key = arg; break;
    case OPT_GPU: c->gpu = arg; break;
    default: return wp_cli_usage(CMD, "unknown option");
    }
    return 0;
}

/* chart all: one folder, the kinds' own options apply where they mean something. */
static int check_all(struct wp_chart_cmd *c)
{
    if (c->n_outputs != 1)
        return wp_cli_usage(CMD, "chart all: give the folder with one -o DIR");
    if (c->o.title)
        return wp_cli_usage(CMD, "chart all: --title would name every figure the same; "
                                 "draw the one to retitle alone");
    if (!c->n_formats) {
        static const char *const every[] = {"png", "svg", "pdf"};
        memcpy(c->formats, every, sizeof every);
        c->n_formats = 3;
    }
    return 0;
}

/* Checks what only some kinds accept. */
static int check(struct wp_chart_cmd *c)
{
    if (c->all)
        return check_all(c);
    if (c->n_formats || c->jobs)
        return wp_cli_usage(CMD, "--formats and --jobs are for chart all; give one -o FILE "
                                 "per format");
    const char *kind = c->kind->name;
    struct wp_diag d = {0};
    enum wp_format fmt;
    if (!c->n_outputs)
        return wp_cli_usage(CMD, "give the output file with -o FILE (.png, .svg or .pdf)");
    for (size_t i = 0; i < c->n_outputs; i++)
        if (wp_render_format(c->outputs[i], &fmt, &d))
            return wp_cli_usage(CMD, "%s", d.msg);
    if (c->o.metric == WP_METRIC_EMISSIONS && !c->kind->has_metric)
        return wp_cli_usage(CMD, "--metric emissions: the %s chart shows energy only", kind);
    if (strcmp(kind, "label") == 0) {
        if (!c->o.model || !c->o.task)
            return wp_cli_usage(CMD, "the label is for one model on one task: give --model "
                                     "and --task");
        if (c->has_size)
            return wp_cli_usage(CMD, "the label has a fixed size; use --scale for more "
                                     "pixels");
    } else if (c->against || c->against_class) {
        return wp_cli_usage(CMD, "--against and --against-class are for the label");
    }
    if (c->against_class && !c->against)
        return wp_cli_usage(CMD, "--against-class picks a class of --against FILE");
    return 0;
}

void wp_chart_cmd_defaults(struct wp_chart_cmd *c)
{
    *c = (struct wp_chart_cmd){0};
    wp_chart_opts_defaults(&c->o);
    c->o.creator = "wattprint " WP_VERSION;
}

static int parse(int argc, char **argv, struct wp_chart_cmd *c)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT('o', "output", 'o'),
        WP_OPT_ARG_OPT(0, "task", OPT_TASK),
        WP_OPT_ARG_OPT(0, "model", OPT_MODEL),
        WP_OPT_ARG_OPT(0, "phase", OPT_PHASE),
        WP_OPT_ARG_OPT(0, "dataset", OPT_DATASET),
        WP_OPT_ARG_OPT(0, "where", OPT_WHERE),
        WP_OPT_ARG_OPT(0, "metric", OPT_METRIC),
        WP_OPT_ARG_OPT(0, "width", OPT_WIDTH),
        WP_OPT_ARG_OPT(0, "height", OPT_HEIGHT),
        WP_OPT_ARG_OPT(0, "size", OPT_SIZE),
        WP_OPT_ARG_OPT(0, "dpi", OPT_DPI),
        WP_OPT_ARG_OPT(0, "scale", OPT_SCALE),
        WP_OPT_ARG_OPT(0, "title", OPT_TITLE),
        WP_OPT_NOARG_OPT(0, "no-title", OPT_NO_TITLE),
        WP_OPT_ARG_OPT(0, "palette", OPT_PALETTE),
        WP_OPT_ARG_OPT(0, "theme", OPT_THEME),
        WP_OPT_ARG_OPT(0, "top", OPT_TOP),
        WP_OPT_ARG_OPT(0, "stars", OPT_STARS),
        WP_OPT_ARG_OPT(0, "formats", OPT_FORMATS),
        WP_OPT_ARG_OPT(0, "jobs", OPT_JOBS),
        WP_OPT_ARG_OPT(0, "unit", OPT_UNIT),
        WP_OPT_ARG_OPT(0, "against", OPT_AGAINST),
        WP_OPT_ARG_OPT(0, "against-class", OPT_AGAINST_CLASS),
        WP_OPT_ARG_OPT(0, "x", OPT_X),
        WP_OPT_ARG_OPT(0, "y", OPT_Y),
        WP_OPT_ARG_OPT(0, "gpu", OPT_GPU),
        WP_OPT_END_OPT,
    };
    wp_chart_cmd_defaults(c);
    int opt, rc;
    struct wp_options op;
    wp_options_init(&op, opts, 0, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;)
        if ((rc = parse_opt(opt, arg, c)))
            return rc;
    if ((rc = wp_cli_options_done(CMD, &op, opt, 1)))
        return rc;
    char kinds[256];
    kind_list(kinds, sizeof kinds);
    if (op.n_operands == 0)
        return wp_cli_usage(CMD, "which chart? give one of %s, or all", kinds);
    c->all = strcmp(argv[1], "all") == 0;
    c->kind = wp_chart_find(argv[1]);
    if (strcmp(argv[1], "pareto") == 0) {
        c->pareto = true;
        if (!c->n_outputs)
            return wp_cli_usage(CMD, "give the output file with -o FILE (.png, .svg or .pdf)");
        return 0;
    }
    if (c->x_key || c->y_key || c->gpu)
        return wp_cli_usage(CMD, "--x, --y and --gpu are for chart pareto");
    if (strcmp(argv[1], "groups") == 0) {
        c->groups = true;
        if (!c->n_outputs)
            return wp_cli_usage(CMD, "give the output file with -o FILE (.png, .svg or .pdf)");
        if (c->o.task || c->o.model || c->dataset || c->phase || c->where_key)
            return wp_cli_usage(CMD, "chart groups shows every run not yet labelled: it takes "
                                     "no filter");
        return 0;
    }
    if (!c->kind && !c->all)
        return wp_cli_usage(CMD, "'%s' is not a chart; give one of %s, or all", argv[1],
                            kinds);
    return 0;
}

/* ---- the label's provenance ---------------------------------------------------------- */

struct tools {
    char list[256];     /* "CodeCarbon 2.3.1, CodeCarbon 2.8.3", "..." when cut */
    char hardware[256]; /* every hardware the model ran on, "; " between */
};

/* The model's hardware, newest measurement and tools, for the label. */
static enum wp_err provenance(struct wp_cli *cli, struct wp_store *s,
                              const struct wp_analysis_opts *base, struct wp_chart_opts *o,
                              struct tools *tools, const struct wp_analysis **out,
                              struct wp_diag *d)
{
    struct wp_analysis_opts ao = *base;
    ao.filter.model = o->model;
    ao.by = WP_BY_HARDWARE;
    enum wp_err e = wp_analysis_get(cli->memo, s, &ao, out, d);
    if (e)
        return e;
    const struct wp_analysis *hw = *out;
    for (size_t i = 0, len = 0; i < hw->n_groups && len < sizeof tools->hardware; i++) {
        const char *h = hw->groups[i].hardware ? hw->groups[i].hardware : "unknown";
        if (!*h)
            h = WP_NO_HARDWARE_NAMED; /* runs whose logs name no GPU and no CPU model */
        len += (size_t)snprintf(tools->hardware + len, sizeof tools->hardware - len, "%s%s",
                                i ? "; " : "", h);
    }
    o->hardware = tools->hardware;
    o->measured_at = hw->newest_measurement;
    /* the tools: the model's facts (analysis/provenance.h), as the report and card list them */
    struct wp_facts facts = {0};
    if ((e = wp_facts_collect(s, &ao.filter, &facts, d)))
        return e;
    const struct wp_model_facts *m = wp_facts_find(&facts, o->model);
    if (m)
        wp_names_join(&m->tools, "", tools->list, sizeof tools->list);
    wp_facts_free(&facts);
    return WP_OK;
}

/* One kind's input: its analysis (from the memo when there is one) and, for the label, its
 * provenance in *o (whose strings live in *tools). */
static enum wp_err kind_input(struct wp_cli *cli, struct wp_store *s, const struct wp_chart_cmd *c,
                              const struct wp_chart_kind *k, struct wp_chart_opts *o,
                              struct tools *tools, const struct wp_analysis **a,
                              const struct wp_analysis **hw, struct wp_diag *d)
{
    *o = c->o;
    if (!k->has_metric)
        o->metric = WP_METRIC_ENERGY; /* chart all: --metric is for the kinds that have it */
    struct wp_analysis_opts ao;
    wp_analysis_defaults(&ao);
    ao.filter.task = o->task;
    ao.filter.model = o->model;
    ao.filter.phase = c->phase;
    ao.filter.dataset = c->dataset;
    ao.filter.where_key = c->where_key;
    ao.filter.where_value = c->where_value;
    ao.by = k->by;
    ao.over_experiments = k->over_experiments;
    ao.unit = c->unit;
    /* only compare shows a bootstrap interval, of the ratio; the others need none */
    if (k->render != wp_chart_compare)
        ao.boot.resamples = 0;
    ao.boot_ratios_only = true;
    bool is_label = k->render == wp_chart_label;
    if (is_label)
        ao.filter.model = NULL; /* the stars rate the model among all models of the task */
    enum wp_err e = wp_analysis_get(cli->memo, s, &ao, a, d);
    if (!e && is_label) {
        e = provenance(cli, s, &ao, o, tools, hw, d);
        o->tools = tools->list;
    }
    return e;
}

/* Draws one kind into outputs[0..n), one file after another (each as if drawn alone: see
 * svg_write in src/render/figure.c), each checked first (wp_cli_output_check) unless cli is
 * NULL: chart all checks its paths before its threads draw. */
static enum wp_err draw_files(const struct wp_cli *cli, const struct wp_chart_kind *k,
                              const struct wp_analysis *a, struct wp_chart_opts *o,
                              const char *const *outputs, size_t n, struct wp_diag *d)
{
    enum wp_err e = WP_OK;
    for (size_t i = 0; i < n && !e; i++) {
        o->path = outputs[i];
        if (!cli || !(e = wp_cli_output_check(cli, o->path, d)))
            e = k->render(a, o, d);
    }
    return e;
}

static enum wp_err draw(struct wp_cli *cli, struct wp_store *s, struct wp_chart_cmd *c,
                        struct wp_diag *d)
{
    const struct wp_analysis *a = NULL, *hw = NULL;
    struct tools tools = {{0}, {0}};
    struct wp_chart_opts o;
    enum wp_err e = kind_input(cli, s, c, c->kind, &o, &tools, &a, &hw, d);
    if (!e)
        e = draw_files(cli, c->kind, a, &o, c->outputs, c->n_outputs, d);
    if (!e)
        wp_cli_left_out(cli, a);
    wp_analysis_release(cli->memo, hw);
    wp_analysis_release(cli->memo, a);
    return e;
}

/* ---- chart all ----------------------------------------------------------------------- */

#define ALL_KINDS 8 /* at most, in wp_chart_kinds */

/* One kind of chart all, in every format asked for, and how it went. */
struct job {
    const struct wp_chart_kind *kind;
    const struct wp_analysis *a;
    struct wp_chart_opts o;
    char paths[3][4096];
    size_t n;
    enum wp_err e;
    struct wp_diag d;
};

/* The workers take the next kind not yet taken until none is left.  Each thread measures
 * and draws text with its own pango font map (pango's per-thread default), and a file's
 * bytes do not depend on what else the process drew (see svg_write in
 * src/render/figure.c), so neither does the outcome on which thread drew what. */
struct workers {
    struct job *jobs;
    size_t n_jobs;
    atomic_size_t next;
};

static void *draw_jobs(void *arg)
{
    struct workers *w = arg;
    for (size_t i; (i = atomic_fetch_add(&w->next, 1)) < w->n_jobs;) {
        struct job *j = &w->jobs[i];
        const char *out[3] = {j->paths[0], j->paths[1], j->paths[2]};
        j->e = draw_files(NULL, j->kind, j->a, &j->o, out, j->n, &j->d);
    }
    return NULL;
}

/* Draws the jobs on up to `threads` threads (this one among them); a thread that cannot
 * start leaves its share to this one. */
static void run_jobs(struct job *jobs, size_t n, size_t threads)
{
    struct workers w = {.jobs = jobs, .n_jobs = n};
    atomic_init(&w.next, 0);
    pthread_t id[ALL_KINDS];
    bool started[ALL_KINDS] = {false};
    threads = threads < 1 ? 1 : threads > n ? n : threads;
    for (size_t t = 1; t < threads; t++)
        started[t] = pthread_create(&id[t], NULL, draw_jobs, &w) == 0;
    draw_jobs(&w); /* also whatever a thread that did not start would have taken */
    for (size_t t = 1; t < threads; t++)
        if (started[t])
            pthread_join(id[t], NULL);
}

/* chart all: every kind but the label (one model's card) into DIR/KIND.EXT.  The kinds'
 * analyses are computed first, sharing what they can; the kinds are then drawn on parallel
 * threads, and what went wrong is told in kind order.  A kind the data cannot show
 * (compare without purpose tags) is noted and left out; any other failure fails the
 * command once every kind was tried. */
static enum wp_err draw_all(struct wp_cli *cli, struct wp_store *s, struct wp_chart_cmd *c,
                            struct wp_diag *d)
{
    const char *dir = c->outputs[0];
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    struct job jobs[ALL_KINDS];
    size_t nj = 0;
    enum wp_err e = WP_OK;
    for (const struct wp_chart_kind *k = wp_chart_kinds; k->name && nj < ALL_KINDS && !e; k++) {
        if (k->render == wp_chart_label)
            continue;
        struct job *j = &jobs[nj];
        *j = (struct job){.kind = k, .n = c->n_formats};
        struct tools none = {{0}, {0}};
        if ((e = kind_input(cli, s, c, k, &j->o, &none, &j->a, NULL, d)))
            break;
        if (nj++ == 0)
            wp_cli_left_out(cli, j->a); /* the same runs for every kind: say it once */
        for (size_t i = 0; i < j->n && !e; i++)
            if ((size_t)snprintf(j->paths[i], sizeof j->paths[i], "%.*s/%s.%s", (int)len, dir,
                                 k->name, c->formats[i]) >= sizeof j->paths[i])
                e = wp_diag_set(d, WP_ERR_USAGE, NULL, 0, 0, "%s: too long a folder name", dir);
            else
                e = wp_cli_output_check(cli, j->paths[i], d);
    }
    if (!e && nj)
        e = wp_mkdirs_for(jobs[0].paths[0], d);
    if (!e) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        run_jobs(jobs, nj, c->jobs ? c->jobs : cpus > 1 ? (size_t)cpus : 1);
        size_t drawn = 0, failed = 0;
        for (size_t i = 0; i < nj; i++) {
            struct job *j = &jobs[i];
            if (j->e == WP_ERR_EMPTY && !cli->quiet)
                fprintf(stderr, "wattprint: chart all: no %s chart: %s\n", j->kind->name,
                        j->d.msg);
            else if (j->e && j->e != WP_ERR_EMPTY)
                wp_cli_error(&j->d);
            drawn += j->e == WP_OK;
            failed += j->e != WP_OK && j->e != WP_ERR_EMPTY;
        }
        if (failed) /* each failure was reported where it happened */
            e = wp_diag_set(d, WP_ERR_IO, NULL, 0, 0, "chart all: %zu of %zu kinds failed",
                            failed, nj);
        else if (!drawn)
            e = wp_diag_set(d, WP_ERR_EMPTY, NULL, 0, 0, "chart all: nothing to draw");
    }
    for (size_t i = 0; i < nj; i++) /* kept by the memo: for symmetry with draw() */
        wp_analysis_release(cli->memo, jobs[i].a);
    return e;
}

static int render(struct wp_cli *cli, struct wp_chart_cmd *c)
{
    wp_stats_init();
    /* pareto's --where names a configuration key, not a manifest column */
    const struct wp_run_filter named = {.task = c->o.task, .model = c->o.model,
                                        .dataset = c->dataset, .phase = c->phase,
                                        .where_key = c->pareto ? NULL : c->where_key,
                                        .where_value = c->where_value};
    struct wp_store *s = wp_cli_open_store_for(cli, &named);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_diag d = {0};
    enum wp_err e = WP_OK;
    struct wp_analysis_memo *own = NULL;
    if (c->all && !cli->memo) { /* the kinds by task share one analysis */
        if (!(own = cli->memo = wp_analysis_memo_new()))
            e = wp_diag_set(&d, WP_ERR_NOMEM, NULL, 0, 0, "out of memory");
    }
    /* the label's comparison set: a leaderboard snapshot's class in its newest edition */
    struct wp_leaderboard lb = {0};
    struct wp_leaderboard_set set = {0};
    if (!e && c->against && !(e = wp_leaderboard_load(c->against, &lb, &d)) &&
        !(e = wp_leaderboard_select(&lb, c->against_class, &set, &d))) {
        const char *slash = strrchr(c->against, '/');
        c->o.against = &set;
        c->o.against_name = slash ? slash + 1 : c->against;
    }
    if (!e && c->pareto) {
        struct wp_gen_filter f = {.task = c->o.task, .model = c->o.model, .gpu_model = c->gpu,
                                  .where_key = c->where_key, .where_value = c->where_value};
        e = wp_cli_chart_pareto(s, &f, c->x_key, c->y_key, &c->o, c->outputs, c->n_outputs,
                                &d);
    } else if (!e && c->groups) {
        struct wp_logged l;
        e = wp_logged_collect(s, NULL, &l, &d);
        for (size_t i = 0; i < c->n_outputs && !e; i++) {
            c->o.path = c->outputs[i];
            e = wp_chart_groups(&l, &c->o, &d);
        }
        wp_logged_free(&l);
    } else if (!e) {
        e = c->all ? draw_all(cli, s, c, &d) : draw(cli, s, c, &d);
    }
    wp_leaderboard_set_free(&set);
    wp_leaderboard_free(&lb);
    if (own) {
        wp_analysis_memo_free(own);
        cli->memo = NULL;
    }
    wp_store_close(s);
    if (e)
        wp_cli_error(&d);
    return !e ? WP_EXIT_OK : e == WP_ERR_USAGE ? WP_EXIT_USAGE : WP_EXIT_FAIL;
}

int wp_cmd_chart(struct wp_cli *c, int argc, char **argv)
{
    struct wp_chart_cmd args;
    int rc = parse(argc, argv, &args);
    return rc ? rc : wp_chart_cmd_run(c, &args);
}

int wp_chart_cmd_run(struct wp_cli *cli, struct wp_chart_cmd *c)
{
    int rc = c->pareto || c->groups ? 0 : check(c); /* each checked by parse */
    return rc ? rc : render(cli, c);
}
