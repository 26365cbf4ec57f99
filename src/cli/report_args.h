/* Options the report commands (xlsx, card, latex) share with `stats`: which runs, which
 * statistics, what-if.  Each command lists the ones it takes in its getopt table with the
 * codes below and hands them to wp_report_opt.  Also the command line, for provenance. */
#ifndef WP_CLI_REPORT_ARGS_H
#define WP_CLI_REPORT_ARGS_H

#include <getopt.h>

#include "cli/cli.h"
#include "cli/restate.h"
#include "stats/analysis.h"

enum {
    WP_RO_PHASE = 400, WP_RO_OVER, WP_RO_LEVEL, WP_RO_SEED, WP_RO_RESAMPLES, WP_RO_TASK,
    WP_RO_MODEL, WP_RO_DATASET, WP_RO_INTENSITY, WP_RO_REGION, WP_RO_PUE, WP_RO_BY, WP_RO_WHERE,
    WP_RO_UNIT,
};

/* getopt_long entries of the statistics options and of the what-if options. */
#define WP_RO_STATS_OPTIONS                                                                   \
    {"phase", required_argument, NULL, WP_RO_PHASE},                                          \
    {"over", required_argument, NULL, WP_RO_OVER},                                            \
    {"level", required_argument, NULL, WP_RO_LEVEL},                                          \
    {"seed", required_argument, NULL, WP_RO_SEED},                                            \
    {"resamples", required_argument, NULL, WP_RO_RESAMPLES},                                  \
    {"unit", required_argument, NULL, WP_RO_UNIT},                                            \
    WP_CLI_RESTATE_OPTIONS
#define WP_RO_FILTER_OPTIONS                                                                  \
    {"task", required_argument, NULL, WP_RO_TASK},                                            \
    {"model", required_argument, NULL, WP_RO_MODEL},                                          \
    {"dataset", required_argument, NULL, WP_RO_DATASET},                                      \
    {"where", required_argument, NULL, WP_RO_WHERE}
#define WP_RO_WHATIF_OPTIONS                                                                  \
    {"carbon-intensity", required_argument, NULL, WP_RO_INTENSITY},                           \
    {"region", required_argument, NULL, WP_RO_REGION},                                        \
    {"pue", required_argument, NULL, WP_RO_PUE}

struct wp_report_args {
    struct wp_analysis_opts a;
    const char *region; /* --region as given, NULL if none */
};

/* Defaults: those of wp_analysis_defaults. */
void wp_report_args_init(struct wp_report_args *r);
/* Handles a shared option: 0 done, WP_EXIT_USAGE after a usage message, -1 not shared. */
int wp_report_opt(const char *cmd, int opt, const char *arg, struct wp_report_args *r);
/* Checks the combination (--pue needs a carbon intensity); 0 or WP_EXIT_USAGE. */
int wp_report_args_check(const char *cmd, const struct wp_report_args *r);
/* Parses a grouping name (task, model, model,task, dataset, hardware). */
bool wp_report_parse_by(const char *v, enum wp_group_by *by);

/* The command line as a shell would need it ("wattprint --db PATH CMD ARGS..."), for the
 * record; call before getopt permutes argv.  Free with free(); NULL on out-of-memory. */
char *wp_report_command_line(const struct wp_cli *c, int argc, char **argv);

#endif
