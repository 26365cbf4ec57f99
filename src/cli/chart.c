/* wattprint chart KIND -o FILE: parses the options, computes the analysis with the
 * grouping the kind needs (src/charts/kinds.c), gathers the label's provenance through the
 * store API, and hands everything to the chart. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/charts.h"
#include "cli/cli.h"
#include "stats/analysis.h"
#include "util/num.h"
#include "util/text.h"

#define CMD "chart"

#define MAX_OUTPUTS 8

struct chart_args {
    const struct wp_chart_kind *kind;
    struct wp_chart_opts o;
    const char *outputs[MAX_OUTPUTS]; /* -o, repeatable: one figure, several formats */
    size_t n_outputs;
    const char *phase, *dataset, *where_key, *where_value;
    bool has_size; /* --size, --width or --height given */
};

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
       OPT_STARS };

static int parse_opt(int opt, struct chart_args *c)
{
    struct wp_chart_opts *o = &c->o;
    long long top;
    switch (opt) {
    case 'o':
        if (c->n_outputs == MAX_OUTPUTS)
            return wp_cli_usage(CMD, "at most %d output files", MAX_OUTPUTS);
        c->outputs[c->n_outputs++] = optarg;
        break;
    case OPT_TASK: o->task = optarg; break;
    case OPT_MODEL: o->model = optarg; break;
    case OPT_PHASE: c->phase = optarg; break;
    case OPT_DATASET: c->dataset = optarg; break;
    case OPT_WHERE: {
        char *eq = strchr(optarg, '=');
        if (!eq || eq == optarg)
            return wp_cli_usage(CMD, "--where: give KEY=VALUE (a manifest column)");
        *eq = '\0';
        c->where_key = optarg;
        c->where_value = eq + 1;
        break;
    }
    case OPT_TITLE: o->title = optarg; break;
    case OPT_NO_TITLE: o->no_title = true; break;
    case OPT_METRIC:
        if (!wp_chart_metric_parse(optarg, &o->metric))
            return wp_cli_usage(CMD, "--metric: \"%s\" is not energy or emissions", optarg);
        break;
    case OPT_SIZE:
        c->has_size = true;
        if (!wp_chart_size_parse(optarg, &o->size))
            return wp_cli_usage(CMD, "--size: \"%s\" is not column, page or slide", optarg);
        break;
    case OPT_WIDTH:
        c->has_size = true;
        return num_opt("--width", optarg, 20, 2000, &o->width_mm) ? 0 : WP_EXIT_USAGE;
    case OPT_HEIGHT:
        c->has_size = true;
        return num_opt("--height", optarg, 20, 2000, &o->height_mm) ? 0 : WP_EXIT_USAGE;
    case OPT_DPI: return num_opt("--dpi", optarg, 10, 1200, &o->dpi) ? 0 : WP_EXIT_USAGE;
    case OPT_SCALE: return num_opt("--scale", optarg, 0.25, 16, &o->scale) ? 0 : WP_EXIT_USAGE;
    case OPT_PALETTE:
        if (!wp_palette_parse(optarg, &o->palette))
            return wp_cli_usage(CMD, "--palette: \"%s\" is not okabe-ito, viridis or grey",
                                optarg);
        break;
    case OPT_THEME:
        if (!wp_theme_parse(optarg, &o->theme))
            return wp_cli_usage(CMD, "--theme: \"%s\" is not light or dark", optarg);
        break;
    case OPT_TOP:
        if (!wp_cli_count(CMD, "--top", optarg, &top))
            return WP_EXIT_USAGE;
        o->top = (size_t)top;
        break;
    case OPT_STARS:
        if (strcmp(optarg, "equal") == 0)
            o->stars = WP_STARS_EQUAL_WIDTH;
        else if (strcmp(optarg, "quintile") == 0)
            o->stars = WP_STARS_QUINTILE;
        else
            return wp_cli_usage(CMD, "--stars: \"%s\" is not equal or quintile", optarg);
        break;
    default: return wp_cli_usage(CMD, "unknown option");
    }
    return 0;
}

/* Checks what only some kinds accept. */
static int check(struct chart_args *c)
{
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
    }
    return 0;
}

static int parse(int argc, char **argv, struct chart_args *c)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"task", required_argument, NULL, OPT_TASK},
        {"model", required_argument, NULL, OPT_MODEL},
        {"phase", required_argument, NULL, OPT_PHASE},
        {"dataset", required_argument, NULL, OPT_DATASET},
        {"where", required_argument, NULL, OPT_WHERE},
        {"metric", required_argument, NULL, OPT_METRIC},
        {"width", required_argument, NULL, OPT_WIDTH},
        {"height", required_argument, NULL, OPT_HEIGHT},
        {"size", required_argument, NULL, OPT_SIZE},
        {"dpi", required_argument, NULL, OPT_DPI},
        {"scale", required_argument, NULL, OPT_SCALE},
        {"title", required_argument, NULL, OPT_TITLE},
        {"no-title", no_argument, NULL, OPT_NO_TITLE},
        {"palette", required_argument, NULL, OPT_PALETTE},
        {"theme", required_argument, NULL, OPT_THEME},
        {"top", required_argument, NULL, OPT_TOP},
        {"stars", required_argument, NULL, OPT_STARS},
        {NULL, 0, NULL, 0},
    };
    wp_chart_opts_defaults(&c->o);
    c->o.creator = "wattprint " WP_VERSION;
    int opt, rc;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1)
        if ((rc = parse_opt(opt, c)))
            return rc;
    char kinds[256];
    kind_list(kinds, sizeof kinds);
    if (optind >= argc)
        return wp_cli_usage(CMD, "which chart? give one of %s", kinds);
    if (optind + 1 < argc)
        return wp_cli_usage(CMD, "unexpected argument '%s'", argv[optind + 1]);
    c->kind = wp_chart_find(argv[optind]);
    if (!c->kind)
        return wp_cli_usage(CMD, "'%s' is not a chart; give one of %s", argv[optind], kinds);
    return check(c);
}

/* ---- the label's provenance ---------------------------------------------------------- */

struct tools {
    char list[256];     /* "CodeCarbon 2.3.1, CodeCarbon 2.8.3" */
    char hardware[256]; /* every hardware the model ran on, "; " between */
};

/* Collects the distinct "Tool version" of the runs, in store order. */
static int on_tool(void *ctx, const struct wp_run_row *r)
{
    struct tools *t = ctx;
    if (!*r->tool)
        return 0;
    char one[96];
    snprintf(one, sizeof one, "%s%s%s", wp_tool_display(r->tool), *r->tool_version ? " " : "",
             r->tool_version);
    size_t n = strlen(one), len = strlen(t->list);
    for (const char *p = t->list; (p = strstr(p, one)); p += n)
        if ((p == t->list || p[-2] == ',') && (p[n] == '\0' || p[n] == ','))
            return 0; /* already listed */
    if (len + n + 3 < sizeof t->list)
        snprintf(t->list + len, sizeof t->list - len, "%s%s", len ? ", " : "", one);
    return 0;
}

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
        len += (size_t)snprintf(tools->hardware + len, sizeof tools->hardware - len, "%s%s",
                                i ? "; " : "", h);
    }
    o->hardware = tools->hardware;
    o->measured_at = hw->newest_measurement;
    struct wp_run_filter f = ao.filter;
    f.labeled_only = true;
    return wp_store_each_run(s, &f, on_tool, tools, d);
}

static int render(struct wp_cli *cli, struct chart_args *c)
{
    wp_stats_init();
    struct wp_store *s = wp_cli_open_store(cli);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_analysis_opts ao;
    wp_analysis_defaults(&ao);
    ao.filter.task = c->o.task;
    ao.filter.model = c->o.model;
    ao.filter.phase = c->phase;
    ao.filter.dataset = c->dataset;
    ao.filter.where_key = c->where_key;
    ao.filter.where_value = c->where_value;
    ao.by = c->kind->by;
    ao.over_experiments = c->kind->over_experiments;
    /* only compare shows a bootstrap interval (of the ratio); the others need none */
    if (c->kind->render != wp_chart_compare)
        ao.boot.resamples = 0;
    bool is_label = c->kind->render == wp_chart_label;
    if (is_label)
        ao.filter.model = NULL; /* the stars rate the model among all models of the task */
    const struct wp_analysis *a = NULL, *hw = NULL;
    struct tools tools = {{0}, {0}};
    struct wp_diag d = {0};
    enum wp_err e = wp_analysis_get(cli->memo, s, &ao, &a, &d);
    if (!e && is_label) {
        e = provenance(cli, s, &ao, &c->o, &tools, &hw, &d);
        c->o.tools = tools.list;
    }
    wp_store_close(s);
    if (e) {
        wp_analysis_release(cli->memo, a);
        wp_analysis_release(cli->memo, hw);
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    /* SVG first: cairo numbers its surfaces process-wide and an SVG shows the number, so
     * an SVG drawn first has the same bytes as one drawn alone */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < c->n_outputs && !e; i++) {
            enum wp_format fmt = WP_FORMAT_PNG;
            wp_render_format(c->outputs[i], &fmt, NULL);
            if ((fmt == WP_FORMAT_SVG) != (pass == 0))
                continue;
            c->o.path = c->outputs[i];
            e = c->kind->render(a, &c->o, &d);
        }
    if (e)
        wp_cli_error(&d);
    else
        wp_cli_left_out(cli, a);
    wp_analysis_release(cli->memo, hw);
    wp_analysis_release(cli->memo, a);
    return !e ? WP_EXIT_OK : e == WP_ERR_USAGE ? WP_EXIT_USAGE : WP_EXIT_FAIL;
}

int wp_cmd_chart(struct wp_cli *c, int argc, char **argv)
{
    struct chart_args args = {0};
    int rc = parse(argc, argv, &args);
    if (rc)
        return rc;
    return render(c, &args);
}
