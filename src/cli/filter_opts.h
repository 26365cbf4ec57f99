/* The run selection options that the commands reading runs share (--phase, --task,
 * --model, --dataset: one field of wp_run_filter each), declared once with the one handler
 * that fills the filter from them. */
#ifndef WP_CLI_FILTER_OPTS_H
#define WP_CLI_FILTER_OPTS_H

#include <stdbool.h>

#include "store/store.h"
#include "util/options.h"

/* Option table entries (util/options.h), to put in a command's table; their codes are
 * 'p', 't', 'm' and 'd', which the command then leaves to wp_cli_filter_opt. */
#define WP_CLI_FILTER_OPTIONS                                                               \
    WP_OPT_ARG_OPT(0, "phase", 'p'), WP_OPT_ARG_OPT(0, "task", 't'),                        \
    WP_OPT_ARG_OPT(0, "model", 'm'), WP_OPT_ARG_OPT(0, "dataset", 'd')

/* Sets f's field for option code opt when it is one of them (arg kept, not copied): true
 * handled, false not one of them. */
bool wp_cli_filter_opt(int opt, const char *arg, struct wp_run_filter *f);

#endif
