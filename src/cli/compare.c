/* wattprint compare: a candidate against a baseline (two databases, or two values of a
 * manifest column in one), per task or model x task, with a verdict per row and an exit
 * code a CI job can gate on.  Every number comes from src/analysis/gate.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/filter_opts.h"
#include "cli/restate.h"
#include "util/options.h"
#include "cli/table.h"
#include "analysis/gate.h"
#include "analysis/filter.h"
#include "analysis/validity.h"
#include "util/num.h"
#include "util/text.h"

enum cmp_fmt { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_MARKDOWN };

struct cmp_opts {
    struct wp_run_filter filter;
    struct wp_gate_opts g;
    const char *against, *by, *baseline, *candidate;
    enum cmp_fmt fmt;
    bool valid_only, above_idle;
    double meter_interval_s; /* --meter-interval, NAN: by tool */
};

/* What one side leaves out and restates before the gate reads its runs: the runs the
 * validity checks flag (--valid-only) and each run's energy above its host's idle power
 * (--above-idle), both through the side's run filter. */
struct side {
    const char *what;      /* "candidate" or "baseline" */
    struct wp_validity v;  /* the runs it flags */
    struct wp_restate r;   /* the filter's adjust hook points at it */
};

static bool percent_opt(const char *v, double *out)
{
    char buf[64];
    size_t n = strlen(v);
    bool pct = n && v[n - 1] == '%';
    if (n >= sizeof buf)
        return false;
    memcpy(buf, v, n + 1);
    if (pct)
        buf[n - 1] = '\0';
    double x;
    if (wp_parse_num(buf, &x) != WP_NUM_OK || !(x >= 0.0))
        return false;
    *out = pct ? x / 100.0 : x;
    return *out < 1.0;
}

static int parse(int argc, char **argv, struct cmp_opts *o)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT(0, "against", 'a'),  WP_OPT_ARG_OPT(0, "by", 'B'),
        WP_OPT_ARG_OPT(0, "baseline", 'b'), WP_OPT_ARG_OPT(0, "candidate", 'c'),
        WP_OPT_ARG_OPT(0, "margin", 'M'),   WP_OPT_ARG_OPT(0, "rows", 'w'),
        WP_CLI_FILTER_OPTIONS,
        WP_OPT_ARG_OPT(0, "format", 'f'),   WP_OPT_ARG_OPT(0, "level", 'l'),
        WP_OPT_ARG_OPT(0, "seed", 's'),     WP_OPT_ARG_OPT(0, "resamples", 'r'),
        WP_OPT_NOARG_OPT(0, "measured-only", 'O'),
        WP_OPT_NOARG_OPT(0, "valid-only", 'V'), WP_OPT_ARG_OPT(0, "meter-interval", 'I'),
        WP_OPT_NOARG_OPT(0, "above-idle", 'A'),
        WP_OPT_END_OPT,
    };
    o->g.margin = 0.05;
    o->meter_interval_s = NAN;
    o->g.boot = (struct wp_bootstrap)WP_BOOTSTRAP_DEFAULT;
    int opt;
    long long n;
    double x;
    struct wp_options op;
    wp_options_init(&op, opts, WP_OPTIONS_STOP_AT_OPERAND, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;) {
        switch (opt) {
        case 'a': o->against = arg; break;
        case 'O': o->filter.measured_only = true; break;
        case 'V': o->valid_only = true; break;
        case 'A': o->above_idle = true; break;
        case 'I':
            if (!wp_cli_meter_interval("compare", arg, &o->meter_interval_s))
                return WP_EXIT_USAGE;
            break;
        case 'B': o->by = arg; break;
        case 'b': o->baseline = arg; break;
        case 'c': o->candidate = arg; break;
        case 'M':
            if (!percent_opt(arg, &o->g.margin))
                return wp_cli_usage("compare", "--margin: \"%s\" is not a share in [0, 1) "
                                               "or a percentage like 5%%", arg);
            break;
        case 'w':
            if (strcmp(arg, "task") && strcmp(arg, "model,task"))
                return wp_cli_usage("compare", "--rows: give task or model,task");
            o->g.by_model_task = strcmp(arg, "task") != 0;
            break;
        case 'f':
            if (!strcmp(arg, "table")) o->fmt = FMT_TABLE;
            else if (!strcmp(arg, "csv")) o->fmt = FMT_CSV;
            else if (!strcmp(arg, "json")) o->fmt = FMT_JSON;
            else if (!strcmp(arg, "markdown")) o->fmt = FMT_MARKDOWN;
            else
                return wp_cli_usage("compare", "--format: \"%s\" is not one of table, csv, "
                                               "json, markdown", arg);
            break;
        case 'l':
            if (wp_parse_num(arg, &x) != WP_NUM_OK || !(x > 0.0 && x < 1.0))
                return wp_cli_usage("compare", "--level: \"%s\" must be in (0, 1)", arg);
            o->g.boot.level = x;
            break;
        case 's':
            if (!wp_cli_count("compare", "--seed", arg, &n))
                return WP_EXIT_USAGE;
            o->g.boot.seed = (unsigned long)n;
            break;
        case 'r':
            if (!wp_cli_count("compare", "--resamples", arg, &n))
                return WP_EXIT_USAGE;
            o->g.boot.resamples = (size_t)n;
            break;
        default:
            if (!wp_cli_filter_opt(opt, arg, &o->filter))
                return wp_cli_usage("compare", "unknown option");
        }
    }
    if ((opt = wp_cli_options_done("compare", &op, opt, 0)))
        return opt;
    if (!o->against == !o->by)
        return wp_cli_usage("compare", "give --against DB, or --by COLUMN --baseline VALUE");
    if (o->by && !o->baseline)
        return wp_cli_usage("compare", "--by needs --baseline VALUE");
    if (!o->by && (o->baseline || o->candidate))
        return wp_cli_usage("compare", "--baseline and --candidate go with --by");
    if (!isnan(o->meter_interval_s) && !o->valid_only)
        return wp_cli_usage("compare", "--meter-interval goes with --valid-only");
    return 0;
}

/* The one value of column `by` besides the baseline, when --candidate is not given. */
struct other {
    const char *baseline;
    char *value;
    bool is_many;
};

static int on_attr(void *ctx, long long experiment_id, const char *value)
{
    (void)experiment_id;
    struct other *o = ctx;
    if (!strcmp(value, o->baseline) || (o->value && !strcmp(value, o->value)))
        return 0;
    if (o->value) {
        o->is_many = true;
        return 1;
    }
    o->value = strdup(value);
    return o->value ? 0 : 1;
}

/* A run's configuration (a column of its log) when no experiment has the column. */
struct other_run {
    const char *key;
    struct other *ot;
    bool has_key;
};

static int on_run_extra(void *ctx, long long run_id, const char *phase, const char *key,
                        const char *value)
{
    (void)phase;
    struct other_run *r = ctx;
    if (strcmp(key, r->key) != 0)
        return 0;
    r->has_key = true;
    return on_attr(r->ot, run_id, value);
}

static int find_candidate(struct wp_store *s, struct cmp_opts *o, char **owned)
{
    struct other ot = {.baseline = o->baseline};
    struct wp_diag d = {0};
    struct other_run orun = {.key = o->by, .ot = &ot};
    enum wp_err e = wp_store_each_experiment_attr(s, o->by, on_attr, &ot, &d);
    if (!e && !ot.value && !ot.is_many) /* as analysis/runs.c's --where: then the runs' logs */
        e = wp_store_each_run_extra(s, on_run_extra, &orun, &d);
    if (e) {
        wp_cli_error(&d);
        free(ot.value);
        return WP_EXIT_FAIL;
    }
    if (!ot.value || ot.is_many) {
        fprintf(stderr, "wattprint: compare: column \"%s\" has %s value besides \"%s\"; "
                        "name one with --candidate\n",
                o->by, ot.is_many ? "more than one" : "no", o->baseline);
        free(ot.value);
        return WP_EXIT_FAIL;
    }
    *owned = ot.value;
    o->candidate = ot.value;
    return 0;
}

static const struct wp_col cols[] = {
    {"task", WP_COL_TEXT, 0},
    {"model", WP_COL_TEXT, 0},
    {"unit", WP_COL_TEXT, 0},
    {"pairing", WP_COL_TEXT, 0},
    {"units_candidate", WP_COL_INT, 0},
    {"units_baseline", WP_COL_INT, 0},
    {"unpaired_candidate", WP_COL_INT, 0},
    {"unpaired_baseline", WP_COL_INT, 0},
    {"runs_candidate", WP_COL_INT, 0},
    {"runs_baseline", WP_COL_INT, 0},
    {"candidate_kwh_per_1k", WP_COL_NUM, 4},
    {"baseline_kwh_per_1k", WP_COL_NUM, 4},
    {"ratio", WP_COL_NUM, 4},
    {"ratio_lo", WP_COL_NUM, 4},
    {"ratio_hi", WP_COL_NUM, 4},
    {"verdict", WP_COL_TEXT, 0},
    {"undecided_why", WP_COL_TEXT, 0},
    {"hardware", WP_COL_TEXT, 0},
    {"datasets", WP_COL_TEXT, 0},
    {"components", WP_COL_TEXT, 0},
    {"batch_sizes", WP_COL_TEXT, 0},
    {"hardware_candidate", WP_COL_TEXT, 0},
    {"hardware_baseline", WP_COL_TEXT, 0},
};
#define N_TABLE_COLS 21 /* the table for people leaves the hardware names to its notes */
#define N_COLS (sizeof cols / sizeof cols[0])

static const char *unit_of(const struct wp_gate *g)
{
    return g->by_model_task ? "experiment" : "model";
}

static const char *const same_names[] = {"same", "differs", "unknown"};

static int print_rows(const struct wp_gate *g, enum wp_outfmt fmt, FILE *out)
{
    size_t skip = g->by_model_task ? 0 : 1; /* per task: no model column */
    size_t n_cols = fmt == WP_OUT_TABLE ? N_TABLE_COLS : N_COLS;
    struct wp_col use[N_COLS];
    size_t k = 0;
    for (size_t i = 0; i < n_cols; i++)
        if (!(skip && i == 1))
            use[k++] = cols[i];
    struct wp_table *t = wp_table_new(out, fmt, use, k);
    if (!t)
        return WP_EXIT_FAIL;
    for (size_t i = 0; i < g->n_rows; i++) {
        const struct wp_gate_row *r = &g->rows[i];
        long long uc = (long long)r->ratio.n_a, ub = (long long)r->ratio.n_b;
        long long pc = (long long)r->unpaired_candidate, pb = (long long)r->unpaired_baseline;
        long long rc = (long long)r->runs_candidate, rb = (long long)r->runs_baseline;
        const void *cells[N_COLS];
        size_t j = 0;
        cells[j++] = r->task;
        if (!skip)
            cells[j++] = r->model;
        cells[j++] = unit_of(g);
        cells[j++] = r->is_paired ? "paired" : "independent";
        cells[j++] = &uc;
        cells[j++] = &ub;
        cells[j++] = &pc;
        cells[j++] = &pb;
        cells[j++] = &rc;
        cells[j++] = &rb;
        cells[j++] = &r->ratio.mean_a;
        cells[j++] = &r->ratio.mean_b;
        cells[j++] = &r->ratio.ratio;
        cells[j++] = &r->ratio.lo;
        cells[j++] = &r->ratio.hi;
        cells[j++] = wp_verdict_name(r->verdict);
        cells[j++] = r->undecided_why ? r->undecided_why : "";
        cells[j++] = same_names[r->hardware];
        cells[j++] = r->is_datasets_differ ? "differs" : "same";
        cells[j++] = r->is_parts_differ ? "differs" : "same";
        cells[j++] = r->is_batch_differ ? "differs" : "same";
        cells[j++] = r->hardware_candidate;
        cells[j++] = r->hardware_baseline;
        wp_table_row(t, cells);
    }
    return wp_table_end(t) ? WP_EXIT_FAIL : 0;
}

static void pct_text(double ratio, char *buf, size_t cap)
{
    if (isnan(ratio))
        snprintf(buf, cap, "n/a");
    else
        snprintf(buf, cap, "%+.1f%%", (ratio - 1.0) * 100.0);
}

/* Why a row's ratio is not the change alone: its sides measured on other hardware, or
 * (per task) a model measured on other datasets.  One line per such row, "" prefix. */
static void print_setup(const struct wp_gate *g, const char *prefix, FILE *out)
{
    for (size_t i = 0; i < g->n_rows; i++) {
        const struct wp_gate_row *r = &g->rows[i];
        if (r->hardware != WP_GATE_DIFFERS && !r->is_datasets_differ && !r->is_parts_differ &&
            !r->is_batch_differ)
            continue;
        char *task = wp_text_escape_controls(r->task);
        char *model = r->model ? wp_text_escape_controls(r->model) : NULL;
        fprintf(out, "%s%s%s%s: not the change alone:", prefix, model ? model : "",
                model ? " / " : "", task ? task : "?");
        if (r->hardware == WP_GATE_DIFFERS) {
            char *hc = wp_text_escape_controls(r->hardware_candidate);
            char *hb = wp_text_escape_controls(r->hardware_baseline);
            fprintf(out, " measured on other hardware (candidate %s; baseline %s)%s",
                    hc ? hc : "?", hb ? hb : "?",
                    r->is_datasets_differ || r->is_parts_differ || r->is_batch_differ ? ";"
                                                                                      : "");
            free(hc);
            free(hb);
        }
        if (r->is_datasets_differ)
            fprintf(out, " a model measured on other datasets on each side%s",
                    r->is_parts_differ || r->is_batch_differ ? ";" : "");
        if (r->is_parts_differ) {
            char pc[128], pb[128];
            wp_gate_parts_text(r->parts_candidate, pc, sizeof pc);
            wp_gate_parts_text(r->parts_baseline, pb, sizeof pb);
            fprintf(out, " energy logged as other components (candidate %s; baseline %s: "
                         "another meter?)%s", pc, pb, r->is_batch_differ ? ";" : "");
        }
        if (r->is_batch_differ) {
            char *bc = wp_text_escape_controls(r->batch_candidate);
            char *bb = wp_text_escape_controls(r->batch_baseline);
            fprintf(out, " run at other batch sizes (candidate %s; baseline %s)", bc ? bc : "?",
                    bb ? bb : "?");
            free(bc);
            free(bb);
        }
        fputs("\n", out);
        free(task);
        free(model);
    }
}

/* Which energy the ratios are of: a meter's modelled parts (CodeCarbon's RAM constant and
 * TDP CPU) are in a run's total unless --measured-only, and a constant estimate on both
 * sides pulls a ratio towards 1; with --above-idle, less the host's idle power. */
static void print_energy(const struct cmp_opts *o, const struct side *sides, FILE *out)
{
    fputs(o->filter.measured_only
              ? "measured components only (--measured-only: parts a meter modelled left out)"
              : "each run's total as logged, with any component its meter modelled (an "
                "estimate the same on both sides pulls the ratio towards 1: --measured-only "
                "leaves them out)",
          out);
    if (!o->above_idle)
        return;
    fputs("; above idle (--above-idle: each run less its host's idle power times its "
          "duration", out);
    for (int k = 0; k < 2; k++) {
        const struct wp_restate *r = &sides[k].r;
        fprintf(out, "%s %lld of %lld %s run(s)", k ? "," : ":", r->runs_on_idle_hosts, r->runs,
                sides[k].what);
    }
    fputs(" on a host with an idle baseline; the others left out)", out);
}

/* The runs --valid-only left out, per side: nothing without it. */
static void print_valid(const struct cmp_opts *o, const struct side *sides, const char *head,
                        FILE *out)
{
    if (!o->valid_only)
        return;
    fprintf(out, "%s%zu candidate and %zu baseline run(s) flagged by the validity checks left "
                 "out (--valid-only; see 'wattprint validity')\n",
            head, sides[0].v.n_runs_flagged, sides[1].v.n_runs_flagged);
}

/* Sets up side sd over store s through its filter f: the runs the validity checks flag
 * left out, then each remaining run's energy above its host's idle power.  Under
 * --above-idle a run whose energy above idle is unknown is left out (a ratio must not set
 * total energy against energy above idle), and a side with runs but none on a host with
 * an idle baseline is an error.  False after printing why. */
static bool side_setup(const struct wp_cli *c, struct wp_store *s, const struct cmp_opts *o,
                       struct wp_run_filter *f, struct side *sd)
{
    struct wp_diag d = {0};
    if (o->valid_only) {
        struct wp_validity_opts vo;
        wp_validity_defaults(&vo);
        vo.meter_interval_s = o->meter_interval_s;
        if (wp_validity_run(s, f, &vo, &sd->v, &d)) {
            wp_cli_error(&d);
            return false;
        }
        f->exclude_run_ids = sd->v.run_ids;
        f->n_exclude_run_ids = sd->v.n_runs_flagged;
        if (!c->quiet)
            fprintf(stderr, "wattprint: compare: --valid-only: %zu %s run(s) flagged by the "
                            "validity checks left out (%zu short window, %zu first-run "
                            "outlier, %zu sample gap, %zu part-time power; see 'wattprint "
                            "validity')\n",
                    sd->v.n_runs_flagged, sd->what, sd->v.n_short_window,
                    sd->v.n_first_outlier, sd->v.n_sample_gap, sd->v.n_part_time_power);
    }
    if (!o->above_idle)
        return true;
    struct wp_restate_opts ro = {.above_idle = true};
    if (!wp_cli_restate_setup(s, &ro, f, &sd->r))
        return false;
    if (!sd->r.runs) /* none left (--valid-only): the gate says there is nothing to compare */
        return true;
    if (!sd->r.runs_on_idle_hosts) {
        fprintf(stderr, "wattprint: compare: --above-idle: no %s run is on a host with an "
                        "idle baseline (ingest --idle FILE, or a manifest column idle): its "
                        "energy above idle is unknown\n",
                sd->what);
        return false;
    }
    long long unknown = sd->r.runs - sd->r.runs_on_idle_hosts;
    if (!unknown)
        return true;
    /* the restating hook hands these runs over without energy: the gate leaves them out */
    fprintf(stderr, "wattprint: warning: compare: --above-idle: %lld of the %lld %s run(s) "
                    "left out: their energy above idle is unknown (no idle baseline on their "
                    "host, or no duration)\n",
            unknown, sd->r.runs, sd->what);
    return true;
}

/* Prints a --where check's error on a --by side as the options the user gave: "--by KEY
 * --baseline VALUE matches nothing; ..." rather than "--where KEY=VALUE ..." (d's own text
 * when it is not about the value). */
static void by_error(struct wp_diag *d, const char *by, const char *opt, const char *value)
{
    const char *rest = strstr(d->msg, " matches nothing");
    char msg[sizeof d->msg];
    if (!strncmp(d->msg, "--where ", 8) && rest) {
        snprintf(msg, sizeof msg, "--by %.80s %s %.80s%s", by, opt, value ? value : "", rest);
        memcpy(d->msg, msg, sizeof msg);
    } else if (!strncmp(d->msg, "--where:", 8)) { /* the column itself */
        snprintf(msg, sizeof msg, "--by:%.200s", d->msg + 8);
        memcpy(d->msg, msg, sizeof msg);
    }
    wp_cli_error(d);
}

static void print_markdown(const struct cmp_opts *o, const struct side *sides,
                           const char *cand_name, const char *base_name,
                           const struct wp_gate *g, FILE *out)
{
    fprintf(out, "### Energy: %s against %s\n\n", cand_name, base_name);
    fprintf(out, "%s\n\n", g->n_costlier ? ":x: **costlier beyond the margin**"
                                         : ":white_check_mark: no row costlier beyond the margin");
    fprintf(out, "| %s | ratio | %g%% interval | change | verdict |\n",
            g->by_model_task ? "model x task" : "task", o->g.boot.level * 100.0);
    fprintf(out, "|---|---:|---:|---:|---|\n");
    for (size_t i = 0; i < g->n_rows; i++) {
        const struct wp_gate_row *r = &g->rows[i];
        char pct[32], lo[32], hi[32];
        char ratio[32];
        pct_text(r->ratio.ratio, pct, sizeof pct);
        snprintf(ratio, sizeof ratio, isnan(r->ratio.ratio) ? "n/a" : "%.3f", r->ratio.ratio);
        snprintf(lo, sizeof lo, isnan(r->ratio.lo) ? "n/a" : "%.3f", r->ratio.lo);
        snprintf(hi, sizeof hi, isnan(r->ratio.hi) ? "n/a" : "%.3f", r->ratio.hi);
        fprintf(out, "| %s%s%s | %s | %s – %s | %s | %s%s%s |\n", r->model ? r->model : "",
                r->model ? " / " : "", r->task, ratio, lo, hi, pct,
                wp_verdict_name(r->verdict), r->undecided_why ? ": " : "",
                r->undecided_why ? r->undecided_why : "");
    }
    fprintf(out, "\nRatio of mean kWh per 1,000 inferences (candidate / baseline), each %s "
                 "weighted once, paired over the units both sides measured where 2 or more "
                 "are; cluster bootstrap (%zu resamples, seed %lu); margin %g%%: "
                 "costlier when the whole interval is above %g, lower when below %g, same "
                 "when within.\n",
            unit_of(g), o->g.boot.resamples, o->g.boot.seed, g->margin * 100.0,
            1.0 + g->margin, 1.0 - g->margin);
    fputs("\nEnergy: ", out);
    print_energy(o, sides, out);
    fputs(".\n", out);
    print_valid(o, sides, "\nValidity: ", out);
    if (g->n_setup_differs) {
        fputs("\n", out);
        print_setup(g, "- :warning: ", out);
    }
}

static void print_notes(const struct cmp_opts *o, const struct side *sides,
                        const char *cand_name, const char *base_name, const struct wp_gate *g,
                        FILE *out)
{
    fprintf(out, "\ncandidate: %s; baseline: %s\n", cand_name, base_name);
    fprintf(out, "ratio: mean kWh per 1,000 inferences of candidate / baseline, each %s (the "
                 "unit) weighted once; %g%% cluster bootstrap interval (%zu resamples, seed "
                 "%lu); paired: over the units both sides measured (the others left out), "
                 "drawn together; independent (fewer than 2 in common): each side's units "
                 "drawn apart\n",
            unit_of(g), o->g.boot.level * 100.0, o->g.boot.resamples, o->g.boot.seed);
    fprintf(out, "verdict: margin %g%%: costlier when the interval is wholly above %g, lower "
                 "when wholly below %g, same when within [%g, %g], else undecided\n",
            g->margin * 100.0, 1.0 + g->margin, 1.0 - g->margin, 1.0 - g->margin,
            1.0 + g->margin);
    if (g->only_candidate || g->only_baseline)
        fprintf(out, "not compared: %zu group(s) only in the candidate, %zu only in the "
                     "baseline\n", g->only_candidate, g->only_baseline);
    fputs("energy: ", out);
    print_energy(o, sides, out);
    fputs("\n", out);
    print_valid(o, sides, "validity: ", out);
    print_setup(g, "setup: ", out);
    fprintf(out, "%zu of %zu row(s) costlier beyond the margin\n", g->n_costlier, g->n_rows);
}

/* Opens an existing database (a gate against a database that is not there must not pass
 * on an empty one made for it). */
static struct wp_store *open_path(const char *path)
{
    struct wp_store *s;
    struct wp_diag d = {0};
    if (!wp_store_is_pg_uri(path) && access(path, F_OK) != 0) {
        fprintf(stderr, "wattprint: compare: %s: no such database\n", path);
        return NULL;
    }
    if (wp_store_open(path, &s, &d) != WP_OK) {
        wp_cli_error(&d);
        return NULL;
    }
    return s;
}

int wp_cmd_compare(struct wp_cli *c, int argc, char **argv)
{
    struct cmp_opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc;
    wp_stats_init();
    struct wp_store *cand = NULL, *base = NULL;
    char *owned = NULL;
    struct wp_gate g = {0};
    struct side sides[2] = {{.what = "candidate"}, {.what = "baseline"}};
    struct wp_run_filter fc = o.filter, fb = o.filter;
    char cand_name[512], base_name[512];
    struct wp_diag d = {0};
    rc = WP_EXIT_FAIL;
    if (!(cand = open_path(c->db_path)))
        goto out;
    if (wp_filter_check(cand, &o.filter, &d)) {
        wp_cli_error(&d);
        goto out;
    }
    if (o.against) {
        if (!(base = open_path(o.against)))
            goto out;
        snprintf(cand_name, sizeof cand_name, "%s", c->db_path);
        snprintf(base_name, sizeof base_name, "%s", o.against);
    } else {
        fc.where_key = fb.where_key = o.by;
        fb.where_value = o.baseline;
        if (wp_filter_check(cand, &fb, &d)) { /* the column and the baseline's value */
            by_error(&d, o.by, "--baseline", o.baseline);
            goto out;
        }
        if (!o.candidate && find_candidate(cand, &o, &owned))
            goto out;
        fc.where_value = o.candidate;
        if (wp_filter_check(cand, &fc, &d)) {
            by_error(&d, o.by, "--candidate", o.candidate);
            goto out;
        }
        snprintf(cand_name, sizeof cand_name, "%s=%s", o.by, o.candidate);
        snprintf(base_name, sizeof base_name, "%s=%s", o.by, o.baseline);
    }
    if (!side_setup(c, cand, &o, &fc, &sides[0]) ||
        !side_setup(c, base ? base : cand, &o, &fb, &sides[1]))
        goto out;
    if (wp_gate_run(cand, &fc, base ? base : cand, &fb, &o.g, &g, &d)) {
        wp_cli_error(&d);
        goto out;
    }
    if (g.n_setup_differs && o.fmt != FMT_TABLE) /* the table says it in its notes */
        print_setup(&g, "wattprint: warning: compare: ", stderr);
    int w = 0;
    switch (o.fmt) {
    case FMT_MARKDOWN: print_markdown(&o, sides, cand_name, base_name, &g, c->out); break;
    case FMT_CSV: w = print_rows(&g, WP_OUT_CSV, c->out); break;
    case FMT_JSON: w = print_rows(&g, WP_OUT_JSON, c->out); break;
    case FMT_TABLE:
        w = print_rows(&g, WP_OUT_TABLE, c->out);
        if (!w)
            print_notes(&o, sides, cand_name, base_name, &g, c->out);
        break;
    }
    if (w || fflush(c->out)) {
        fprintf(stderr, "wattprint: compare: cannot write the output\n");
        goto out;
    }
    rc = g.n_costlier ? WP_EXIT_FAIL : WP_EXIT_OK;
out:
    wp_gate_free(&g);
    for (int k = 0; k < 2; k++) {
        wp_restate_free(&sides[k].r);
        wp_validity_free(&sides[k].v);
    }
    if (base)
        wp_store_close(base);
    if (cand)
        wp_store_close(cand);
    free(owned);
    return rc;
}
