/* wattprint validity: the runs whose measurement says little (analysis/validity.h), each as a
 * warning at its file and line and as a row of a table; `stats --valid-only` leaves the
 * same runs out.  The fixed-order finding, about the design and not a run, is one more
 * warning and its own line after the table (in JSON, the member "design" beside
 * "flagged_runs"; CSV holds the flagged runs alone), never a row among the runs.  Every
 * rule is in src/analysis/validity.c. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/filter_opts.h"
#include "util/options.h"
#include "cli/table.h"
#include "analysis/validity.h"
#include "util/num.h"

bool wp_cli_meter_interval(const char *cmd, const char *v, double *out)
{
    if (wp_parse_num(v, out) != WP_NUM_OK || !(*out > 0.0) || !isfinite(*out)) {
        wp_cli_usage(cmd, "--meter-interval: \"%s\" must be a number of seconds above 0", v);
        return false;
    }
    return true;
}

static const struct wp_col cols[] = {
    {"run_id", WP_COL_INT, 0},   {"source_file", WP_COL_TEXT, 0}, {"line", WP_COL_INT, 0},
    {"check", WP_COL_TEXT, 0},   {"detail", WP_COL_TEXT, 0},
};

/* The design findings in JSON: one object per finding (today the fixed order only). */
static const struct wp_col design_cols[] = {
    {"check", WP_COL_TEXT, 0},      {"order", WP_COL_TEXT, 0},
    {"experiments", WP_COL_INT, 0}, {"timed_runs", WP_COL_INT, 0},
    {"detail", WP_COL_TEXT, 0},
};

/* The design findings after the flagged runs: a JSON array member, a line of text; CSV
 * has none (its rows are runs; the warning on standard error says it). */
static int put_design(FILE *out, enum wp_outfmt fmt, const struct wp_validity *v)
{
    bool is_fixed = wp_order_is_fixed(v->order);
    if (fmt == WP_OUT_TABLE && is_fixed)
        fprintf(out, "design: fixed_order (%s): %s\n", wp_order_name(v->order), v->order_msg);
    if (fmt != WP_OUT_JSON)
        return ferror(out);
    fputs(",\n\"design\": ", out);
    struct wp_table *t =
        wp_table_new(out, fmt, design_cols, sizeof design_cols / sizeof design_cols[0]);
    if (!t)
        return 1;
    if (is_fixed) {
        long long n_exp = (long long)v->order_experiments, n_runs = (long long)v->order_runs;
        const void *cells[] = {"fixed_order", wp_order_name(v->order), &n_exp, &n_runs,
                               v->order_msg};
        wp_table_row(t, cells);
    }
    if (wp_table_end_member(t))
        return 1;
    fputs("}\n", out);
    return ferror(out);
}

/* The order check's verdict in the count line. */
static const char *order_word(enum wp_order o)
{
    switch (o) {
    case WP_ORDER_BLOCKED: return "fixed (blocked)";
    case WP_ORDER_ROUNDS: return "fixed (same order each round)";
    case WP_ORDER_INTERLEAVED: return "interleaved";
    default: return "not checked (fewer than 2 experiments with 2 runs with start times)";
    }
}

int wp_cmd_validity(struct wp_cli *c, int argc, char **argv)
{
    static const struct wp_option opts[] = {
        WP_CLI_FILTER_OPTIONS,
        WP_OPT_ARG_OPT(0, "format", 'f'),
        WP_OPT_ARG_OPT(0, "meter-interval", 'i'),
        WP_OPT_END_OPT,
    };
    struct wp_run_filter f = {0};
    struct wp_validity_opts vo;
    wp_validity_defaults(&vo);
    enum wp_outfmt fmt = WP_OUT_TABLE;
    int opt;
    struct wp_options op;
    wp_options_init(&op, opts, WP_OPTIONS_STOP_AT_OPERAND, argc, argv);
    for (char *arg; (opt = wp_options_next(&op, &arg)) > 0;) {
        switch (opt) {
        case 'f':
            if (!wp_cli_outfmt("validity", arg, &fmt))
                return WP_EXIT_USAGE;
            break;
        case 'i':
            if (!wp_cli_meter_interval("validity", arg, &vo.meter_interval_s))
                return WP_EXIT_USAGE;
            break;
        default:
            if (!wp_cli_filter_opt(opt, arg, &f))
                return wp_cli_usage("validity", "unknown option");
        }
    }
    if ((opt = wp_cli_options_done("validity", &op, opt, 0)))
        return opt;
    struct wp_store *s = wp_cli_open_store_for(c, &f);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_validity v;
    struct wp_diag d = {0};
    enum wp_err e = wp_validity_run(s, &f, &vo, &v, &d);
    wp_store_close(s);
    if (e) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    for (size_t i = 0; i < v.n_flags; i++) {
        const struct wp_flag *x = &v.flags[i];
        struct wp_diag w = {0};
        wp_diag_set(&w, WP_OK, x->file[0] ? x->file : NULL, x->line, 0, "run %lld: %s: %s",
                    x->run_id, wp_check_name(x->check), x->msg);
        wp_cli_message(c, WP_WARN, &w);
    }
    if (wp_order_is_fixed(v.order)) {
        struct wp_diag w = {0};
        wp_diag_set(&w, WP_OK, NULL, 0, 0, "fixed_order: %s", v.order_msg);
        wp_cli_message(c, WP_WARN, &w);
    }
    int rc = WP_EXIT_OK;
    if (fmt == WP_OUT_JSON)
        fputs("{\"flagged_runs\": ", c->out);
    struct wp_table *t = wp_table_new(c->out, fmt, cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; t && i < v.n_flags; i++) {
        const struct wp_flag *x = &v.flags[i];
        long long line = x->line;
        const void *cells[] = {&x->run_id, x->file, &line, wp_check_name(x->check), x->msg};
        wp_table_row(t, cells);
    }
    if (!t || (fmt == WP_OUT_JSON ? wp_table_end_member(t) : wp_table_end(t)) ||
        put_design(c->out, fmt, &v))
        rc = WP_EXIT_FAIL;
    if (!c->quiet)
        fprintf(stderr,
                "wattprint: %zu of %lld run(s) flagged: %zu short window, %zu first-run "
                "outlier, %zu sample gap, %zu part-time power; %lld run(s) of a meter whose "
                "interval is unknown not checked for their window (--meter-interval S checks "
                "them); order of experiments: %s\n",
                v.n_runs_flagged, v.runs_checked, v.n_short_window, v.n_first_outlier,
                v.n_sample_gap, v.n_part_time_power, v.runs_unchecked_window,
                order_word(v.order));
    wp_validity_free(&v);
    return rc;
}
