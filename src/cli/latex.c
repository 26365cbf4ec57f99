/* wattprint latex: a booktabs table of the per-group statistics for a paper, from the same
 * analysis `stats` prints (src/report/latex.c writes it and chooses its layout). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/report_args.h"
#include "report/latex.h"
#include "util/atomic.h"

#define CMD "latex"

enum { OPT_CAPTION = 300, OPT_LABEL, OPT_COLUMNS, OPT_TWOCOLUMN };

struct latex_args {
    struct wp_report_args r;
    const char *path, *caption, *label;
    bool has_label, is_twocolumn;
    unsigned columns;
};

static int parse(int argc, char **argv, struct latex_args *x)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"caption", required_argument, NULL, OPT_CAPTION},
        {"label", required_argument, NULL, OPT_LABEL},
        {"columns", required_argument, NULL, OPT_COLUMNS},
        {"twocolumn", no_argument, NULL, OPT_TWOCOLUMN},
        {"by", required_argument, NULL, WP_RO_BY},
        WP_RO_STATS_OPTIONS,
        WP_RO_FILTER_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    wp_report_args_init(&x->r);
    int opt, rc;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (opt) {
        case 'o': x->path = optarg; break;
        case OPT_CAPTION: x->caption = optarg; break;
        case OPT_LABEL:
            if (!wp_latex_label_ok(optarg))
                return wp_cli_usage(CMD, "--label: \"%s\" is not a plain label (letters, "
                                         "digits and : . - _ / +)", optarg);
            x->label = optarg;
            x->has_label = true;
            break;
        case OPT_COLUMNS:
            if (!wp_latex_parse_columns(optarg, &x->columns))
                return wp_cli_usage(CMD, "--columns: \"%s\" is not a list of n, mean, sd, "
                                         "median, ci, boot, g (or all)", optarg);
            break;
        case OPT_TWOCOLUMN: x->is_twocolumn = true; break;
        case WP_RO_BY:
            if (!wp_report_parse_by(optarg, &x->r.a.by))
                return wp_cli_usage(CMD, "--by: \"%s\" is not one of task, model, model,task, "
                                         "dataset, hardware", optarg);
            break;
        default:
            rc = wp_report_opt(CMD, opt, optarg, &x->r);
            if (rc)
                return rc < 0 ? wp_cli_usage(CMD, "unknown option") : rc;
        }
    }
    if (optind < argc)
        return wp_cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
    return 0;
}

/* The default label names the grouping: tab:energy-by-task, tab:energy-by-model-task... */
static const char *default_label(enum wp_group_by by)
{
    static const char *const labels[] = {"tab:energy-by-task", "tab:energy-by-model",
                                         "tab:energy-by-model-task", "tab:energy-by-dataset",
                                         "tab:energy-by-hardware"};
    return labels[by];
}

static int run(struct wp_cli *c, struct latex_args *x)
{
    wp_stats_init();
    struct wp_store *s = wp_cli_open_store_for(c, &x->r.a.filter);
    if (!s)
        return WP_EXIT_FAIL;
    const struct wp_analysis *a = NULL;
    struct wp_diag d = {0};
    enum wp_err e = wp_analysis_get(c->memo, s, &x->r.a, &a, &d);
    wp_store_close(s);
    if (e) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    struct wp_latex_opts lo = {.caption = x->caption,
                               .label = x->has_label ? x->label : default_label(x->r.a.by),
                               .tool = "wattprint " WP_VERSION,
                               .columns = x->columns,
                               .is_twocolumn = x->is_twocolumn};
    if (!x->path) {
        e = wp_latex_table(a, &lo, stdout, &d);
        if (!e && (fflush(stdout) || ferror(stdout)))
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
    struct latex_args x = {0};
    int rc = parse(argc, argv, &x);
    return rc ? rc : run(c, &x);
}
