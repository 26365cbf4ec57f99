/* wattprint report: the PDF transparency report (src/report/report.c writes it). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/report_args.h"
#include "report/report.h"

#define CMD "report"

enum { OPT_PAPER = 300, OPT_TITLE, OPT_SUBTITLE, OPT_ORG, OPT_DATE, OPT_TEMPLATES, OPT_REF,
       OPT_TOKENS_WHERE, OPT_COMPARE_WHERE, OPT_MODEL_REF, OPT_SCORES };

static int parse(int argc, char **argv, struct wp_report_opts *o, struct wp_report_args *ra)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"paper", required_argument, NULL, OPT_PAPER},
        {"title", required_argument, NULL, OPT_TITLE},
        {"subtitle", required_argument, NULL, OPT_SUBTITLE},
        {"organisation", required_argument, NULL, OPT_ORG},
        {"organization", required_argument, NULL, OPT_ORG},
        {"date", required_argument, NULL, OPT_DATE},
        {"templates", required_argument, NULL, OPT_TEMPLATES},
        {"reference", required_argument, NULL, OPT_REF},
        {"tokens-where", required_argument, NULL, OPT_TOKENS_WHERE},
        {"compare-where", required_argument, NULL, OPT_COMPARE_WHERE},
        {"model-reference", required_argument, NULL, OPT_MODEL_REF},
        {"scores", required_argument, NULL, OPT_SCORES},
        WP_RO_STATS_OPTIONS,
        WP_RO_FILTER_OPTIONS,
        WP_RO_WHATIF_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    wp_report_args_init(ra);
    int opt, rc;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (opt) {
        case 'o': o->path = optarg; break;
        case OPT_PAPER:
            if (strcmp(optarg, "a4") && strcmp(optarg, "letter"))
                return wp_cli_usage(CMD, "--paper: give a4 or letter");
            o->paper = strcmp(optarg, "letter") == 0 ? WP_PAPER_LETTER : WP_PAPER_A4;
            break;
        case OPT_TITLE: o->title = optarg; break;
        case OPT_SUBTITLE: o->subtitle = optarg; break;
        case OPT_ORG: o->organisation = optarg; break;
        case OPT_DATE: o->date = optarg; break;
        case OPT_TEMPLATES: o->templates_dir = optarg; break;
        case OPT_REF: o->reference = optarg; break;
        case OPT_TOKENS_WHERE:
        case OPT_COMPARE_WHERE: {
            char *eq = strchr(optarg, '=');
            if (!eq || eq == optarg)
                return wp_cli_usage(CMD, "--%s-where: give KEY=VALUE (a manifest column)",
                                    opt == OPT_TOKENS_WHERE ? "tokens" : "compare");
            *eq = '\0'; /* argv is ours to cut */
            if (opt == OPT_TOKENS_WHERE) {
                o->tokens_where_key = optarg;
                o->tokens_where_value = eq + 1;
            } else {
                o->compare_where_key = optarg;
                o->compare_where_value = eq + 1;
            }
            break;
        }
        case OPT_MODEL_REF: o->model_reference = optarg; break;
        case OPT_SCORES: o->scores = optarg; break;
        default:
            rc = wp_report_opt(CMD, opt, optarg, ra);
            if (rc)
                return rc < 0 ? wp_cli_usage(CMD, "unknown option") : rc;
        }
    }
    if (optind < argc)
        return wp_cli_usage(CMD, "unexpected argument '%s'", argv[optind]);
    if (!o->path)
        return wp_cli_usage(CMD, "give the PDF to write with -o FILE.pdf");
    enum wp_report_format format;
    struct wp_diag d = {0};
    if (wp_report_format(o->path, &format, &d))
        return wp_cli_usage(CMD, "%s", d.msg);
    return wp_report_args_check(CMD, ra);
}

int wp_cmd_report(struct wp_cli *c, int argc, char **argv)
{
    char *command = wp_report_command_line(c, argc, argv);
    struct wp_report_opts o = {.command_line = command, .memo = c->memo};
    struct wp_report_args ra;
    int rc = parse(argc, argv, &o, &ra);
    if (rc) {
        free(command);
        return rc;
    }
    o.a = ra.a;
    struct wp_diag d = {0};
    if (o.path && wp_cli_output_check(c, o.path, &d)) {
        wp_cli_error(&d);
        free(command);
        return WP_EXIT_FAIL;
    }
    wp_stats_init();
    struct wp_store *s = wp_cli_open_store_for(c, &o.a.filter);
    if (!s) {
        free(command);
        return WP_EXIT_FAIL;
    }
    enum wp_err e = wp_report_write(s, &o, &d);
    wp_store_close(s);
    free(command);
    if (e) {
        wp_cli_error(&d);
        return WP_EXIT_FAIL;
    }
    if (!c->quiet)
        fprintf(stderr, "wattprint: wrote %s\n", o.path);
    return WP_EXIT_OK;
}
