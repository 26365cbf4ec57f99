/* wattprint report: the PDF transparency report (src/report/report.c writes it). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "util/options.h"
#include "cli/report_args.h"
#include "report/report.h"

#define CMD "report"

enum { OPT_PAPER = 300, OPT_TITLE, OPT_SUBTITLE, OPT_ORG, OPT_DATE, OPT_TEMPLATES, OPT_REF,
       OPT_TOKENS_WHERE, OPT_COMPARE_WHERE, OPT_MODEL_REF, OPT_SCORES };

/* report's own options (wp_report_options_parse's `own`), -1 for the others. */
static int report_opt(void *ctx, int opt, char *arg)
{
    struct wp_report_opts *o = ctx;
    switch (opt) {
    case 'o': o->path = arg; return 0;
    case OPT_PAPER:
        if (strcmp(arg, "a4") && strcmp(arg, "letter"))
            return wp_cli_usage(CMD, "--paper: give a4 or letter");
        o->paper = strcmp(arg, "letter") == 0 ? WP_PAPER_LETTER : WP_PAPER_A4;
        return 0;
    case OPT_TITLE: o->title = arg; return 0;
    case OPT_SUBTITLE: o->subtitle = arg; return 0;
    case OPT_ORG: o->organisation = arg; return 0;
    case OPT_DATE: o->date = arg; return 0;
    case OPT_TEMPLATES: o->templates_dir = arg; return 0;
    case OPT_REF: o->reference = arg; return 0;
    case OPT_TOKENS_WHERE:
    case OPT_COMPARE_WHERE: {
        char *eq = strchr(arg, '=');
        if (!eq || eq == arg)
            return wp_cli_usage(CMD, "--%s-where: give KEY=VALUE (a manifest column)",
                                opt == OPT_TOKENS_WHERE ? "tokens" : "compare");
        *eq = '\0'; /* argv is ours to cut */
        if (opt == OPT_TOKENS_WHERE) {
            o->tokens_where_key = arg;
            o->tokens_where_value = eq + 1;
        } else {
            o->compare_where_key = arg;
            o->compare_where_value = eq + 1;
        }
        return 0;
    }
    case OPT_MODEL_REF: o->model_reference = arg; return 0;
    case OPT_SCORES: o->scores = arg; return 0;
    default: return -1;
    }
}

static int parse(int argc, char **argv, struct wp_report_opts *o, struct wp_report_args *ra)
{
    static const struct wp_option opts[] = {
        WP_OPT_ARG_OPT('o', "output", 'o'),
        WP_OPT_ARG_OPT(0, "paper", OPT_PAPER),
        WP_OPT_ARG_OPT(0, "title", OPT_TITLE),
        WP_OPT_ARG_OPT(0, "subtitle", OPT_SUBTITLE),
        WP_OPT_ARG_OPT(0, "organisation", OPT_ORG),
        WP_OPT_ARG_OPT(0, "organization", OPT_ORG),
        WP_OPT_ARG_OPT(0, "date", OPT_DATE),
        WP_OPT_ARG_OPT(0, "templates", OPT_TEMPLATES),
        WP_OPT_ARG_OPT(0, "reference", OPT_REF),
        WP_OPT_ARG_OPT(0, "tokens-where", OPT_TOKENS_WHERE),
        WP_OPT_ARG_OPT(0, "compare-where", OPT_COMPARE_WHERE),
        WP_OPT_ARG_OPT(0, "model-reference", OPT_MODEL_REF),
        WP_OPT_ARG_OPT(0, "scores", OPT_SCORES),
        WP_RO_STATS_OPTIONS,
        WP_RO_FILTER_OPTIONS,
        WP_RO_WHATIF_OPTIONS,
        WP_OPT_END_OPT,
    };
    wp_report_args_init(ra);
    struct wp_options op;
    int rc = wp_report_options_parse(CMD, opts, argc, argv, 0, ra, report_opt, o, &op);
    if (rc)
        return rc;
    if (!o->path)
        return wp_cli_usage(CMD, "give the report to write with -o FILE.pdf or -o FILE.html");
    enum wp_report_format format;
    struct wp_diag d = {0};
    if (wp_report_format(o->path, &format, &d))
        return wp_cli_usage(CMD, "%s", d.msg);
    return wp_report_args_check(CMD, ra);
}

void wp_report_cmd_defaults(struct wp_cli *c, struct wp_report_opts *o)
{
    struct wp_report_args ra;
    wp_report_args_init(&ra);
    *o = (struct wp_report_opts){.memo = c->memo, .a = ra.a};
}

int wp_cmd_report(struct wp_cli *c, int argc, char **argv)
{
    char *command = wp_report_command_line(c, argc, (const char *const *)argv);
    struct wp_report_opts o;
    wp_report_cmd_defaults(c, &o);
    o.command_line = command;
    struct wp_report_args ra;
    int rc = parse(argc, argv, &o, &ra);
    if (rc) {
        free(command);
        return rc;
    }
    o.a = ra.a;
    rc = wp_report_cmd_run(c, &o);
    free(command);
    return rc;
}

int wp_report_cmd_run(struct wp_cli *c, const struct wp_report_opts *o)
{
    struct wp_diag d = {0};
    if (o->path && wp_cli_output_check(c, o->path, &d)) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    wp_stats_init();
    struct wp_store *s = wp_cli_open_store_for(c, &o->a.filter);
    if (!s)
        return WP_EXIT_FAIL;
    /* a name of no report format is refused before the store is read */
    enum wp_report_format format;
    struct wp_report_data_opts dopts = wp_report_data_opts_of(o);
    struct wp_report_data data = {0};
    enum wp_err e = wp_report_format(o->path, &format, &d);
    if (!e)
        e = wp_report_data_collect(s, &dopts, &data, &d);
    if (!e)
        e = wp_report_write(&data, o, &d);
    wp_report_data_free(&data);
    wp_store_close(s);
    if (e) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    if (!c->quiet)
        fprintf(stderr, "wattprint: wrote %s\n", o->path);
    return WP_EXIT_OK;
}
