/* Options the report commands (xlsx, card, latex) share with `stats`: which runs, which
 * statistics, what-if.  Each command lists the ones it takes in its option table with the
 * codes below and hands them to wp_report_opt.  Also the command line, for provenance. */
#ifndef WP_CLI_REPORT_ARGS_H
#define WP_CLI_REPORT_ARGS_H

#include "util/options.h"

#include "cli/cli.h"
#include "cli/restate.h"
#include "analysis/analysis.h"

enum {
    WP_RO_PHASE = 400, WP_RO_OVER, WP_RO_LEVEL, WP_RO_SEED, WP_RO_RESAMPLES, WP_RO_TASK,
    WP_RO_MODEL, WP_RO_DATASET, WP_RO_INTENSITY, WP_RO_REGION, WP_RO_PUE, WP_RO_BY, WP_RO_WHERE,
    WP_RO_UNIT,
};

/* Option table entries (util/options.h) of the statistics options and of the what-if options. */
#define WP_RO_STATS_OPTIONS                                                                   \
    WP_OPT_ARG_OPT(0, "phase", WP_RO_PHASE),                                          \
    WP_OPT_ARG_OPT(0, "over", WP_RO_OVER),                                            \
    WP_OPT_ARG_OPT(0, "level", WP_RO_LEVEL),                                          \
    WP_OPT_ARG_OPT(0, "seed", WP_RO_SEED),                                            \
    WP_OPT_ARG_OPT(0, "resamples", WP_RO_RESAMPLES),                                  \
    WP_OPT_ARG_OPT(0, "unit", WP_RO_UNIT),                                            \
    WP_CLI_RESTATE_OPTIONS
#define WP_RO_FILTER_OPTIONS                                                                  \
    WP_OPT_ARG_OPT(0, "task", WP_RO_TASK),                                            \
    WP_OPT_ARG_OPT(0, "model", WP_RO_MODEL),                                          \
    WP_OPT_ARG_OPT(0, "dataset", WP_RO_DATASET),                                      \
    WP_OPT_ARG_OPT(0, "where", WP_RO_WHERE)
#define WP_RO_WHATIF_OPTIONS                                                                  \
    WP_OPT_ARG_OPT(0, "carbon-intensity", WP_RO_INTENSITY),                           \
    WP_OPT_ARG_OPT(0, "region", WP_RO_REGION),                                        \
    WP_OPT_ARG_OPT(0, "pue", WP_RO_PUE)

struct wp_report_args {
    struct wp_analysis_opts a;
    const char *region; /* --region as given, NULL if none */
};

/* Defaults: those of wp_analysis_defaults. */
void wp_report_args_init(struct wp_report_args *r);
/* Handles a shared option: 0 done, WP_EXIT_USAGE after a usage message, -1 not shared. */
int wp_report_opt(const char *cmd, int opt, const char *arg, struct wp_report_args *r);
/* The last case of a report command's option loop: rc is the answer of the command's own
 * handler of more options (-1: none of them), else wp_report_opt's is taken; an option
 * neither takes is a usage error (printed).  0 done, else the exit code. */
/* A report command's option loop over argv (opts: the command's table): each option goes
 * first to own, the command's handler of its own options (-1: not one of them, else 0 or
 * an exit code), then to wp_report_opt; an option neither takes is a usage error.  At most
 * max_operands operands (op->n_operands says how many).  0 done, else the exit code (the
 * message printed). */
int wp_report_options_parse(const char *cmd, const struct wp_option *opts, int argc,
                            char **argv, int max_operands, struct wp_report_args *r,
                            int (*own)(void *ctx, int opt, char *arg), void *ctx,
                            struct wp_options *op);
int wp_report_opt_rest(const char *cmd, int rc, int opt, const char *arg,
                       struct wp_report_args *r);
/* Checks the combination (--pue needs a carbon intensity); 0 or WP_EXIT_USAGE. */
int wp_report_args_check(const char *cmd, const struct wp_report_args *r);
/* Parses a grouping name (task, model, model,task, dataset, hardware). */
bool wp_report_parse_by(const char *v, enum wp_group_by *by);

/* The command line as a shell would need it ("wattprint --db PATH CMD ARGS..."), for the
 * record; call before the options are parsed (the parse reorders argv).  Free with free(); NULL on out-of-memory. */
char *wp_report_command_line(const struct wp_cli *c, int argc, const char *const *argv);

#endif
