/* wattprint latex: a booktabs table of the per-group statistics for a paper, from the same
 * analysis `stats` prints (src/report/latex.c writes it and chooses its layout). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/outputs.h"
#include "util/options.h"
#include "cli/report_args.h"
#include "report/latex.h"
#include "util/atomic.h"

#define CMD "latex"

enum { OPT_CAPTION = 300, OPT_LABEL, OPT_COLUMNS, OPT_TWOCOLUMN };

void wp_latex_cmd_defaults(struct wp_latex_cmd *x)
{
    *x = (struct wp_latex_cmd){0};
    wp_report_args_init(&x->r);
}

/* latex's own options (wp_report_options_parse's `own`). */
static int latex_opt(void *ctx, int opt, char *arg)
{
    struct wp_latex_cmd *x = ctx;
    switch (opt) {
    case 'o': x->path = arg; return 0;
    case OPT_CAPTION: x->caption = arg; return 0;
    case OPT_LABEL:
        if (!wp_latex_label_ok(arg))
            return wp_cli_usage(CMD, "--label: \"%s\" is not a plain label (letters, "
                                     "digits and : . - _ / +)", arg);
        x->label = arg;
        x->has_label = true;
        return 0;
    case OPT_COLUMNS:
        if (!wp_latex_parse_columns(arg, &x->columns))
            return wp_cli_usage(CMD, "--columns: \"%s\" is not a list of n, mean, sd, "
                                     "median, ci, boot, g (or all)", arg);
        return 0;
    case OPT_TWOCOLUMN: x->is_twocolumn = true; return 0;
    case WP_RO_BY:
        if (!wp_report_parse_by(arg, &x->r.a.by))
            return wp_cli_usage(CMD, "--by: \"%s\" is not one of task, model, model,task, "
                                     "dataset, hardware", arg);
        return 0;
    default: return -1;
    }
}

static int parse(int argc, char **argv, struct wp_latex_cmd *x)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT('o', "output", 'o'),
        WP_OPT_ARG_OPT(0, "caption", OPT_CAPTION),
        WP_OPT_ARG_OPT(0, "label", OPT_LABEL),
        WP_OPT_ARG_OPT(0, "columns", OPT_COLUMNS),
        WP_OPT_NOARG_OPT(0, "twocolumn", OPT_TWOCOLUMN),
        WP_OPT_ARG_OPT(0, "by", WP_RO_BY),
        WP_RO_STATS_OPTIONS,
        WP_RO_FILTER_OPTIONS,
        WP_OPT_END_OPT,
    };
    wp_latex_cmd_defaults(x);
    struct wp_options op;
    return wp_report_options_parse(CMD, opts, argc, argv, 0, &x->r, latex_opt, x, &op);
}

/* The default label names the grouping: tab:energy-by-task, tab:energy-by-model-task... */
static const char *default_label(enum wp_group_by by)
{
    static const char *const labels[] = {"tab:energy-by-task", "tab:energy-by-model",
                                         "tab:energy-by-model-task", "tab:energy-by-dataset",
                                         "tab:energy-by-hardware"};
    return labels[by];
}

int wp_latex_cmd_run(struct wp_cli *c, const struct wp_latex_cmd *x, FILE *out)
{
    wp_stats_init();
    struct wp_store *s = wp_cli_open_for_output(c, x->path, &x->r.a.filter);
    if (!s)
        return WP_EXIT_FAIL;
    struct wp_diag d = {0};
    const struct wp_analysis *a = NULL;
    enum wp_err e = wp_analysis_get(c->memo, s, &x->r.a, &a, &d);
    wp_store_close(s);
    if (e) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    if (!a->n_groups) { /* never an empty table: say why, as chart does */
        wp_cli_left_out(c, a);
        fprintf(stderr, "wattprint: latex: no run has energy per 1,000 inferences to tabulate: "
                        "label runs with a model, task, dataset and inference count "
                        "(wattprint manifest --skeleton)\n");
        wp_analysis_release(c->memo, a);
        return WP_EXIT_FAIL;
    }
    struct wp_latex_opts lo = {.caption = x->caption,
                               .label = x->has_label ? x->label : default_label(x->r.a.by),
                               .tool = "wattprint " WP_VERSION,
                               .columns = x->columns,
                               .is_twocolumn = x->is_twocolumn};
    if (!x->path) {
        e = wp_latex_table(a, &lo, out, &d);
        if (!e && (fflush(out) || ferror(out)))
            e = wp_diag_set(&d, WP_ERR_IO, NULL, 0, 0, "cannot write to standard output");
    } else {
        struct wp_atomic at;
        e = wp_atomic_begin(&at, x->path, &d);
        if (!e) {
            e = wp_latex_table(a, &lo, at.f, &d);
            if (e)
                wp_atomic_abort(&at);
            else
                e = wp_atomic_commit(&at, &d);
        }
    }
    if (e)
        wp_cli_error(&d);
    else
        wp_cli_left_out(c, a);
    wp_analysis_release(c->memo, a);
    return e ? WP_EXIT_FAIL : WP_EXIT_OK;
}

int wp_cmd_latex(struct wp_cli *c, int argc, char **argv)
{
    struct wp_latex_cmd x;
    int rc = parse(argc, argv, &x);
    return rc ? rc : wp_latex_cmd_run(c, &x, c->out);
}
