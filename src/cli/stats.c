/* wattprint stats: per-group statistics with uncertainty, the headline comparison of the
 * most and least energy-intensive tasks, scaling fits and the task-specific vs
 * multi-purpose comparison.  Every number comes from src/analysis/analysis.c. */
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/filter_opts.h"
#include "cli/logged.h"
#include "cli/restate.h"
#include "util/options.h"
#include "cli/stats_best.h"
#include "cli/stats_pairwise.h"
#include "cli/table.h"
#include "analysis/provenance.h"
#include "util/text.h"
#include "analysis/analysis.h"
#include "stats/columns.h"
#include "analysis/experiments.h"
#include "analysis/filter.h"
#include "analysis/plan.h"
#include "stats/reference.h"
#include "analysis/validity.h"
#include "util/num.h"
#include "util/units.h"

static const struct {
    const char *name;
    enum wp_group_by by;
} group_names[] = {
    {"task", WP_BY_TASK},       {"model", WP_BY_MODEL},       {"model,task", WP_BY_MODEL_TASK},
    {"dataset", WP_BY_DATASET}, {"hardware", WP_BY_HARDWARE},
    {"model,hardware", WP_BY_MODEL_HARDWARE},
};

static bool parse_by(const char *v, enum wp_group_by *by)
{
    for (size_t i = 0; i < sizeof group_names / sizeof group_names[0]; i++)
        if (strcmp(v, group_names[i].name) == 0) {
            *by = group_names[i].by;
            return true;
        }
    return false;
}

static bool parse_show(const char *v, unsigned *show)
{
    static const char *const names[] = {"groups", "headline", "scaling", "purpose", "tokens",
                                        "all"};
    static const unsigned bits[] = {WP_STATS_SHOW_GROUPS, WP_STATS_SHOW_HEADLINE, WP_STATS_SHOW_SCALING, WP_STATS_SHOW_PURPOSE,
                                    WP_STATS_SHOW_TOKENS, WP_STATS_SHOW_ALL};
    for (int i = 0; i < 6; i++)
        if (strcmp(v, names[i]) == 0) {
            *show = bits[i];
            return true;
        }
    return false;
}

static bool parse_quantiles(const char *v, struct wp_analysis_opts *a)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    char *save, *tok = strtok_r(buf, ",", &save);
    a->n_quantiles = 0;
    for (; tok; tok = strtok_r(NULL, ",", &save)) {
        double q;
        if (a->n_quantiles == WP_MAX_QUANTILES || wp_parse_num(tok, &q) != WP_NUM_OK ||
            q < 0 || q > 1) {
            wp_cli_usage("stats", "--quantiles: give up to %d numbers in [0, 1], e.g. 0.05,0.95",
                         WP_MAX_QUANTILES);
            return false;
        }
        a->quantiles[a->n_quantiles++] = q;
    }
    return true;
}

void wp_stats_cmd_defaults(struct wp_stats_cmd *o)
{
    *o = (struct wp_stats_cmd){0};
    wp_analysis_defaults(&o->a);
    o->show = WP_STATS_SHOW_ALL;
    o->meter_interval_s = NAN;
}

static int parse(int argc, char **argv, struct wp_stats_cmd *o)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT(0, "by", 'B'),         WP_OPT_ARG_OPT(0, "over", 'O'),
        WP_CLI_FILTER_OPTIONS,
        WP_OPT_ARG_OPT(0, "format", 'f'),     WP_OPT_ARG_OPT(0, "level", 'l'),
        WP_OPT_ARG_OPT(0, "seed", 's'),       WP_OPT_ARG_OPT(0, "resamples", 'r'),
        WP_OPT_ARG_OPT(0, "quantiles", 'q'),
        WP_OPT_ARG_OPT(0, "carbon-intensity", 'c'),
        WP_OPT_ARG_OPT(0, "region", 'R'),     WP_OPT_ARG_OPT(0, "pue", 'P'),
        WP_OPT_ARG_OPT(0, "show", 'S'),       WP_OPT_ARG_OPT(0, "where", 'W'),
        WP_OPT_ARG_OPT(0, "reference", 'F'),  WP_OPT_ARG_OPT(0, "unit", 'U'),
        WP_OPT_NOARG_OPT(0, "valid-only", 'V'),        WP_OPT_ARG_OPT(0, "plan", 'L'),
        WP_OPT_ARG_OPT(0, "meter-interval", 'I'),
        WP_OPT_NOARG_OPT(0, "measured-only", 'M'),
        WP_OPT_NOARG_OPT(0, "best", 'b'),             WP_OPT_ARG_OPT(0, "max-latency", 'X'),
        WP_OPT_ARG_OPT(0, "latency", 'y'),    WP_OPT_ARG_OPT(0, "energy", 'e'),
        WP_OPT_ARG_OPT(0, "gpu", 'g'),
        WP_CLI_RESTATE_OPTIONS,
        WP_OPT_NOARG_OPT(0, "pairwise", 'w'), WP_OPT_ARG_OPT(0, "pair", 'i'),
        WP_OPT_END_OPT,
    };
    wp_stats_cmd_defaults(o);
    int opt;
    long long n;
    const struct wp_grid *g;
    struct wp_options op;
    wp_options_init(&op, opts, WP_OPTIONS_STOP_AT_OPERAND, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;) {
        int rs = wp_cli_restate_opt("stats", opt, arg, &o->rs);
        if (rs < 0)
            return WP_EXIT_USAGE;
        if (rs)
            continue;
        switch (opt) {
        case 'B':
            o->by_project = strcmp(arg, "project") == 0;
            if (!o->by_project && !parse_by(arg, &o->a.by))
                return wp_cli_usage("stats", "--by: \"%s\" is not one of task, model, "
                                             "model,task, dataset, hardware, model,hardware, "
                                             "project",
                                    arg);
            break;
        case 'O':
            if (strcmp(arg, "runs") && strcmp(arg, "experiments"))
                return wp_cli_usage("stats", "--over: give runs or experiments");
            o->a.over_experiments = strcmp(arg, "experiments") == 0;
            break;
        case 'f':
            if (!wp_cli_outfmt("stats", arg, &o->fmt))
                return WP_EXIT_USAGE;
            break;
        case 'l':
            if (!wp_cli_number("stats", "--level", arg, 0, false, 1, &o->a.level))
                return WP_EXIT_USAGE;
            break;
        case 's':
            if (!wp_cli_count("stats", "--seed", arg, &n))
                return WP_EXIT_USAGE;
            o->a.boot.seed = (unsigned long)n;
            break;
        case 'r':
            if (!wp_cli_resamples("stats", arg, &o->a.boot.resamples))
                return WP_EXIT_USAGE;
            break;
        case 'q':
            if (!parse_quantiles(arg, &o->a))
                return WP_EXIT_USAGE;
            break;
        case 'c':
            if (!wp_cli_number("stats", "--carbon-intensity", arg, 0, true, INFINITY,
                               &o->a.carbon_intensity_g_per_kwh))
                return WP_EXIT_USAGE;
            break;
        case 'R':
            if (wp_stats_grid_lookup(arg, &g) != WP_OK)
                return wp_cli_usage("stats", "--region: no grid carbon intensity for \"%s\" "
                                             "(give an ISO 3166 alpha-3 code such as USA, "
                                             "FRA, or --carbon-intensity)", arg);
            o->a.carbon_intensity_g_per_kwh = g->g_per_kwh;
            break;
        case 'P':
            if (!wp_cli_number("stats", "--pue", arg, 1, true, INFINITY, &o->a.pue))
                return WP_EXIT_USAGE;
            break;
        case 'F': o->reference = arg; break;
        case 'b': o->best = true; break;
        case 'X':
            if (!wp_cli_number("stats", "--max-latency", arg, 0, false, INFINITY,
                               &o->b.max_latency_ms))
                return WP_EXIT_USAGE;
            break;
        case 'y': o->b.latency = arg; break;
        case 'e': o->b.energy = arg; break;
        case 'g': o->b.gpu = arg; break;
        case 'M': o->a.filter.measured_only = true; break;
        case 'U':
            if (!wp_unit_parse(arg, &o->a.unit))
                return wp_cli_usage("stats", "--unit: give model, experiment or run");
            break;
        case 'W': {
            char *eq = strchr(arg, '=');
            if (!eq || eq == arg)
                return wp_cli_usage("stats", "--where: give KEY=VALUE (a manifest column)");
            *eq = '\0';
            o->a.filter.where_key = arg;
            o->a.filter.where_value = eq + 1;
            break;
        }
        case 'S':
            if (!parse_show(arg, &o->show))
                return wp_cli_usage("stats", "--show: give groups, headline, scaling, purpose, "
                                             "tokens or all");
            break;
        case 'V': o->valid_only = true; break;
        case 'w': o->pairs.all = true; break;
        case 'i':
            if (!wp_cli_pair_add(&o->pairs, arg))
                return WP_EXIT_USAGE;
            break;
        case 'L': {
            char buf[64];
            snprintf(buf, sizeof buf, "%s", arg);
            size_t len = strlen(buf);
            if (len && buf[len - 1] == '%')
                buf[len - 1] = '\0';
            if (wp_parse_num(buf, &o->plan) != WP_NUM_OK || !(o->plan > 0.0) ||
                !(o->plan < 100.0))
                return wp_cli_usage("stats", "--plan: \"%s\" must be a percentage above 0 "
                                             "and below 100 (5 or 5%%)", arg);
            o->plan /= 100.0;
            break;
        }
        case 'I':
            if (!wp_cli_meter_interval("stats", arg, &o->meter_interval_s))
                return WP_EXIT_USAGE;
            break;
        default:
            if (!wp_cli_filter_opt(opt, arg, &o->a.filter))
                return wp_cli_usage("stats", "unknown option");
        }
    }
    if ((opt = wp_cli_options_done("stats", &op, opt, 0)))
        return opt;
    if (!wp_cli_restate_check("stats", &o->rs))
        return WP_EXIT_USAGE;
    if ((o->pairs.all || o->pairs.n) && o->a.by != WP_BY_TASK)
        return wp_cli_usage("stats", "--pairwise and --pair compare tasks: give no --by (or "
                                     "--by task)");
    if (o->pairs.all && o->pairs.n)
        return wp_cli_usage("stats", "give --pairwise (every pair) or --pair A,B, not both");
    if (!isnan(o->meter_interval_s) && !o->valid_only)
        return wp_cli_usage("stats", "--meter-interval goes with --valid-only");
    if (o->best != (o->b.max_latency_ms > 0) ||
        (!o->best && (o->b.latency || o->b.energy || o->b.gpu)))
        return wp_cli_usage("stats", "--best goes with --max-latency MS (and --latency, "
                                     "--energy, --gpu only with them)");
    if (o->by_project && (wp_filter_is_set(&o->a.filter) || o->a.filter.measured_only ||
                          o->valid_only || o->plan > 0 || o->reference || o->best ||
                          o->rs.above_idle || o->rs.intensity_path))
        return wp_cli_usage("stats", "--by project shows every run not yet labelled, by what "
                                     "its log names: it takes no filter, phase, "
                                     "--measured-only, --valid-only, --plan, --best, "
                                     "--reference, --above-idle or --intensity");
    return WP_EXIT_OK;
}

/* ---- groups --------------------------------------------------------------------------- */

/* The table's description of a shared column (stats/columns.h): the kinds in order. */
static struct wp_col table_col(const struct wp_gcol *c)
{
    static const enum wp_coltype types[] = {WP_COL_TEXT, WP_COL_INT, WP_COL_NUM, WP_COL_BOOL,
                                            WP_COL_CI_LO};
    return (struct wp_col){c->name, types[c->kind], c->sig};
}

static bool is_token_col(const char *name)
{
    static const char *const names[] = {"token_experiments", "tokens_per_inference",
                                        "output_tokens_per_inference", "kwh_per_1k_tokens",
                                        "j_per_output_token"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}
#define N_GROUP_COLS WP_N_GROUP_COLS

/* The columns the people's table shows (the rest are in csv and json). */
static const char *const table_cols[] = {
    "task", "model", "dataset", "hardware", "runs", "n", "n_units", "mean_kwh_per_1k",
    "sd_kwh_per_1k",
    "median_kwh_per_1k", "unit_mean_kwh_per_1k", "ci_t_lo_kwh_per_1k", "ci_t_hi_kwh_per_1k",
    "mean_g_co2eq_per_1k",
    "whatif_g_co2eq_per_1k", "small_n", "tokens_per_inference", "kwh_per_1k_tokens",
    "j_per_output_token",
};

static bool column_used(const struct wp_stats_cmd *o, const struct wp_col *c)
{
    enum wp_group_by by = o->a.by;
    if (strcmp(c->name, "task") == 0)
        return by == WP_BY_TASK || by == WP_BY_MODEL_TASK;
    if (strcmp(c->name, "model") == 0)
        return by == WP_BY_MODEL || by == WP_BY_MODEL_TASK || by == WP_BY_MODEL_HARDWARE;
    if (strcmp(c->name, "dataset") == 0)
        return by == WP_BY_DATASET;
    if (strcmp(c->name, "hardware") == 0)
        return by == WP_BY_HARDWARE || by == WP_BY_MODEL_HARDWARE;
    if (strcmp(c->name, "whatif_g_co2eq_per_1k") == 0)
        return !isnan(o->a.carbon_intensity_g_per_kwh);
    if (strcmp(c->name, "parity_inferences") == 0)
        return by == WP_BY_MODEL || by == WP_BY_MODEL_TASK;
    /* per token: always in csv and json (stable columns), in the table where known */
    if (is_token_col(c->name) && o->fmt == WP_OUT_TABLE && !o->has_tokens)
        return false;
    if (o->fmt != WP_OUT_TABLE)
        return true;
    /* the centre of ci_t beside it, where it is not the mean over runs already shown */
    if (strcmp(c->name, "unit_mean_kwh_per_1k") == 0 && wp_analysis_unit(&o->a) == WP_UNIT_RUN)
        return false;
    for (size_t i = 0; i < sizeof table_cols / sizeof table_cols[0]; i++)
        if (strcmp(table_cols[i], c->name) == 0)
            return true;
    return false;
}

/* Columns that set a group against a published reference (--reference). */
static const struct wp_col ref_cols[] = {
    {"ref_mean_kwh_per_1k", WP_COL_NUM, 4}, {"ref_sd_kwh_per_1k", WP_COL_NUM, 3},
    {"diff_mean_kwh_per_1k", WP_COL_NUM, 3}, {"mean_agrees", WP_COL_TEXT, 0},
    {"sd_agrees", WP_COL_TEXT, 0},          {"ref_mean_g_co2eq_per_1k", WP_COL_NUM, 4},
    {"g_agrees", WP_COL_TEXT, 0},
};
#define N_REF_COLS (sizeof ref_cols / sizeof ref_cols[0])

/* The selection a row comes from, so that a CSV read alone says it (csv and json only). */
static const struct wp_col sel_cols[] = {
    {"phase", WP_COL_TEXT, 0},
    {"where", WP_COL_TEXT, 0},
};
#define N_SEL_COLS (sizeof sel_cols / sizeof sel_cols[0])
#define N_ALL_COLS (N_GROUP_COLS + N_SEL_COLS + WP_MAX_QUANTILES + N_REF_COLS)

static const char *group_key(const struct wp_stats_cmd *o, const struct wp_group_stats *g)
{
    switch (o->a.by) {
    case WP_BY_TASK: return g->task;
    case WP_BY_MODEL: return g->model;
    case WP_BY_DATASET: return g->dataset;
    default: return NULL;
    }
}

static const char *agrees(double v, double printed, double unit)
{
    if (isnan(printed))
        return "";
    return wp_reference_agrees(v, printed, unit) ? "yes" : "no";
}

static int print_groups(const struct wp_stats_cmd *o, const struct wp_analysis *a, FILE *out)
{
    struct wp_col cols[N_ALL_COLS];
    char qnames[WP_MAX_QUANTILES][32];
    size_t map[N_ALL_COLS], n = 0;
    for (size_t i = 0; i < N_GROUP_COLS; i++) {
        struct wp_col col = table_col(&wp_group_cols[i]);
        if (column_used(o, &col)) {
            map[n] = i;
            cols[n++] = col;
        }
    }
    for (size_t i = 0; o->fmt != WP_OUT_TABLE && i < N_SEL_COLS; i++) {
        map[n] = N_GROUP_COLS + i;
        cols[n++] = sel_cols[i];
    }
    const size_t q0 = N_GROUP_COLS + N_SEL_COLS, r0 = q0 + WP_MAX_QUANTILES;
    for (size_t q = 0; q < o->a.n_quantiles; q++) {
        snprintf(qnames[q], sizeof qnames[q], "p%g_kwh_per_1k", o->a.quantiles[q] * 100);
        map[n] = q0 + q;
        cols[n++] = (struct wp_col){qnames[q], WP_COL_NUM, 4};
    }
    for (size_t r = 0; o->reference && r < N_REF_COLS; r++) {
        map[n] = r0 + r;
        cols[n++] = ref_cols[r];
    }
    char where[512] = "";
    if (o->a.filter.where_key)
        snprintf(where, sizeof where, "%s=%s", o->a.filter.where_key,
                 o->a.filter.where_value ? o->a.filter.where_value : "");
    const void *sel[N_SEL_COLS] = {o->a.filter.phase ? o->a.filter.phase : "", where};
    struct wp_table *t = wp_table_new(out, o->fmt, cols, n);
    if (!t)
        return -1;
    for (size_t gi = 0; gi < a->n_groups; gi++) {
        const struct wp_group_stats *g = &a->groups[gi];
        union wp_gcell vals[N_GROUP_COLS];
        const void *all[N_GROUP_COLS];
        for (size_t i = 0; i < N_GROUP_COLS; i++) {
            vals[i] = wp_gcol_get(&wp_group_cols[i], a->unit, g);
            enum wp_gcol_kind k = wp_group_cols[i].kind;
            all[i] = k == WP_GCOL_TEXT ? (const void *)vals[i].text
                     : k == WP_GCOL_CI ? (const void *)vals[i].ci
                                       : (const void *)&vals[i];
        }
        const struct wp_reference_row *ref = wp_reference_find(&o->ref, group_key(o, g));
        double ref_mean = ref ? ref->mean : NAN, ref_sd = ref ? ref->sd : NAN;
        double ref_g = ref ? ref->g_mean : NAN, diff = g->kwh.mean - ref_mean;
        const void *refs[N_REF_COLS] = {
            &ref_mean, &ref_sd, &diff,
            ref ? agrees(g->kwh.mean, ref->mean, ref->mean_unit) : "",
            ref ? agrees(g->kwh.sd, ref->sd, ref->sd_unit) : "",
            &ref_g,
            ref ? agrees(g->g.mean, ref->g_mean, ref->g_unit) : "",
        };
        const void *cells[N_ALL_COLS];
        for (size_t k = 0; k < n; k++)
            cells[k] = map[k] < N_GROUP_COLS ? all[map[k]]
                       : map[k] < q0         ? sel[map[k] - N_GROUP_COLS]
                       : map[k] < r0         ? (const void *)&g->quantiles[map[k] - q0]
                                             : refs[map[k] - r0];
        wp_table_row(t, cells);
    }
    return wp_table_end(t);
}

/* ---- per token: every experiment with token counts ----------------------------------- */

static const struct wp_col token_cols[] = {
    {"task", WP_COL_TEXT, 0},
    {"model", WP_COL_TEXT, 0},
    {"dataset", WP_COL_TEXT, 0},
    {"runs", WP_COL_INT, 0},
    {"mean_kwh_per_1k", WP_COL_NUM, 4},
    {"mean_j_per_inference", WP_COL_NUM, 4},
    {"token_samples", WP_COL_INT, 0},
    {"input_tokens", WP_COL_INT, 0},
    {"output_tokens", WP_COL_INT, 0},
    {"tokens_per_inference", WP_COL_NUM, 4},
    {"output_tokens_per_inference", WP_COL_NUM, 4},
    {"kwh_per_1k_tokens", WP_COL_NUM, 4},
    {"ci_t_lo_kwh_per_1k_tokens", WP_COL_NUM, 4},
    {"ci_t_hi_kwh_per_1k_tokens", WP_COL_NUM, 4},
    {"j_per_output_token", WP_COL_NUM, 4},
};
#define N_TOKEN_COLS (sizeof token_cols / sizeof token_cols[0])

static int print_tokens(enum wp_outfmt fmt, const struct wp_experiments *x, FILE *out)
{
    struct wp_table *t = wp_table_new(out, fmt, token_cols, N_TOKEN_COLS);
    if (!t)
        return -1;
    for (size_t i = 0; i < x->n; i++) {
        const struct wp_experiment_stats *e = &x->v[i];
        if (!e->tokens.n)
            continue;
        long long runs = (long long)e->n_runs;
        const void *cells[N_TOKEN_COLS] = {
            e->task, e->model, e->dataset, &runs, &e->kwh.mean, &e->j_per_inference,
            &e->token_samples, &e->input_tokens, &e->output_tokens,
            &e->tokens.tokens_per_inference, &e->tokens.output_tokens_per_inference,
            &e->tokens.kwh_per_1k_tokens, &e->kwh_per_1k_tokens_lo, &e->kwh_per_1k_tokens_hi,
            &e->tokens.j_per_output_token,
        };
        wp_table_row(t, cells);
    }
    return wp_table_end(t);
}

/* ---- the other sections, for people ---------------------------------------------------- */

/* A number for people: %.PRECf ('f') or %.PRECg ('g'), or "-" when it is not finite (no
 * "nan", no "inf"). */
static const char *num(char buf[32], int prec, char conv, double v)
{
    if (!isfinite(v))
        return "-";
    snprintf(buf, 32, conv == 'f' ? "%.*f" : "%.*g", prec, v);
    return buf;
}

/* A label for people, its control characters escaped (freed by the caller; NULL: OOM). */
static char *label(const char *s)
{
    return wp_text_escape_controls(s);
}

/* "over 10 vs 8 models" */
static void print_units(const struct wp_analysis *a, size_t n_a, size_t n_b, FILE *out)
{
    fprintf(out, "over %zu vs %zu %s", n_a, n_b, wp_unit_name(a->unit, n_b));
}

/* " (95% cluster bootstrap CI 500.5 to 2230)", or why there is none */
static void print_ratio_ci(const struct wp_analysis *a, const struct wp_ratio *r, FILE *out)
{
    if (!isfinite(r->lo) || !isfinite(r->hi))
        fprintf(out, " (no interval%s)",
                r->n_a < 2 || r->n_b < 2 ? ": a group of one unit" : "");
    else
        fprintf(out, " (%g%% %s CI %.4g to %.4g)", r->level * 100,
                a->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap", r->lo, r->hi);
}

static void print_welch(const char *what, const struct wp_welch *w, FILE *out)
{
    char p[32], b[2][32];
    wp_stats_p_text(w->p, p, sizeof p);
    fprintf(out, "Welch's t-test on %s: t = %s, df = %s, p %s%s", what, num(b[0], 3, 'f', w->t),
            num(b[1], 1, 'f', w->df), w->p < 1e-16 ? "" : "= ", isfinite(w->p) ? p : "-");
}

static void print_headline(const struct wp_analysis *a, FILE *out)
{
    const struct wp_headline *h = &a->headline;
    if (!h->has)
        return;
    const struct wp_group_stats *g2[2] = {h->most, h->least};
    char b[5][32], *most = label(h->most->task);
    for (int k = 0; k < 2; k++) {
        char *task = label(g2[k]->task);
        fprintf(out, "%s energy-intensive task: %s, %s kWh per 1,000 inferences (%zu runs",
                k ? "Least" : "\nMost", task ? task : "?", num(b[0], 4, 'g', g2[k]->kwh.mean),
                g2[k]->n_runs);
        free(task);
        if (a->unit != WP_UNIT_RUN)
            fprintf(out, ", %zu %s", g2[k]->n_units, wp_unit_name(a->unit, g2[k]->n_units));
        fputs(").\n", out);
    }
    char raw[48], lg[64];
    snprintf(raw, sizeof raw, "the %s means", wp_unit_name(a->unit, 1));
    snprintf(lg, sizeof lg, "log10 of the %s means", wp_unit_name(a->unit, 1));
    fprintf(out, "Ratio of means ");
    print_units(a, h->ratio.n_a, h->ratio.n_b, out);
    if (a->unit != WP_UNIT_RUN) /* each unit weighted once: not the run means above */
        fprintf(out, " (%s / %s, the means of the %s means)", num(b[0], 4, 'g', h->ratio.mean_a),
                num(b[1], 4, 'g', h->ratio.mean_b), wp_unit_name(a->unit, 1));
    fprintf(out, ": %s", num(b[2], 4, 'g', h->ratio.ratio));
    print_ratio_ci(a, &h->ratio, out);
    fputs("; ", out);
    print_welch(a->unit == WP_UNIT_RUN ? "the runs" : raw, &h->welch_raw, out);
    fputs(".\nRatio of geometric means: ", out);
    fprintf(out, "%s", num(b[3], 4, 'g', h->geo.ratio));
    print_ratio_ci(a, &h->geo, out);
    fputs("; ", out);
    print_welch(a->unit == WP_UNIT_RUN ? "log10 of the runs" : lg, &h->welch, out);
    fputs(".\n", out);
    const struct wp_equiv *eq = h->most->equiv; /* from the analysis */
    for (size_t i = 0; i < h->most->n_equiv; i++)
            fprintf(out, "  1,000 inferences of %s ~ %s %s (%s)\n", most ? most : "?",
                    num(b[4], 3, 'g', eq[i].amount), eq[i].factor->unit, eq[i].factor->source);
    free(most);
}

static void print_scaling(const struct wp_analysis *a, FILE *out)
{
    if (!a->n_scaling)
        return;
    fprintf(out, "\nScaling: log10(kWh per 1,000 inferences) = intercept + slope x "
                 "log10(parameters), least squares over one point per %s%s\n",
            wp_unit_name(a->unit, 1),
            a->unit == WP_UNIT_MODEL ? " (the mean of its experiments)"
            : a->unit == WP_UNIT_RUN ? " (assumes independent runs)" : "");
    char ci[24];
    snprintf(ci, sizeof ci, "%g%% CI", a->opts.level * 100);
    fprintf(out, "%-22s %5s %9s %17s %7s %9s %9s %9s\n", "task", "n", "slope", ci, "R^2",
            "p_slope", "p_holm", "spearman");
    for (size_t i = 0; i < a->n_scaling; i++) {
        const struct wp_scaling *s = &a->scaling[i];
        char range[40], p[32], ph[32], b[2][32], *task = s->task ? label(s->task) : NULL;
        snprintf(range, sizeof range, "%.3f to %.3f", s->slope_lo, s->slope_hi);
        wp_stats_p_text(s->fit.p_slope, p, sizeof p);
        wp_stats_p_text(s->p_holm, ph, sizeof ph);
        char rho[16] = "n/a";
        if (isfinite(s->fit.spearman_rho))
            snprintf(rho, sizeof rho, "%.3f", s->fit.spearman_rho);
        fprintf(out, "%-22s %5zu %9s %17s %7s %9s %9s %9s%s\n",
                task ? task : s->task ? "?" : "(all, task term)", s->fit.n,
                num(b[0], 3, 'f', s->fit.slope),
                isfinite(s->slope_lo) && isfinite(s->slope_hi) ? range : "n/a",
                num(b[1], 3, 'f', s->fit.r2), isfinite(s->fit.p_slope) ? p : "-",
                s->task ? isfinite(s->p_holm) ? ph : "-" : "", rho,
                s->fit.is_small ? "  (few points)" : "");
        free(task);
    }
    const struct wp_scaling *all = &a->scaling[a->n_scaling - 1];
    fprintf(out, "p_holm: Holm-adjusted over the %zu per-task slopes.  (all, task term): the "
                 "slope within tasks (each task's own intercept, %zu tasks), R^2 within tasks; "
                 "a slope pooled without it would mix differences between tasks.\n",
            a->n_scaling - 1, all->n_tasks);
}

static void print_purpose(const struct wp_analysis *a, FILE *out)
{
    if (!a->n_purpose)
        return;
    fprintf(out, "\nMulti-purpose vs task-specific models (kWh per 1,000 inferences, over %s; "
                 "ratio of means first)\n", wp_unit_name(a->unit, 2));
    char ci[24];
    snprintf(ci, sizeof ci, "%g%% CI", a->opts.level * 100);
    fprintf(out, "%-22s %7s %10s %7s %10s %8s %17s %9s %9s\n", "task", "n_multi", "mean_multi",
            "n_spec", "mean_spec", "ratio", ci, "p_welch", "p_holm");
    for (size_t i = 0; i < a->n_purpose; i++) {
        const struct wp_purpose_cmp *p = &a->purpose[i];
        char range[72], pt[32], ph[32], b[3][32], *task = label(p->task);
        if (!isfinite(p->ratio.lo) || !isfinite(p->ratio.hi))
            snprintf(range, sizeof range, "none (1 %s)", wp_unit_name(a->unit, 1));
        else
            snprintf(range, sizeof range, "%.3g-%.3g", p->ratio.lo, p->ratio.hi);
        wp_stats_p_text(p->welch.p, pt, sizeof pt);
        wp_stats_p_text(p->p_holm, ph, sizeof ph);
        fprintf(out, "%-22s %7zu %10s %7zu %10s %8s %17s %9s %9s\n", task ? task : "?",
                p->ratio.n_a, num(b[0], 4, 'g', p->ratio.mean_a), p->ratio.n_b,
                num(b[1], 4, 'g', p->ratio.mean_b), num(b[2], 3, 'g', p->ratio.ratio), range,
                isfinite(p->welch.p) ? pt : "-", isfinite(p->p_holm) ? ph : "-");
        free(task);
    }
    fprintf(out, "n: %s; p_welch: Welch's t-test on log10 of the %s means; p_holm: "
                 "Holm-adjusted over the %zu tasks compared.\n", wp_unit_name(a->unit, 2),
            wp_unit_name(a->unit, 1), a->n_purpose);
}

/* ---- json: every section in one object -------------------------------------------------- */

static void json_text_or_null(FILE *out, const char *key, const char *v)
{
    fprintf(out, "\"%s\": ", key);
    if (v)
        wp_json_put_text(out, v);
    else
        fputs("null", out);
}

/* What the numbers are and where they came from: the tool, the selection, the statistic's
 * unit, level and bootstrap, and the inputs' fingerprint (wp_sources_digest). */
static void json_meta(const struct wp_stats_cmd *o, const char *sources_sha256, size_t n_sources,
                      FILE *out)
{
    const struct wp_analysis_opts *a = &o->a;
    const struct wp_run_filter *f = &a->filter;
    const char *by = "task";
    for (size_t i = 0; i < sizeof group_names / sizeof group_names[0]; i++)
        if (group_names[i].by == a->by)
            by = group_names[i].name;
    fputs("\"meta\": {\"tool\": \"wattprint\", \"version\": \"" WP_VERSION "\",\n ", out);
    fputs("\"selection\": {", out);
    const char *const sel[][2] = {{"task", f->task},           {"model", f->model},
                                  {"dataset", f->dataset},     {"where_key", f->where_key},
                                  {"where_value", f->where_value}};
    for (size_t i = 0; i < sizeof sel / sizeof sel[0]; i++) {
        fputs(i ? ", " : "", out);
        json_text_or_null(out, sel[i][0], sel[i][1]);
    }
    fputs(", \"labelled_only\": true},\n ", out);
    json_text_or_null(out, "phase", f->phase); /* null: each run's total */
    if (f->measured_only) /* only when asked: the key's absence keeps older json as it was */
        fputs(", \"measured_only\": true", out);
    /* "over": what the means average; "unit": what the intervals and tests take as independent */
    fprintf(out, ", \"by\": \"%s\", \"over\": \"%s\", \"unit\": \"%s\", ", by,
            a->over_experiments ? "experiments" : "runs", wp_unit_name(wp_analysis_unit(a), 1));
    fputs("\"measures\": \"kWh and g CO2eq per 1,000 inferences\",\n ", out);
    fprintf(out, "\"level\": %.17g, \"seed\": %lu, \"resamples\": %zu,\n ", a->level,
            a->boot.seed, a->boot.resamples);
    if (o->valid_only) /* only then: the documented meta of other runs stays as it was */
        fprintf(out, "\"valid_only\": true, \"excluded_invalid_runs\": %zu,\n ",
                o->n_invalid);
    wp_cli_restate_json(&o->restate, out);
    fprintf(out, "\"sources\": %zu, \"sources_sha256\": \"%s\"},\n", n_sources, sources_sha256);
}

static void json_num(FILE *out, const char *key, double v, bool comma)
{
    if (isnan(v) || isinf(v))
        fprintf(out, "\"%s\": null%s", key, comma ? ", " : "");
    else
        fprintf(out, "\"%s\": %.17g%s", key, v, comma ? ", " : "");
}

/* A ratio with its interval as members NAME, NAME_ci_lo, NAME_ci_hi, each followed by ", ". */
static void json_ratio_ci(FILE *out, const char *name, const struct wp_ratio *r)
{
    char key[64];
    json_num(out, name, r->ratio, true);
    snprintf(key, sizeof key, "%s_ci_lo", name);
    json_num(out, key, r->lo, true);
    snprintf(key, sizeof key, "%s_ci_hi", name);
    json_num(out, key, r->hi, true);
}

/* A ratio of means as members level, mean_A_kwh_per_1k, mean_B_kwh_per_1k and the ratio
 * with its interval, each followed by ", ". */
static void json_ratio_of_means(FILE *out, double level, const struct wp_ratio *r,
                                const char *a, const char *b)
{
    char key[64];
    json_num(out, "level", level, true);
    snprintf(key, sizeof key, "mean_%s_kwh_per_1k", a);
    json_num(out, key, r->mean_a, true);
    snprintf(key, sizeof key, "mean_%s_kwh_per_1k", b);
    json_num(out, key, r->mean_b, true);
    json_ratio_ci(out, "ratio", r);
}

/* Welch's test as members PREFIX_t, PREFIX_df, PREFIX_p; ", " after the last when comma. */
static void json_welch(FILE *out, const char *prefix, const struct wp_welch *w, bool comma)
{
    char key[64];
    snprintf(key, sizeof key, "%s_t", prefix);
    json_num(out, key, w->t, true);
    snprintf(key, sizeof key, "%s_df", prefix);
    json_num(out, key, w->df, true);
    snprintf(key, sizeof key, "%s_p", prefix);
    json_num(out, key, w->p, comma);
}

static int json_sections(const struct wp_analysis *a, const struct wp_experiments *x,
                         FILE *out)
{
    const struct wp_headline *h = &a->headline;
    fputs(",\n\"headline\": ", out);
    if (!h->has) {
        fputs("null", out);
    } else {
        fputs("{\"most\": ", out);
        wp_json_put_text(out, h->most->task);
        fputs(", \"least\": ", out);
        wp_json_put_text(out, h->least->task);
        fputs(", ", out);
        fprintf(out, "\"unit\": \"%s\", \"n_most\": %zu, \"n_least\": %zu, ",
                wp_unit_name(a->unit, 1), h->ratio.n_a, h->ratio.n_b);
        json_ratio_of_means(out, a->opts.level, &h->ratio, "most", "least");
        json_welch(out, "welch", &h->welch_raw, true);
        json_ratio_ci(out, "ratio_geomean", &h->geo);
        json_welch(out, "welch_log10", &h->welch, false);
        fputs("}", out);
    }
    fputs(",\n\"scaling\": [", out);
    for (size_t i = 0; i < a->n_scaling; i++) {
        const struct wp_scaling *s = &a->scaling[i];
        fprintf(out, "%s\n {\"task\": ", i ? "," : "");
        if (s->task)
            wp_json_put_text(out, s->task);
        else
            fputs("null", out);
        fputs(", ", out);
        fprintf(out, "\"unit\": \"%s\", \"n\": %zu, ", wp_unit_name(a->unit, 1), s->fit.n);
        if (!s->task)
            fprintf(out, "\"task_term\": true, \"n_tasks\": %zu, ", s->n_tasks);
        json_num(out, "slope", s->fit.slope, true);
        json_num(out, "slope_ci_lo", s->slope_lo, true);
        json_num(out, "slope_ci_hi", s->slope_hi, true);
        json_num(out, "df", s->fit.df, true);
        json_num(out, "se_slope", s->fit.se_slope, true);
        json_num(out, "intercept", s->fit.intercept, true);
        json_num(out, "se_intercept", s->fit.se_intercept, true);
        json_num(out, "r2", s->fit.r2, true);
        json_num(out, "p_slope", s->fit.p_slope, true);
        json_num(out, "p_slope_holm", s->p_holm, true);
        json_num(out, "spearman_rho", s->fit.spearman_rho, true);
        json_num(out, "spearman_p", s->fit.spearman_p, false);
        fputs("}", out);
    }
    fputs("],\n\"purpose\": [", out);
    for (size_t i = 0; i < a->n_purpose; i++) {
        const struct wp_purpose_cmp *p = &a->purpose[i];
        fprintf(out, "%s\n {\"task\": ", i ? "," : "");
        wp_json_put_text(out, p->task);
        fprintf(out, ", \"unit\": \"%s\", \"n_multi\": %zu, \"n_specific\": %zu, ",
                wp_unit_name(a->unit, 1), p->ratio.n_a, p->ratio.n_b);
        json_ratio_of_means(out, a->opts.level, &p->ratio, "multi", "specific");
        json_welch(out, "welch_log10", &p->welch, true);
        json_num(out, "welch_log10_p_holm", p->p_holm, false);
        fputs("}", out);
    }
    fputs("],\n\"tokens\": ", out);
    int rc = print_tokens(WP_OUT_JSON, x, out);
    fputs("}\n", out);
    return rc;
}

/* ---- plan (--plan) --------------------------------------------------------------------- */

static const struct wp_col plan_cols[] = {
    {"group", WP_COL_TEXT, 0},           {"unit", WP_COL_TEXT, 0},
    {"mean_kwh_per_1k", WP_COL_NUM, 4},  {"n_units", WP_COL_INT, 0},
    {"experiments_per_unit", WP_COL_NUM, 3}, {"runs_per_experiment", WP_COL_NUM, 3},
    {"sd_units_kwh_per_1k", WP_COL_NUM, 3}, {"sd_experiments_kwh_per_1k", WP_COL_NUM, 3},
    {"sd_runs_kwh_per_1k", WP_COL_NUM, 3},  {"half_width_pct", WP_COL_NUM, 3},
    {"target_pct", WP_COL_NUM, 3},       {"reached", WP_COL_BOOL, 0},
    {"runs_needed", WP_COL_INT, 0},      {"experiments_needed", WP_COL_INT, 0},
    {"units_needed", WP_COL_INT, 0},
};

static int print_plan(const struct wp_stats_cmd *o, const struct wp_plans *p, FILE *out)
{
    struct wp_table *t =
        wp_table_new(out, o->fmt, plan_cols, sizeof plan_cols / sizeof plan_cols[0]);
    if (!t)
        return WP_EXIT_FAIL;
    const char *unit = wp_unit_name(p->unit, 1);
    for (size_t i = 0; i < p->n; i++) {
        const struct wp_plan_row *r = &p->v[i];
        const struct wp_plan *x = &r->plan;
        char name[512];
        snprintf(name, sizeof name, "%s%s%s", r->model ? r->model : "",
                 r->model && r->task ? " / " : "",
                 r->task ? r->task : r->dataset ? r->dataset : r->hardware ? r->hardware : "");
        long long nu = (long long)x->n_units;
        double su = sqrt(x->var_unit), se = x->has_var_exp ? sqrt(x->var_exp) : NAN;
        double sr = x->has_var_run ? sqrt(x->var_run) : NAN;
        double hw = x->half_now * 100.0, tg = x->target * 100.0;
        /* 0: not reachable by that count alone */
        long long rn = (long long)x->runs_needed, en = (long long)x->exps_needed;
        long long un = (long long)x->units_needed;
        const void *cells[] = {name, unit, &x->mean, &nu, &x->exps_per_unit, &x->runs_per_exp,
                               &su, &se, &sr, &hw, &tg, &x->is_reached, &rn, &en, &un};
        wp_table_row(t, cells);
    }
    if (wp_table_end(t))
        return WP_EXIT_FAIL;
    if (o->fmt == WP_OUT_TABLE)
        fprintf(out,
                "\nhalf_width_pct: the %g%% t interval over the %s means now, +/- a share of "
                "the mean; runs_needed, experiments_needed, units_needed: the smallest count "
                "of that level alone (the others as now) that brings it within +/- %g%%, by "
                "the variance components sd_units, sd_experiments, sd_runs (moment "
                "estimates; empty where the data cannot show the level); 0: no count up to "
                "%d does.\n",
                o->a.level * 100.0, unit, o->plan * 100.0, WP_PLAN_MAX);
    return 0;
}

int wp_cmd_stats(struct wp_cli *c, int argc, char **argv)
{
    struct wp_stats_cmd o;
    int rc = parse(argc, argv, &o);
    return rc ? rc : wp_stats_cmd_run(c, &o, c->out);
}

int wp_stats_cmd_run(struct wp_cli *c, const struct wp_stats_cmd *opts, FILE *out)
{
    struct wp_stats_cmd o = *opts; /* the run's own: it fills ref, has_tokens, n_invalid */
    int rc = WP_EXIT_OK;
    if (o.best) {
        o.b.task = o.a.filter.task;
        o.b.model = o.a.filter.model;
        o.b.where_key = o.a.filter.where_key;
        o.b.where_value = o.a.filter.where_value;
        o.b.fmt = o.fmt;
        return wp_cli_stats_best(c, &o.b, out);
    }
    wp_stats_init();
    struct wp_diag d = {0};
    if (o.reference && wp_reference_load(o.reference, &o.ref, &d)) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    struct wp_store *s = wp_cli_open_store_for(c, &o.a.filter);
    if (!s) {
        wp_reference_free(&o.ref);
        return WP_EXIT_FAIL;
    }
    if (o.by_project) { /* the groups the logs name: no label needed */
        size_t groups = 0;
        rc = wp_cli_logged(c, s, o.fmt, true, &o.a.boot, &groups);
        if (!rc && !groups && !c->quiet)
            fprintf(stderr, "wattprint: note: no run is left without energy per 1,000 "
                            "inferences: 'wattprint stats' has them all\n");
        wp_store_close(s);
        wp_reference_free(&o.ref);
        return rc;
    }
    const struct wp_analysis *a = NULL;
    struct wp_experiments x = {0};
    /* csv with --show tokens alone is the per-token table: no bootstrap interval in it */
    struct wp_analysis_opts ao = o.a;
    if (o.fmt == WP_OUT_CSV && o.show == WP_STATS_SHOW_TOKENS)
        ao.boot.resamples = 0;
    struct wp_validity v = {0};
    enum wp_err e = WP_OK;
    if (o.valid_only) { /* the flagged runs, left out of every number below */
        struct wp_validity_opts vo;
        wp_validity_defaults(&vo);
        vo.meter_interval_s = o.meter_interval_s;
        if (!(e = wp_validity_run(s, &o.a.filter, &vo, &v, &d))) {
            ao.filter.exclude_run_ids = v.run_ids;
            ao.filter.n_exclude_run_ids = o.n_invalid = v.n_runs_flagged;
            if (!c->quiet)
                fprintf(stderr, "wattprint: --valid-only: %zu run(s) flagged by the validity "
                                "checks left out (%zu short window, %zu first-run outlier, "
                                "%zu sample gap, %zu part-time power; see 'wattprint "
                                "validity')\n",
                        v.n_runs_flagged, v.n_short_window, v.n_first_outlier,
                        v.n_sample_gap, v.n_part_time_power);
        }
    }
    if (!e && !wp_cli_restate_setup(s, &o.rs, &ao.filter, &o.restate)) {
        wp_store_close(s);
        wp_validity_free(&v);
        wp_reference_free(&o.ref);
        return WP_EXIT_FAIL;
    }
    if (!e)
        e = wp_restate_need_baseline(&o.restate, &d);
    if (!e && o.plan > 0.0) {
        struct wp_plans p;
        if (!(e = wp_plans_run(s, &ao, o.plan, &p, &d))) {
            wp_store_close(s);
            if (o.fmt == WP_OUT_JSON)
                fputs("{\"plan\": ", out);
            rc = print_plan(&o, &p, out);
            if (o.fmt == WP_OUT_JSON)
                fputs("}\n", out);
            wp_plans_free(&p);
            wp_restate_free(&o.restate);
            wp_validity_free(&v);
            wp_reference_free(&o.ref);
            return rc;
        }
    }
    if (!e)
        e = wp_analysis_get(c->memo, s, &ao, &a, &d);
    /* task vs task: the pairs asked for, over the analysis' unit */
    struct wp_pairwise pw = {0};
    bool want_pairs = o.pairs.all || o.pairs.n;
    if (!e && want_pairs && (e = wp_analysis_pairwise(s, a, o.pairs.names, o.pairs.n, &pw, &d)))
        wp_analysis_release(c->memo, a);
    /* the analysis may point at v's list: freed with it, at each return below */
    /* the per-token section lists experiments: the same filter, the same runs */
    bool want_tokens = o.show & WP_STATS_SHOW_TOKENS || o.fmt == WP_OUT_JSON;
    if (!e && want_tokens && (e = wp_experiments_run(s, &ao.filter, o.a.level, &x, &d)))
        wp_analysis_release(c->memo, a);
    /* json says which inputs: the fingerprint of every ingested file */
    char sources_sha256[65] = "";
    size_t n_sources = 0;
    if (!e && o.fmt == WP_OUT_JSON) {
        struct wp_source_list src;
        e = wp_sources_all(s, &src, &d);
        if (!e) {
            n_sources = src.n;
            e = wp_sources_digest(&src, sources_sha256, &d);
            wp_sources_free(&src);
        }
        if (e) {
            wp_analysis_release(c->memo, a);
            wp_experiments_free(&x);
        }
    }
    wp_store_close(s);
    if (e) {
        wp_pairwise_free(&pw);
        wp_reference_free(&o.ref);
        wp_cli_error(&d);
        wp_validity_free(&v);
        wp_restate_free(&o.restate);
        return e == WP_ERR_USAGE ? WP_EXIT_USAGE : WP_EXIT_FAIL;
    }
    if (!a->n_groups && wp_filter_is_set(&o.a.filter)) { /* each value exists (checked) */
        char f[512];
        wp_filter_describe(&o.a.filter, f, sizeof f);
        fprintf(stderr, "wattprint: no run with energy and an inference count matches %s "
                        "together\n", f);
        rc = WP_EXIT_FAIL;
        goto out;
    }
    /* nothing labelled yet: the groups the logs name, for people (csv and json keep their
     * schema, and say where the groups are) */
    if (!a->n_groups && a->runs_seen && !o.n_invalid && o.fmt != WP_OUT_TABLE && !c->quiet)
        fprintf(stderr, "wattprint: note: no run has energy per 1,000 inferences yet; "
                        "'wattprint stats --by project' shows the runs by what their logs "
                        "name\n");
    if (!a->n_groups && a->runs_seen && !o.n_invalid && o.fmt == WP_OUT_TABLE) {
        struct wp_store *s2 = wp_cli_open_store(c);
        size_t groups = 0;
        rc = s2 ? wp_cli_logged(c, s2, o.fmt, true, &o.a.boot, &groups) : WP_EXIT_FAIL;
        if (s2)
            wp_store_close(s2);
        if (groups || rc) {
            if (groups && !c->quiet)
                fprintf(stderr, "wattprint: no run has energy per 1,000 inferences yet: the "
                                "table shows the runs by what their logs name "
                                "(stats --by project)\n");
            goto out;
        }
    }
    for (size_t i = 0; i < a->n_groups; i++)
        o.has_tokens |= a->groups[i].tokens.n > 0;
    /* csv is one table: the groups, or with --show tokens alone the per-token one */
    bool csv_tokens = o.fmt == WP_OUT_CSV && o.show == WP_STATS_SHOW_TOKENS;
    bool csv_pairs = o.fmt == WP_OUT_CSV && want_pairs; /* the pairs' table, alone */
    if (o.fmt == WP_OUT_JSON) {
        fputs("{", out);
        json_meta(&o, sources_sha256, n_sources, out);
        fputs("\"groups\": ", out);
    }
    /* json is every section, whatever --show picks for the table */
    if (!csv_pairs &&
        (o.show & WP_STATS_SHOW_GROUPS || o.fmt == WP_OUT_JSON ||
         (o.fmt == WP_OUT_CSV && !csv_tokens)) &&
        print_groups(&o, a, out))
        rc = WP_EXIT_FAIL;
    if (o.fmt == WP_OUT_JSON) {
        if (want_pairs) {
            fputs(",\n\"pairwise\": ", out);
            if (wp_cli_pairwise_print(WP_OUT_JSON, &pw, out))
                rc = WP_EXIT_FAIL;
        }
        if (json_sections(a, &x, out))
            rc = WP_EXIT_FAIL;
    } else if (csv_pairs) {
        if (wp_cli_pairwise_print(WP_OUT_CSV, &pw, out))
            rc = WP_EXIT_FAIL;
    } else if (csv_tokens) {
        if (print_tokens(WP_OUT_CSV, &x, out))
            rc = WP_EXIT_FAIL;
    } else if (o.fmt == WP_OUT_TABLE) {
        if (o.show & WP_STATS_SHOW_HEADLINE)
            print_headline(a, out);
        if (o.show & WP_STATS_SHOW_SCALING)
            print_scaling(a, out);
        if (o.show & WP_STATS_SHOW_PURPOSE)
            print_purpose(a, out);
        if (want_pairs && wp_cli_pairwise_print(WP_OUT_TABLE, &pw, out))
            rc = WP_EXIT_FAIL;
        if (o.show & WP_STATS_SHOW_TOKENS && o.has_tokens) {
            fputs("\nPer token: experiments whose model and dataset have token counts "
                  "(wattprint tokens)\n", out);
            if (print_tokens(WP_OUT_TABLE, &x, out))
                rc = WP_EXIT_FAIL;
        }
    }
    if (!c->quiet && o.fmt == WP_OUT_TABLE) {
        bool any_small = false, any_skipped = false;
        for (size_t i = 0; i < a->n_groups; i++) {
            any_small |= a->groups[i].is_small;
            any_skipped |= a->groups[i].boot_skipped && o.a.boot.resamples;
        }
        size_t n_min = SIZE_MAX, n_max = 0;
        for (size_t i = 0; i < a->n_groups; i++) {
            size_t k = a->groups[i].n_units;
            n_min = k < n_min ? k : n_min;
            n_max = k > n_max ? k : n_max;
        }
        char count[48] = "";
        if (a->n_groups && n_min < n_max)
            snprintf(count, sizeof count, " (%zu to %zu)", n_min, n_max);
        else if (a->n_groups)
            snprintf(count, sizeof count, " (%zu)", n_max);
        fprintf(out, "\nUnits: kWh and g CO2eq per 1,000 inferences; means, SDs and quantiles %s.\n"
               "%g%% CIs of the mean over each group's n_units %s%s%s: Student t over %s "
               "(ci_t, in the table%s); %s, %zu resamples, seed %lu (ci_boot, in csv and "
               "json).%s%s\n",
               o.a.over_experiments ? "over experiments (each the mean of its runs)"
                                    : "over runs",
               o.a.level * 100, wp_unit_name(a->unit, 2), count,
               a->unit == WP_UNIT_RUN ? ", assuming independent runs" : "",
               a->unit == WP_UNIT_RUN ? "the values" : a->unit == WP_UNIT_MODEL
                                                        ? "model means" : "experiment means",
               a->unit == WP_UNIT_RUN ? ""
               : a->unit == WP_UNIT_MODEL
                   ? ", around unit_mean: the mean of the model means"
                   : ", around unit_mean: the mean of the experiment means",
               a->unit == WP_UNIT_RUN ? "bootstrap" : "cluster bootstrap",
               o.a.boot.resamples, o.a.boot.seed,
               n_min < 2 && a->n_groups ? " A group of one unit gets no interval." : "",
               any_small ? " small_n: fewer than 3 values, treat with care." : "");
        if (any_skipped)
            fprintf(out, "Bootstrap skipped where runs x resamples is too large.\n");
        bool any_cut = false; /* the table shows the kWh interval only */
        for (size_t i = 0; i < a->n_groups; i++)
            any_cut |= wp_ci_lo_is_cut(&a->groups[i].kwh_t);
        if (any_cut && (o.show & WP_STATS_SHOW_GROUPS))
            fprintf(out, "\u2020 ci_t_lo: %s\n", WP_CI_CUT_NOTE);
        if (o.a.filter.measured_only)
            fprintf(out, "Measured only: each run's energy leaves out its components marked "
                   "modelled (CodeCarbon's RAM, a TDP-based CPU); emissions keep the run's "
                   "g CO2eq per kWh over what is left. Totals are lower than the logs'.\n");
        if (o.has_tokens)
            fprintf(out, "Per token (groups with token counts): tokens per inference (input + "
                   "output), kWh per 1,000 tokens, J per output token.\n");
        wp_cli_restate_note(&o.restate, out);
    }
    if (fflush(out) || ferror(out))
        rc = WP_EXIT_FAIL;
    wp_cli_left_out(c, a);
    if (o.fmt == WP_OUT_TABLE && !wp_filter_is_set(&o.a.filter))
        wp_cli_logged_note(c, a->skipped_unlabeled);
out:
    wp_analysis_release(c->memo, a);
    wp_experiments_free(&x);
    wp_pairwise_free(&pw);
    wp_reference_free(&o.ref);
    wp_validity_free(&v);
    wp_restate_free(&o.restate);
    return rc;
}
